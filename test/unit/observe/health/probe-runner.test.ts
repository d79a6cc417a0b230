// The health probe with the schema's newer pieces: an auth option's own check (credentials and
// endpoint of that option, or a token check), a data center derived from the key, and a 429's
// wait read as the template's rateLimit describes it (structured headers, body retry-after).
import { describe, it, expect } from 'vitest';
import type { ProviderInstance } from '../../../../schemas/types.gen.ts';
import { projectCatalog } from '../../../../server/config/catalog.ts';
import { compileProvider, compileSettings } from '../../../../server/config/compile.ts';
import { createAuthDeps } from '../../../../server/auth-schemes/async-registry.ts';
import type { FetchLike } from '../../../../server/auth-schemes/token-request.ts';
import { runProbe } from '../../../../server/observe/health/probe-runner.ts';
import type { UpstreamRequest } from '../../../../server/proxy/prepared-request.ts';
import type { AnswerHeaders, Upstream } from '../../../../server/proxy/upstream.ts';

const catalog = projectCatalog().catalog;
const NOW = 1_754_395_200_000;

function provider(template: string, extra: Partial<ProviderInstance> = {}) {
  const instance: ProviderInstance = { id: template, name: template, environment: 'prod', template, ...extra };
  return compileProvider(instance, catalog.get(template)!, compileSettings(undefined));
}

/** An upstream that records each request and answers with `answer`. */
function upstream(answer: { status: number; headers?: AnswerHeaders; body?: string } = { status: 200 }) {
  const sent: UpstreamRequest[] = [];
  const u: Upstream = {
    async send(req) {
      sent.push(req);
      return { kind: 'response', status: answer.status, headers: answer.headers ?? {}, body: { kind: 'bytes', bytes: Buffer.from(answer.body ?? '{}') } };
    },
    async close() {},
  };
  return { u, sent };
}

