// providers/cloudflare.yaml against a Cloudflare API v4 mock (test/mocks/providers/
// cloudflare.ts): the rendered Bearer API token and the options global-key (X-Auth-Email +
// X-Auth-Key) and account-token, the pass-through door (zones, account-scoped Workers),
// Cloudflare's {success:false, errors:[{code, message}]} envelope and its structured Ratelimit /
// Ratelimit-Policy headers (read by the hub as rateLimit.structured declares them), and the
// health check of each option. Cloudflare reports no usage in tokens/seconds/units on these
// calls, so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { compiledInstance, renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub, type TemplateHubOptions } from '../../helpers/catalog/template-hub.ts';
import { readRateLimit, waitMs } from '../../../server/observe/rate-limit.ts';
import { startCloudflareMock, CLOUDFLARE_ACCOUNT, type CloudflareMock, type CloudflareMockOptions } from '../../mocks/providers/cloudflare.ts';

const TOKEN = 'ContractTokenAbCdEfGhIjKlMnOpQrStUvWx_-0';
const HUB_TOKEN = 'HubTokenAbCdEfGhIjKlMnOpQrStUvWxYz012345';
const ACCOUNT_TOKEN = 'AccountOwnedTokenAbCdEfGhIjKlMnOpQrSt012';
const EMAIL = 'ops@example.com';
const GLOBAL_KEY = '0123456789abcdef0123456789abcdef01234';
const MOCK: CloudflareMockOptions = { tokens: [TOKEN, HUB_TOKEN], accountTokens: { [ACCOUNT_TOKEN]: CLOUDFLARE_ACCOUNT }, globalKeys: { [EMAIL]: GLOBAL_KEY } };
type Envelope = { success: boolean; errors: { code: number; message: string; error_chain?: { code: number }[] }[]; result: unknown };
const origins = (m: CloudflareMock) => ({ 'https://api.cloudflare.com': m.url });

/** A mock and a hub of their own, for one test of an option's health check. */
async function withHub(mockOpts: CloudflareMockOptions, hubOpts: Omit<TemplateHubOptions, 'template' | 'origins' | 'bindings'>, run: (m: CloudflareMock, h: TemplateHub) => Promise<void>): Promise<void> {
  const m = await startCloudflareMock(mockOpts);
  const h = await startTemplateHub({ template: 'cloudflare', origins: origins(m), bindings: { cf: { protocol: 'http', service: 'api' } }, ...hubOpts }).catch(async (e: unknown) => {
    await m.close();
    throw e;
  });
  try {
    await run(m, h);
  } finally {
    await h.stop();
    await m.close();
  }
}

