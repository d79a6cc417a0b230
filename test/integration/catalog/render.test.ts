// providers/render.yaml against a Render public API mock (test/mocks/providers/render.ts): the
// rendered Bearer API key, the pass-through door (services, owners), the Ratelimit-* headers and
// the {id, message} errors reaching the caller, and the GET /v1/owners?limit=1 health check.
// Render reports no usage in tokens/seconds/units (billing is per instance and month), so there
// is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startRenderMock, type RenderMock } from '../../mocks/providers/render.ts';

const KEY = 'rnd_ContractKey0123456789abcdEFGH';
const HUB_KEY = 'rnd_HubKey0123456789abcdefghIJKLMN';

describe('render template', () => {
  let mock: RenderMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.render.com': mock.url });

  beforeAll(async () => {
    mock = await startRenderMock({ keys: [KEY, HUB_KEY] });
    hub = await startTemplateHub({
      template: 'render',
      origins: origins(),
      secret: { apiKey: HUB_KEY },
      bindings: { render: { protocol: 'http', service: 'api' }, services: { protocol: 'http', service: 'services' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer rnd_<API key>; a wrong key is refused with 401 {id, message}', async () => {
    const req = await renderForTemplate({ template: 'render', service: 'services', origins: origins(), secret: { apiKey: KEY }, query: { limit: '1' } });
    expect(req.url.href).toBe(`${mock.url}/v1/services?limit=1`);
    expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject([{ service: { id: 'srv-cj8r1k5jeehc73b5v2ag', type: 'web_service' }, cursor: 'c3J2LTE=' }]);

    const wrong = await sendRendered(await renderForTemplate({ template: 'render', service: 'services', origins: origins(), secret: { apiKey: 'rnd_NotAKeyOfThisAccount000000' } }));
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { id: string; message: string };
    expect(body.message).toBe('unauthorized');
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('via proxy: GET /bind/services and /bind/render/owners with the key as Bearer; Ratelimit-* headers reach the caller', async () => {
    const res = await hub.door('/bind/services?limit=20');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject([{ service: { name: 'web', ownerId: 'tea-cj8r0g5jeehc73b5v1mg' } }]);
    const seen = mock.received.filter((r) => r.path === '/v1/services').at(-1)!;
    expect(seen.url).toBe('/v1/services?limit=20');
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
    expect(res.headers.get('ratelimit-limit')).toBe('400');
    const remaining = Number(res.headers.get('ratelimit-remaining'));
    expect(remaining).toBeLessThan(400);
    expect(remaining).toBeGreaterThanOrEqual(mock.quota.remaining);
    expect(Number(res.headers.get('ratelimit-reset'))).toBe(mock.quota.resetAt);

    const owners = await hub.door('/bind/render/owners');
    expect(owners.status).toBe(200);
    expect(await owners.json()).toMatchObject([{ owner: { type: 'team' } }, { owner: { type: 'user' } }]);
  });

  it('via proxy: Render\'s {id, message} errors — 404 and a 429 with Ratelimit-Remaining 0 — reach the caller', async () => {
    const missing = await hub.door('/bind/render/services/srv-unknown/deploys');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'not found' });

    mock.quota.throttleNext(1, '/v1/services');
    const limited = await hub.door('/bind/services');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ message: 'rate limit exceeded' });
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('health check: GET /v1/owners?limit=1 with the key is ok; a revoked key makes it fail with 401', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/v1/owners' && r.query.get('limit') === '1').at(-1)!;
    expect(probe.headers.authorization).toBe(`Bearer ${HUB_KEY}`);

    mock.revoke(HUB_KEY);
    const failed = await hub.healthProbe();
    expect(failed).toMatchObject({ ok: false, status: 401 });
  });
});
