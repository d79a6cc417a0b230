// providers/hotjar.yaml against a Hotjar mock (test/mocks/providers/hotjar.ts) on api.hotjar.io
// (mapped with `origins:`): the client-credentials token request with client_id/client_secret in
// the form body, the Bearer API behind the pass-through door, and the `kind: token` health check.
// Hotjar reports no usage in tokens/seconds/units, so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startHotjarMock, type HotjarMock } from '../../mocks/providers/hotjar.ts';
import { SilError } from '../../../server/errors.ts';

describe('hotjar template', () => {
  let mock: HotjarMock;
  let hub: TemplateHub;
  let secret: { clientId: string; clientSecret: string };
  let connection: { siteId: string };
  const origins = () => ({ 'https://api.hotjar.io': mock.url });
  const last = (path: string) => mock.received.filter((r) => r.path === path).at(-1)!;

  beforeAll(async () => {
    mock = await startHotjarMock();
    secret = { clientId: mock.clientId, clientSecret: mock.clientSecret };
    connection = { siteId: mock.siteId };
    hub = await startTemplateHub({
      template: 'hotjar', connection, origins: origins(), secret,
      bindings: { surveys: { protocol: 'http', service: 'surveys' }, hotjar: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: POST /v1/oauth/token form grant_type=client_credentials&client_id&client_secret (no Basic), token sent as Bearer; a wrong secret is refused invalid_client, an unknown token 401', async () => {
    const req = await renderForTemplate({ template: 'hotjar', service: 'surveys', connection, origins: origins(), secret });
    const exchange = mock.tokenRequests.at(-1)!;
    expect(exchange.status).toBe(200);
    expect(exchange.basic).toBe(false);
    expect(Object.fromEntries(exchange.form)).toEqual({ grant_type: 'client_credentials', client_id: mock.clientId, client_secret: mock.clientSecret });
    expect(last('/v1/oauth/token').headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(req.url.href).toBe(`${mock.url}/v1/sites/${mock.siteId}/surveys`);
    expect(req.headers.Authorization).toBe(`Bearer ${mock.tokens.issued.at(-1)}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ results: [{ id: 31, name: 'NPS' }, { id: 32 }], next_cursor: null });

    const err = await renderForTemplate({ template: 'hotjar', service: 'surveys', connection, origins: origins(), secret: { ...secret, clientSecret: 'hj-not-the-secret' } }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SilError);
    expect((err as SilError).code).toBe('SIL_AUTH_TOKEN');
    expect((err as SilError).details).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(String((err as Error).message)).not.toContain('hj-not-the-secret');

    const forged = await sendRendered({ ...req, headers: { ...req.headers, Authorization: 'Bearer hjat-forged' } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('via proxy: GET /bind/surveys?limit=1 pages the site\'s surveys and GET /bind/hotjar/sites/{id}/surveys/31/responses reads answers, each with a Bearer token Hotjar issued; after Hotjar drops its tokens a new one is used', async () => {
    const before = mock.tokens.issued.length;
    const page = await hub.door('/bind/surveys?limit=1');
    expect(page.status).toBe(200);
    expect(await page.json()).toEqual({ results: [expect.objectContaining({ id: 31, name: 'NPS' })], next_cursor: '1' });
    const seen = last(`/v1/sites/${mock.siteId}/surveys`);
    expect(seen.url).toBe(`/v1/sites/${mock.siteId}/surveys?limit=1`);
    expect(mock.tokens.check(seen.headers.authorization?.replace(/^Bearer /, ''))).toBeDefined();

    const answers = await hub.door(`/bind/hotjar/sites/${mock.siteId}/surveys/31/responses`);
    expect(answers.status).toBe(200);
    expect(await answers.json()).toMatchObject({ results: [{ id: 'r-1', answers: [{ answer: 'Yes' }] }] });
    // The token health probe (every 250 ms here) also refreshes the hub's token, so any live one will do.
    expect(mock.tokens.check(last(`/v1/sites/${mock.siteId}/surveys/31/responses`).headers.authorization?.replace(/^Bearer /, ''))).toBeDefined();

    // Right after a background token check ends (one runs every 250 ms here): no token issued before the
    // revocation is then still on its way into the hub's cache, where the retry after the 401 would get it.
    await hub.healthProbe();
    mock.revokeTokens();
    const again = await hub.door('/bind/surveys?cursor=1');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ results: [expect.objectContaining({ id: 32 })], next_cursor: null });
    expect(mock.tokenRequests.filter((t) => t.status === 200).length).toBeGreaterThan(0);
    expect(mock.tokens.issued.length).toBeGreaterThan(before);
    expect(mock.tokens.check(last(`/v1/sites/${mock.siteId}/surveys`).headers.authorization?.replace(/^Bearer /, ''))).toBeDefined();
  });

  it('via proxy: 429 with Retry-After and 403 for another site reach the caller', async () => {
    const other = await hub.door('/bind/hotjar/sites/999/surveys');
    expect(other.status).toBe(403);
    mock.throttle(true);
    try {
      const limited = await hub.door('/bind/surveys');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
    } finally {
      mock.throttle(false);
    }
  });

  it('health check: kind token obtains a fresh token with the form-body client credentials; a deleted API key makes it fail', async () => {
    const issued = mock.tokens.issued.length;
    const ok = await hub.healthProbe();
    expect(ok.ok).toBe(true);
    expect(mock.tokens.issued.length).toBeGreaterThan(issued);
    const exchange = mock.tokenRequests.at(-1)!;
    expect(exchange.form.get('client_id')).toBe(mock.clientId);
    expect(exchange.basic).toBe(false);

    mock.revokeClient();
    const failed = await hub.healthProbe();
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/SIL_AUTH_TOKEN.*401/);
    expect(failed.error).not.toContain(mock.clientSecret);
  });
});