describe('cloudflare template', () => {
  let mock: CloudflareMock;
  let hub: TemplateHub;
  beforeAll(async () => {
    mock = await startCloudflareMock(MOCK);
    hub = await startTemplateHub({
      template: 'cloudflare',
      origins: origins(mock),
      connection: { accountId: CLOUDFLARE_ACCOUNT },
      secret: { apiToken: HUB_TOKEN },
      bindings: { cf: { protocol: 'http', service: 'api' }, dns: { protocol: 'http', service: 'dns' }, account: { protocol: 'http', service: 'accounts' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <API token>; an unknown token is refused with 403 code 10000, 401 code 1000 on /user/tokens/verify', async () => {
    const req = await renderForTemplate({ template: 'cloudflare', service: 'dns', origins: origins(mock), secret: { apiToken: TOKEN } });
    expect(req.url.href).toBe(`${mock.url}/client/v4/zones`);
    expect(req.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, errors: [], result: [{ name: 'example.com', status: 'active' }], result_info: { total_count: 1 } });

    const unknown = 'UnknownTokenAbCdEfGhIjKlMnOpQrStUvWxYz01';
    const wrong = await sendRendered(await renderForTemplate({ template: 'cloudflare', service: 'dns', origins: origins(mock), secret: { apiToken: unknown } }));
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [], result: null });
    const verify = await sendRendered(await renderForTemplate({ template: 'cloudflare', origins: origins(mock), secret: { apiToken: unknown }, path: 'user/tokens/verify' }));
    expect(verify.status).toBe(401);
    expect(((await verify.json()) as Envelope).errors).toEqual([{ code: 1000, message: 'Invalid API Token' }]);
    const malformed = await sendRendered(await renderForTemplate({ template: 'cloudflare', service: 'dns', origins: origins(mock), secret: { apiToken: 'short' } }));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Envelope).errors[0]).toMatchObject({ code: 6003, error_chain: [{ code: 6111 }] });
  });

  it('auth contract: option global-key sends X-Auth-Email + X-Auth-Key (no Authorization); a wrong key is refused with 403 code 9103', async () => {
    const req = await renderForTemplate({ template: 'cloudflare', service: 'dns', authOption: 'global-key', connection: { email: EMAIL }, origins: origins(mock), secret: { globalApiKey: GLOBAL_KEY } });
    expect(req.headers['X-Auth-Email']).toBe(EMAIL);
    expect(req.headers['X-Auth-Key']).toBe(GLOBAL_KEY);
    expect(Object.keys(req.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Envelope).success).toBe(true);

    const wrong = await sendRendered(await renderForTemplate({ template: 'cloudflare', service: 'dns', authOption: 'global-key', connection: { email: EMAIL }, origins: origins(mock), secret: { globalApiKey: 'fedcba9876543210fedcba9876543210fedcb' } }));
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as Envelope).errors).toEqual([{ code: 9103, message: 'Unknown X-Auth-Key or X-Auth-Email' }]);
    const malformed = await sendRendered(await renderForTemplate({ template: 'cloudflare', service: 'dns', authOption: 'global-key', connection: { email: EMAIL }, origins: origins(mock), secret: { globalApiKey: 'not-hex' } }));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Envelope).errors[0]).toMatchObject({ code: 6003, error_chain: [{ code: 6103 }] });
  });

  it('auth contract: option account-token sends the account-owned token as Bearer; it passes /accounts/<id>/tokens/verify and is refused at /user/tokens/verify with 401 code 1000', async () => {
    const conn = { accountId: CLOUDFLARE_ACCOUNT };
    const req = await renderForTemplate({ template: 'cloudflare', service: 'accounts', authOption: 'account-token', connection: conn, origins: origins(mock), secret: { apiToken: ACCOUNT_TOKEN }, path: 'tokens/verify' });
    expect(req.url.href).toBe(`${mock.url}/client/v4/accounts/${CLOUDFLARE_ACCOUNT}/tokens/verify`);
    expect(req.headers.Authorization).toBe(`Bearer ${ACCOUNT_TOKEN}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, result: { status: 'active' } });
    const user = await sendRendered(await renderForTemplate({ template: 'cloudflare', authOption: 'account-token', connection: conn, origins: origins(mock), secret: { apiToken: ACCOUNT_TOKEN }, path: 'user/tokens/verify' }));
    expect(user.status).toBe(401);
    expect(((await user.json()) as Envelope).errors).toEqual([{ code: 1000, message: 'Invalid API Token' }]);
  });

  it('via proxy: GET /bind/dns and /bind/account/workers/scripts with the token as Bearer; Ratelimit and Ratelimit-Policy reach the caller', async () => {
    const res = await hub.door('/bind/dns?name=example.com');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, result: [{ id: '023e105f4ecef8ad9ca31a8372d0c353' }] });
    const seen = mock.received.filter((r) => r.path === '/client/v4/zones').at(-1)!;
    expect(seen.url).toBe('/client/v4/zones?name=example.com');
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_TOKEN}`);
    const m = /^"default";r=(\d+);t=(\d+)$/.exec(res.headers.get('ratelimit') ?? '');
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(1200);
    expect(Number(m![1])).toBeGreaterThanOrEqual(mock.quota.remaining);
    expect(Number(m![2])).toBeLessThanOrEqual(300);
    expect(res.headers.get('ratelimit-policy')).toBe('"default";q=1200;w=300');

    const scripts = await hub.door('/bind/account/workers/scripts');
    expect(scripts.status).toBe(200);
    expect(await scripts.json()).toMatchObject({ success: true, result: [{ id: 'my-worker' }] });
    expect(mock.received.filter((r) => r.path.endsWith('/workers/scripts')).at(-1)!.path).toBe(`/client/v4/accounts/${CLOUDFLARE_ACCOUNT}/workers/scripts`);
  });

  it('via proxy: Cloudflare\'s error envelope (404 code 7003) and a 429 with retry-after and Ratelimit r=0 reach the caller', async () => {
    const missing = await hub.door('/bind/cf/zones/0000/dns_records/1111');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ success: false, errors: [{ code: 7003 }], result: null });

    mock.quota.throttleNext(1, '/client/v4/zones');
    const limited = await hub.door('/bind/dns');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ success: false, errors: [{ code: 971 }] });
    expect(limited.headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('rate limits: the hub reads Ratelimit / Ratelimit-Policy as rateLimit.structured declares them (remaining r, quota q, reset t)', async () => {
    const spec = compiledInstance({ template: 'cloudflare', origins: origins(mock) }).rateLimit;
    expect(spec?.structured).toEqual({ header: 'Ratelimit', policyHeader: 'Ratelimit-Policy' });
    const res = await sendRendered(await renderForTemplate({ template: 'cloudflare', service: 'dns', origins: origins(mock), secret: { apiToken: TOKEN } }));
    const headers = Object.fromEntries(res.headers);
    const [, r, t] = /^"default";r=(\d+);t=(\d+)$/.exec(headers.ratelimit)!.map(Number);
    const now = Date.now();
    expect(readRateLimit(spec, headers, now)).toEqual({ limit: 1200, remaining: r, resetAt: now + t * 1000 });
    // A spent window: the hub waits t seconds (a 429 without retry-after).
    const spent = { ...headers, ratelimit: '"default";r=0;t=42' };
    expect(waitMs(readRateLimit(spec, spent, now), now)).toBe(42_000);
  });

  it('health check: GET /user/tokens/verify with the token is ok; a revoked token makes it fail with 401', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/client/v4/user/tokens/verify').at(-1)!;
    expect(probe.headers.authorization).toBe(`Bearer ${HUB_TOKEN}`);

    mock.revoke();
    const failed = await hub.healthProbe();
    expect(failed).toMatchObject({ ok: false, status: 401 });
  });
  it('health check: option global-key checks GET /user with X-Auth-Email + X-Auth-Key; a wrong key makes it fail with 403', async () => {
    await withHub({ globalKeys: { [EMAIL]: GLOBAL_KEY } }, { authOption: 'global-key', connection: { email: EMAIL }, secret: { globalApiKey: GLOBAL_KEY } }, async (m, h) => {
      expect(await h.healthProbe()).toMatchObject({ ok: true, status: 200 });
      const probe = m.received.filter((r) => r.path === '/client/v4/user').at(-1)!;
      expect(probe.headers).toMatchObject({ 'x-auth-email': EMAIL, 'x-auth-key': GLOBAL_KEY });
      m.globalKeys.set(EMAIL, 'fedcba9876543210fedcba9876543210fedcb');
      expect(await h.healthProbe()).toMatchObject({ ok: false, status: 403 });
    });
  });

  it('health check: option account-token checks GET /accounts/<id>/tokens/verify; a revoked token makes it fail with 401', async () => {
    await withHub({ accountTokens: { [ACCOUNT_TOKEN]: CLOUDFLARE_ACCOUNT } }, { authOption: 'account-token', connection: { accountId: CLOUDFLARE_ACCOUNT }, secret: { apiToken: ACCOUNT_TOKEN } }, async (m, h) => {
      expect(await h.healthProbe()).toMatchObject({ ok: true, status: 200 });
      expect(m.received.filter((r) => r.path === `/client/v4/accounts/${CLOUDFLARE_ACCOUNT}/tokens/verify`).at(-1)!.headers.authorization).toBe(`Bearer ${ACCOUNT_TOKEN}`);
      m.revoke();
      expect(await h.healthProbe()).toMatchObject({ ok: false, status: 401 });
    });
  });

  it('health check: a 429 without retry-after is waited out for Ratelimit\'s t= seconds before the next probe', async () => {
    await withHub({ tokens: [HUB_TOKEN], limit: 1, windowSeconds: 3, retryAfterOn429: false }, { secret: { apiToken: HUB_TOKEN } }, async (m, h) => {
      const verify = () => m.log.filter((e) => e.path === '/client/v4/user/tokens/verify');
      for (let i = 0; i < 100 && !verify().some((e) => e.status === 429); i++) await new Promise((r) => setTimeout(r, 50));
      const limited = verify().findIndex((e) => e.status === 429);
      expect(limited).toBeGreaterThanOrEqual(0);
      expect(await h.healthProbe()).toMatchObject({ ok: true, status: 200 }); // the window has reset
      const [hit, next] = verify().slice(limited, limited + 2);
      expect(hit.headers['retry-after']).toBeUndefined();
      const t = Number(/;t=(\d+)$/.exec(hit.headers.Ratelimit)![1]);
      expect(t).toBeGreaterThanOrEqual(1);
      expect(next.status).toBe(200);
      // A failed probe is otherwise repeated after a quarter of the 250 ms interval.
      expect(next.at - hit.at).toBeGreaterThanOrEqual(t * 1000 - 50);
    });
  });
});