/** Token endpoint fake: answers a token, or 401 for a wrong secret. */
function tokenFetch(secret: string) {
  const calls: { url: string; body: string }[] = [];
  const fetch = async (url: URL, init: RequestInit) => {
    const body = String(init.body ?? '');
    calls.push({ url: url.href, body });
    const ok = body.includes(`client_secret=${secret}`) || String((init.headers as Record<string, string>)?.Authorization ?? '').includes('oauth_signature');
    return new Response(ok ? JSON.stringify({ access_token: 'tok', expires_in: 3600, token_type: 'bearer' }) : '{"error":"invalid_client"}', { status: ok ? 200 : 401, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

const deps = (u: Upstream, fetch?: FetchLike) => ({ upstream: u, auth: createAuthDeps(fetch ? { fetch } : {}), now: () => NOW });
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const SID = 'AC0123456789abcdef0123456789abcdef';

describe('health probe', () => {
  it("twilio: the account check with the auth token, the api-key option's own check with the API key", async () => {
    const a = upstream();
    const plain = await runProbe(provider('twilio', { connection: { accountSid: SID } }), 'k', { authToken: 'tok' }, deps(a.u));
    expect(plain.result.ok).toBe(true);
    expect(a.sent[0].path).toBe(`/2010-04-01/Accounts/${SID}.json`);
    expect(a.sent[0].headers.Authorization).toBe(basic(SID, 'tok'));

    const b = upstream();
    const keyed = await runProbe(provider('twilio', { connection: { accountSid: SID }, authOption: 'api-key' }), 'k', { apiKeySid: 'SK1', apiKeySecret: 's3' }, deps(b.u));
    expect(keyed.result.ok).toBe(true);
    expect(b.sent[0].path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json?PageSize=1`);
    expect(b.sent[0].headers.Authorization).toBe(basic('SK1', 's3'));
  });

  it('cloudflare global-key: GET /user with X-Auth-Email and X-Auth-Key', async () => {
    const a = upstream();
    await runProbe(provider('cloudflare', { authOption: 'global-key', connection: { email: 'ops@example.com' } }), 'k', { globalApiKey: 'g' }, deps(a.u));
    expect(a.sent[0].origin + a.sent[0].path).toBe('https://api.cloudflare.com/client/v4/user');
    expect(a.sent[0].headers).toMatchObject({ 'X-Auth-Email': 'ops@example.com', 'X-Auth-Key': 'g' });
  });

  it('flutterwave v4-oauth: obtaining a token is the check (no API call); a wrong secret fails it', async () => {
    const p = provider('flutterwave', { authOption: 'v4-oauth' });
    const a = upstream();
    const good = tokenFetch('right');
    expect((await runProbe(p, 'k', { clientId: 'id', clientSecret: 'right' }, deps(a.u, good.fetch))).result.ok).toBe(true);
    expect(good.calls.map((c) => c.url)).toEqual(['https://idp.flutterwave.com/realms/flutterwave/protocol/openid-connect/token']);
    expect(a.sent).toEqual([]);
    const bad = await runProbe(p, 'k', { clientId: 'id', clientSecret: 'wrong' }, deps(a.u, tokenFetch('right').fetch));
    expect(bad.result.ok).toBe(false);
  });

  it('here oauth: a token check instead of the billable geocode call', async () => {
    const a = upstream();
    const t = tokenFetch('unused');
    const out = await runProbe(provider('here', { authOption: 'oauth' }), 'k', { accessKeyId: 'AK', accessKeySecret: 'S' }, deps(a.u, t.fetch));
    expect(out.result.ok).toBe(true);
    expect(t.calls.map((c) => c.url)).toEqual(['https://account.api.here.com/oauth2/token']);
    expect(a.sent).toEqual([]);
  });

  it("mailchimp without connection.dc: the check goes to the key's data center", async () => {
    const a = upstream({ status: 200, body: `{"health_status":"Everything's Chimpy!"}` });
    const out = await runProbe(provider('mailchimp'), 'k', { apiKey: '0123456789abcdef0123456789abcdef-us21' }, deps(a.u));
    expect(out.result.ok).toBe(true);
    expect(a.sent[0].origin + a.sent[0].path).toBe('https://us21.api.mailchimp.com/3.0/ping');
  });

  it("a 429 waits as the template's rateLimit says: Cloudflare's structured reset, Telegram's body", async () => {
    const cf = upstream({ status: 429, headers: { ratelimit: '"default";r=0;t=40', 'ratelimit-policy': '"default";q=1200;w=300' } });
    const limited = await runProbe(provider('cloudflare'), 'k', { apiToken: 't' }, deps(cf.u));
    expect(limited).toMatchObject({ result: { ok: false, status: 429 }, retryAfterMs: 40_000 });
    const tg = upstream({ status: 429, headers: { 'content-type': 'application/json' }, body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}' });
    expect((await runProbe(provider('telegram'), 'k', { botToken: '1:abc' }, deps(tg.u))).retryAfterMs).toBe(5000);
    const plain = upstream({ status: 429, headers: { 'retry-after': '12' } });
    expect((await runProbe(provider('twilio', { connection: { accountSid: SID } }), 'k', { authToken: 'x' }, deps(plain.u))).retryAfterMs).toBe(12_000);
    const ok = upstream({ status: 200, headers: { 'retry-after': '12' } });
    expect((await runProbe(provider('twilio', { connection: { accountSid: SID } }), 'k', { authToken: 'x' }, deps(ok.u))).retryAfterMs).toBeUndefined();
  });

  it('signs with the provider\'s auth, not its first service\'s: amplitude\'s check gets Basic, not the ingest service\'s body key', async () => {
    const a = upstream();
    const out = await runProbe(provider('amplitude'), 'k', { apiKey: 'ak', secretKey: 'sk' }, deps(a.u));
    expect(out.result.ok).toBe(true);
    expect(a.sent[0].headers.Authorization).toBe(basic('ak', 'sk'));
    expect(a.sent[0].body).toBeUndefined();
  });

  it('uses the auth and host of the service a check names: aws signs its STS check for sts whatever connection.service is', async () => {
    const a = upstream();
    await runProbe(provider('aws', { connection: { service: 'ec2', region: 'eu-west-1' } }), 'k', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, deps(a.u));
    expect(a.sent[0].origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(String(a.sent[0].headers.Authorization)).toMatch(/Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/sts\/aws4_request/);
  });

  it('cloudinary: a 420 is the spent limit (rateLimit.statuses), waited out until the HTTP-date reset; other providers\' 420 is not', async () => {
    const reset = new Date(NOW + 40 * 60_000).toUTCString();
    const spent = upstream({ status: 420, headers: { 'x-featureratelimit-remaining': '0', 'x-featureratelimit-reset': reset }, body: '{"error":{"message":"Rate Limit Exceeded"}}' });
    const out = await runProbe(provider('cloudinary', { connection: { cloudName: 'demo' } }), 'k', { apiKey: '1', apiSecret: 's' }, deps(spent.u));
    expect(out.result).toMatchObject({ ok: false, status: 420 });
    expect(out.retryAfterMs).toBe(Date.parse(reset) - NOW);
    const other = upstream({ status: 420, headers: { 'retry-after': '5' } });
    expect((await runProbe(provider('twilio', { connection: { accountSid: SID } }), 'k', { authToken: 'x' }, deps(other.u))).retryAfterMs).toBeUndefined();
  });

  it('a 401 to a cached token gets a new token and one more try (azure-openai entra-id), as the proxy does', async () => {
    let issued = 0;
    const fetch = async () => new Response(JSON.stringify({ access_token: `tok-${++issued}`, expires_in: 3600, token_type: 'Bearer' }), { status: 200, headers: { 'content-type': 'application/json' } });
    const sent: UpstreamRequest[] = [];
    let live = 'tok-1';
    const u: Upstream = {
      async send(req) {
        sent.push(req);
        const ok = req.headers.Authorization === `Bearer ${live}`;
        return { kind: 'response', status: ok ? 200 : 401, headers: {}, body: { kind: 'bytes', bytes: Buffer.from('{}') } };
      },
      async close() {},
    };
    const p = provider('azure-openai', { authOption: 'entra-id', connection: { resourceName: 'res', tenantId: '00000000-0000-0000-0000-000000000000' } });
    const d = deps(u, fetch as FetchLike);
    const secret = { clientId: '11111111-1111-1111-1111-111111111111', clientSecret: 's' };
    expect((await runProbe(p, 'k', secret, d)).result).toMatchObject({ ok: true, status: 200 });
    live = 'tok-2'; // the provider dropped tok-1 before it expired
    expect((await runProbe(p, 'k', secret, d)).result).toMatchObject({ ok: true, status: 200 });
    expect(sent.map((r) => r.headers.Authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
    expect(issued).toBe(2);
  });
});
