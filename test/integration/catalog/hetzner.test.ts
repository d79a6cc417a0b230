// providers/hetzner.yaml against a Hetzner Cloud API mock (test/mocks/providers/hetzner.ts): the
// rendered Bearer project token (read/write and read-only), the pass-through door (servers,
// pricing), the RateLimit-* headers and {"error": {code, message}} answers reaching the caller,
// and the GET /v1/servers?per_page=1 health check. Hetzner reports no usage in
// tokens/seconds/units (prices come from /pricing, not per request), so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startHetznerMock, type HetznerMock } from '../../mocks/providers/hetzner.ts';

const TOKEN = 'contractTokenAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmno';
const READ_ONLY = 'readOnlyTokenAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmn';
const HUB_TOKEN = 'hubTokenAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrs';
const JSON_TYPE = { 'content-type': 'application/json' };

describe('hetzner template', () => {
  let mock: HetznerMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.hetzner.cloud': mock.url });

  beforeAll(async () => {
    mock = await startHetznerMock({ tokens: [TOKEN, HUB_TOKEN], readOnly: [READ_ONLY] });
    hub = await startTemplateHub({
      template: 'hetzner',
      origins: origins(),
      secret: { apiToken: HUB_TOKEN },
      bindings: { hcloud: { protocol: 'http', service: 'api' }, servers: { protocol: 'http', service: 'servers' }, pricing: { protocol: 'http', service: 'pricing' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <project API token>; a wrong token is refused with 401 {"error":{"code":"unauthorized"}}', async () => {
    const req = await renderForTemplate({ template: 'hetzner', service: 'servers', origins: origins(), secret: { apiToken: TOKEN }, query: { per_page: '1' } });
    expect(req.url.href).toBe(`${mock.url}/v1/servers?per_page=1`);
    expect(req.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ servers: [{ id: 42, name: 'my-server' }], meta: { pagination: { per_page: 1, next_page: 2, total_entries: 2 } } });

    const wrong = await sendRendered(await renderForTemplate({ template: 'hetzner', service: 'servers', origins: origins(), secret: { apiToken: `${TOKEN.slice(0, -1)}X` } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'unauthorized', message: 'unable to authenticate', details: null } });
  });

  it('auth contract: a read-only project token may GET, but a POST is refused with 403 token_readonly', async () => {
    const read = await sendRendered(await renderForTemplate({ template: 'hetzner', service: 'pricing', origins: origins(), secret: { apiToken: READ_ONLY } }));
    expect(read.status).toBe(200);
    const write = await sendRendered(await renderForTemplate({ template: 'hetzner', service: 'servers', origins: origins(), secret: { apiToken: READ_ONLY }, method: 'POST', headers: JSON_TYPE, body: '{"name":"x","server_type":"cx22","image":"ubuntu-24.04"}' }));
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe('token_readonly');
  });

  it('via proxy: GET /bind/servers and /bind/pricing with the token as Bearer; RateLimit-* headers reach the caller', async () => {
    const res = await hub.door('/bind/servers?page=2&per_page=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ servers: [{ id: 43, name: 'my-db' }], meta: { pagination: { page: 2, previous_page: 1, next_page: null } } });
    const seen = mock.received.filter((r) => r.path === '/v1/servers' && r.query.get('page') === '2').at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_TOKEN}`);
    expect(res.headers.get('ratelimit-limit')).toBe('3600');
    const remaining = Number(res.headers.get('ratelimit-remaining'));
    expect(remaining).toBeLessThan(3600);
    expect(remaining).toBeGreaterThanOrEqual(mock.quota.remaining);
    expect(Number(res.headers.get('ratelimit-reset'))).toBe(mock.quota.resetAt);

    const pricing = await hub.door('/bind/pricing');
    expect(pricing.status).toBe(200);
    expect(await pricing.json()).toMatchObject({ pricing: { currency: 'EUR', server_types: [{ name: 'cx22' }] } });
    const all = await hub.door('/bind/hcloud/pricing');
    expect(all.status).toBe(200);
    expect(mock.received.filter((r) => r.path === '/v1/pricing').slice(-2).map((r) => r.headers.authorization)).toEqual([`Bearer ${HUB_TOKEN}`, `Bearer ${HUB_TOKEN}`]);
  });

  it('via proxy: Hetzner\'s error object — 404 not_found and a 429 rate_limit_exceeded with RateLimit-Remaining 0 — reaches the caller', async () => {
    const missing = await hub.door('/bind/hcloud/volumes/1');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });

    mock.quota.throttleNext(1, '/v1/pricing');
    const limited = await hub.door('/bind/hcloud/pricing');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('health check: GET /v1/servers?per_page=1 with the token is ok; a revoked token makes it fail with 401', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/v1/servers' && r.headers.authorization === `Bearer ${HUB_TOKEN}`).at(-1)!;
    expect(probe.url).toBe('/v1/servers?per_page=1');

    mock.revoke(HUB_TOKEN);
    const failed = await hub.healthProbe();
    expect(failed).toMatchObject({ ok: false, status: 401 });
  });
});
