// providers/digitalocean.yaml against a DigitalOcean API v2 mock (test/mocks/providers/
// digitalocean.ts): the rendered Bearer token, the pass-through door (droplets, billing), the
// ratelimit-* headers and the {id, message} errors reaching the caller, and the GET /v2/account
// health check. DigitalOcean reports no usage in tokens/seconds/units (billing is a balance, not
// a per-request figure), so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startDigitalOceanMock, type DigitalOceanMock } from '../../mocks/providers/digitalocean.ts';

const TOKEN = `dop_v1_${'a1'.repeat(32)}`;
const HUB_TOKEN = `dop_v1_${'b2'.repeat(32)}`;

describe('digitalocean template', () => {
  let mock: DigitalOceanMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.digitalocean.com': mock.url });

  beforeAll(async () => {
    mock = await startDigitalOceanMock({ tokens: [TOKEN, HUB_TOKEN] });
    hub = await startTemplateHub({
      template: 'digitalocean',
      origins: origins(),
      secret: { apiToken: HUB_TOKEN },
      bindings: { do: { protocol: 'http', service: 'api' }, droplets: { protocol: 'http', service: 'droplets' }, billing: { protocol: 'http', service: 'billing' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <personal access token>; a wrong token is refused with 401 {"id":"Unauthorized"}', async () => {
    const req = await renderForTemplate({ template: 'digitalocean', service: 'droplets', origins: origins(), secret: { apiToken: TOKEN } });
    expect(req.url.href).toBe(`${mock.url}/v2/droplets`);
    expect(req.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ droplets: [{ id: 3164444, status: 'active' }], meta: { total: 1 } });

    const wrong = await sendRendered(await renderForTemplate({ template: 'digitalocean', service: 'droplets', origins: origins(), secret: { apiToken: `dop_v1_${'c3'.repeat(32)}` } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ id: 'Unauthorized', message: 'Unable to authenticate you' });
  });

  it('via proxy: GET /bind/droplets and /bind/billing/balance with the key as Bearer; ratelimit-* headers reach the caller', async () => {
    const res = await hub.door('/bind/droplets?per_page=10');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ droplets: [{ name: 'example.com' }] });
    const seen = mock.received.filter((r) => r.path === '/v2/droplets').at(-1)!;
    expect(seen.url).toBe('/v2/droplets?per_page=10');
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_TOKEN}`);
    expect(res.headers.get('ratelimit-limit')).toBe('5000');
    // Counted down per request (health probes run alongside, so at least the mock's count now).
    const remaining = Number(res.headers.get('ratelimit-remaining'));
    expect(remaining).toBeLessThan(5000);
    expect(remaining).toBeGreaterThanOrEqual(mock.quota.remaining);
    expect(Number(res.headers.get('ratelimit-reset'))).toBe(mock.quota.resetAt);

    const balance = await hub.door('/bind/billing/balance');
    expect(balance.status).toBe(200);
    expect(await balance.json()).toMatchObject({ month_to_date_balance: '23.44', account_balance: '12.23' });
    expect(mock.received.filter((r) => r.path === '/v2/customers/my/balance').at(-1)!.headers.authorization).toBe(`Bearer ${HUB_TOKEN}`);

    const account = await hub.door('/bind/do/account');
    expect(account.status).toBe(200);
    expect(await account.json()).toMatchObject({ account: { status: 'active', email_verified: true } });
  });

  it('via proxy: a 429 {"id":"too_many_requests"} with Retry-After and ratelimit-remaining 0 reaches the caller', async () => {
    mock.quota.throttleNext(1, '/v2/droplets');
    const limited = await hub.door('/bind/droplets');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ id: 'too_many_requests', message: 'API Rate limit exceeded.' });
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('health check: GET /v2/account with the token is ok; a revoked token makes it fail with 401', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/v2/account').at(-1)!;
    expect(probe.method).toBe('GET');
    expect(probe.headers.authorization).toBe(`Bearer ${HUB_TOKEN}`);

    mock.revoke(HUB_TOKEN);
    const failed = await hub.healthProbe();
    expect(failed).toMatchObject({ ok: false, status: 401 });
  });
});
