// oauth2-client-credentials over real HTTP, with the catalog templates (paypal: Basic client
// auth; hotjar, azure, azure-openai, flutterwave: client id / secret in the body, azure with a
// scope; here: the token request signed OAuth 1.0a HMAC-SHA256). The provider URLs of the
// templates are routed to a mock on 127.0.0.1 (loopback-fetch.ts) that checks the client the way
// the provider does and lets only live tokens into its API. The cache runs on a fake clock that
// the mock shares.
import { describe, it, expect, afterEach } from 'vitest';
import { createHmac } from 'node:crypto';
import type { AuthScheme, ProviderTemplate } from '../../../schemas/types.gen.ts';
import { loadCatalog } from '../../../server/config/catalog.ts';
import { createAuthDeps, invalidateAuth, obtainToken, prepareAuth, renderRequestWithAuth, type AuthDeps, type TokenAuthContext } from '../../../server/auth-schemes/async-registry.ts';
import { oauth1Authorization } from '../../../server/auth-schemes/oauth2-client-credentials.ts';
import type { RequestParts } from '../../../server/auth-schemes/types.ts';
import { SilError } from '../../../server/errors.ts';
import { loopbackFetch, type LoopbackFetch } from '../../helpers/loopback-fetch.ts';
import { startOAuthProviderMock, type OAuthMockOptions, type OAuthProviderMock } from '../../helpers/oauth-provider-mock.ts';
import { caught } from '../../helpers/caught.ts';

const { catalog } = loadCatalog();
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

function template(id: string): ProviderTemplate & { id: string } {
  const t = catalog.get(id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
}

function fakeClock() {
  let t = T0;
  return { now: () => t, advance: (seconds: number) => void (t += seconds * 1000) };
}

interface Setup {
  mock: OAuthProviderMock;
  net: LoopbackFetch;
  deps: AuthDeps;
  clock: ReturnType<typeof fakeClock>;
  ctx: (secret?: Record<string, string>) => TokenAuthContext;
  auth: AuthScheme;
  /** A GET of the service through prepareAuth, sent through the routed fetch. */
  call: (service?: string, secret?: Record<string, string>) => Promise<{ sent: RequestParts; res: Response }>;
}

const mocks: OAuthProviderMock[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});

async function setup(id: string, opts: { authOption?: string; connection?: Record<string, string>; secret: Record<string, string>; mock: Omit<OAuthMockOptions, 'now'>; origins: string[] }): Promise<Setup> {
  const t = template(id);
  const clock = fakeClock();
  const mock = await startOAuthProviderMock({ ...opts.mock, now: clock.now });
  mocks.push(mock);
  const net = loopbackFetch();
  for (const origin of opts.origins) net.route(origin, mock.url);
  const deps = createAuthDeps({ fetch: net.fetch, now: clock.now });
  const connection: Record<string, string | number | boolean> = {};
  for (const [name, field] of Object.entries(t.connection ?? {})) if (field.default !== undefined) connection[name] = field.default;
  Object.assign(connection, opts.connection);
  const ctx = (secret = opts.secret): TokenAuthContext => ({ providerId: id, keyId: 'key-1', connection, secret, now: () => new Date(clock.now()) });
  const auth = opts.authOption ? t.authOptions![opts.authOption].auth : t.auth;
  const call = async (serviceId = 'api', secret?: Record<string, string>) => {
    const s = t.services.find((x) => x.id === serviceId)!;
    const c = ctx(secret);
    const sent = await renderRequestWithAuth({ baseUrl: s.baseUrl ?? t.baseUrl, path: s.path, headers: { ...t.headers, ...s.headers }, query: { ...t.query, ...s.query }, auth: s.auth ?? auth }, c, deps);
    const res = await net.fetch(sent.url, { method: sent.method, headers: sent.headers });
    return { sent, res };
  };
  return { mock, net, deps, clock, ctx, auth, call };
}


const PAYPAL = { clientId: 'AbC123-client_id.x', clientSecret: 'EFg456-secret_value~+/=' };

describe('paypal: Basic client auth, token cache', () => {
  const paypal = () => setup('paypal', {
    connection: { apiHost: 'api-m.sandbox.paypal.com' },
    secret: PAYPAL,
    mock: { clientAuth: 'basic', tokenPath: '/v1/oauth2/token', ...PAYPAL, expiresIn: 32400 },
    origins: ['https://api-m.sandbox.paypal.com'],
  });

  it('gets a token at the environment host with Basic id:secret, and the API takes it', async () => {
    const s = await paypal();
    const { sent, res } = await s.call('orders');
    expect(res.status).toBe(200);
    expect(s.net.calls.map((u) => u.href)).toEqual(['https://api-m.sandbox.paypal.com/v1/oauth2/token', 'https://api-m.sandbox.paypal.com/v2/checkout/orders']);
    expect(s.mock.tokenRequests).toHaveLength(1);
    expect(s.mock.tokenRequests[0].form.get('grant_type')).toBe('client_credentials');
    expect(s.mock.tokenRequests[0].form.has('client_secret')).toBe(false);
    expect(sent.headers.Authorization).toBe(`Bearer ${s.mock.issued[0]}`);
  });

  it('reuses the cached token', async () => {
    const s = await paypal();
    for (let i = 0; i < 5; i++) expect((await s.call()).res.status).toBe(200);
    expect(s.mock.tokenRequests).toHaveLength(1);
    expect(s.mock.apiRequests).toHaveLength(5);
  });

  it('20 concurrent calls share one token request', async () => {
    const s = await paypal();
    const results = await Promise.all(Array.from({ length: 20 }, () => s.call()));
    expect(results.map((r) => r.res.status)).toEqual(Array(20).fill(200));
    expect(s.mock.tokenRequests).toHaveLength(1);
    expect(new Set(results.map((r) => r.sent.headers.Authorization)).size).toBe(1);
  });

  it('fetches a new token 60 s before the old one expires (fake clock)', async () => {
    const s = await paypal();
    const first = (await s.call()).sent.headers.Authorization;
    s.clock.advance(32400 - 61);
    expect((await s.call()).sent.headers.Authorization).toBe(first);
    s.clock.advance(2);
    const { sent, res } = await s.call();
    expect(res.status).toBe(200);
    expect(sent.headers.Authorization).not.toBe(first);
    expect(s.mock.tokenRequests).toHaveLength(2);
    s.clock.advance(60);
    // The old token has now expired at the provider; the new one is still good.
    expect((await s.net.fetch(new URL('https://api-m.sandbox.paypal.com/v1/x'), { headers: { Authorization: first } })).status).toBe(401);
    expect((await s.call()).res.status).toBe(200);
  });

  it('after a 401 the token is invalidated once and the next request gets a new one', async () => {
    const s = await paypal();
    const before = await s.call();
    s.mock.revoke(s.mock.issued[0]);
    const refused = await s.call();
    expect(refused.res.status).toBe(401);
    expect(invalidateAuth(s.auth, refused.sent, s.ctx(), s.deps)).toBe(true);
    const after = await s.call();
    expect(after.res.status).toBe(200);
    expect(after.sent.headers.Authorization).not.toBe(before.sent.headers.Authorization);
    // A late 401 to a request that carried the old token leaves the new one alone.
    expect(invalidateAuth(s.auth, refused.sent, s.ctx(), s.deps)).toBe(false);
    expect((await s.call()).sent.headers.Authorization).toBe(after.sent.headers.Authorization);
    expect(s.mock.tokenRequests).toHaveLength(2);
  });

  it('another key, or another secret for the key, gets a token of its own', async () => {
    const s = await paypal();
    await s.call();
    await prepareAuth(s.auth, { method: 'GET', url: new URL('https://api-m.sandbox.paypal.com/'), headers: {} }, { ...s.ctx(), keyId: 'key-2' }, s.deps);
    expect(s.mock.tokenRequests).toHaveLength(2);
    const err = await caught(s.call('api', { ...PAYPAL, clientSecret: 'rotated-away' }));
    expect(err.code).toBe('SIL_AUTH_TOKEN');
  });

  it('a wrong secret is SIL_AUTH_TOKEN with the status and OAuth error, no secret in the message, and is not cached', async () => {
    const s = await paypal();
    const err = await caught(s.call('api', { ...PAYPAL, clientSecret: 'wrong-secret-0123456789' }));
    expect(err.code).toBe('SIL_AUTH_TOKEN');
    expect(err.status).toBe(502);
    expect(err.details).toEqual({ status: 401, error: 'invalid_client' });
    expect(err.message).toBe('auth oauth2-client-credentials: token request to https://api-m.sandbox.paypal.com: answered 401: invalid_client (Client Authentication failed)');
    expect((await s.call()).res.status).toBe(200);
  });

  it('a token health check (obtainToken with force) asks the endpoint each time', async () => {
    const s = await paypal();
    await obtainToken(s.auth, s.ctx(), s.deps, { force: true });
    await obtainToken(s.auth, s.ctx(), s.deps, { force: true });
    expect(s.mock.tokenRequests).toHaveLength(2);
    s.mock.failWith(401);
    expect((await caught(obtainToken(s.auth, s.ctx(), s.deps, { force: true }))).code).toBe('SIL_AUTH_TOKEN');
  });

  it('a key without the client secret is SIL_AUTH_MISSING_SECRET, before any request', async () => {
    const s = await paypal();
    const err = await caught(s.call('api', { clientId: PAYPAL.clientId }));
    expect(err.code).toBe('SIL_AUTH_MISSING_SECRET');
    expect(s.net.calls).toHaveLength(0);
  });
});

describe('client id and secret in the body', () => {
  it('hotjar', async () => {
    const secret = { clientId: 'hj-client', clientSecret: 'hj-secret' };
    const s = await setup('hotjar', { secret, mock: { clientAuth: 'body', tokenPath: '/v1/oauth/token', ...secret }, origins: ['https://api.hotjar.io'] });
    const { res } = await s.call();
    expect(res.status).toBe(200);
    expect(s.net.calls[0].href).toBe('https://api.hotjar.io/v1/oauth/token');
    expect(s.mock.tokenRequests[0].headers.authorization).toBeUndefined();
  });

  it('azure: tenant in the token URL, scope https://management.azure.com/.default', async () => {
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const secret = { clientId: '00000000-0000-0000-0000-0000000000aa', clientSecret: 'Az~8Q~secret.value_with-chars' };
    const s = await setup('azure', {
      connection: { tenantId },
      secret,
      mock: { clientAuth: 'body', tokenPath: `/${tenantId}/oauth2/v2.0/token`, scope: 'https://management.azure.com/.default', ...secret, expiresIn: 3599 },
      origins: ['https://login.microsoftonline.com', 'https://management.azure.com'],
    });
    const { sent, res } = await s.call('subscriptions');
    expect(res.status).toBe(200);
    expect(s.net.calls[0].href).toBe(`https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`);
    expect(sent.url.href).toBe('https://management.azure.com/subscriptions?api-version=2022-12-01');
    expect(s.mock.tokenRequests[0].form.get('scope')).toBe('https://management.azure.com/.default');
  });

  it('azure-openai entra-id: a refused secret the provider echoes does not reach the message', async () => {
    const secret = { clientId: '00000000-0000-0000-0000-0000000000bb', clientSecret: 'right-secret' };
    const tenantId = '00000000-0000-0000-0000-000000000001';
    const s = await setup('azure-openai', {
      authOption: 'entra-id',
      connection: { tenantId, resourceName: 'my-res' },
      secret,
      mock: { clientAuth: 'body', tokenPath: `/${tenantId}/oauth2/v2.0/token`, scope: 'https://cognitiveservices.azure.com/.default', ...secret },
      origins: ['https://login.microsoftonline.com', 'https://my-res.openai.azure.com'],
    });
    expect((await s.call('chat-v1')).res.status).toBe(200);
    const wrong = 'Wr0ng~Secret.Value-that-leaks';
    const err = await caught(s.call('chat-v1', { ...secret, clientSecret: wrong }));
    expect(err.code).toBe('SIL_AUTH_TOKEN');
    expect(err.message).toContain('invalid_client (AADSTS7000215: Invalid client secret provided: ***)');
    expect(err.message).not.toContain(wrong);
  });

  it('flutterwave v4-oauth', async () => {
    const secret = { clientId: 'fw-id', clientSecret: 'fw-secret' };
    const s = await setup('flutterwave', {
      authOption: 'v4-oauth',
      secret,
      mock: { clientAuth: 'body', tokenPath: '/realms/flutterwave/protocol/openid-connect/token', ...secret, expiresIn: 600 },
      origins: ['https://idp.flutterwave.com', 'https://api.flutterwave.com'],
    });
    expect((await s.call('balances')).res.status).toBe(200);
  });
});

describe('here: token request signed OAuth 1.0a HMAC-SHA256', () => {
  const secret = { accessKeyId: 'HERE-ACCESS-KEY-ID', accessKeySecret: 'here/secret+with=chars&more' };
  const here = () => setup('here', {
    authOption: 'oauth',
    secret,
    mock: { clientAuth: 'oauth1-hmac-sha256', tokenPath: '/oauth2/token', publicTokenUrl: 'https://account.api.here.com/oauth2/token', clientId: secret.accessKeyId, clientSecret: secret.accessKeySecret, expiresIn: null },
    origins: ['https://account.api.here.com', 'https://geocode.search.hereapi.com', 'https://router.hereapi.com'],
  });

  it('the mock recomputes the signature and issues a token the API takes', async () => {
    const s = await here();
    expect((await s.call('geocode')).res.status).toBe(200);
    expect((await s.call('routing')).res.status).toBe(200);
    expect(s.mock.tokenRequests).toHaveLength(1);
    const auth = String(s.mock.tokenRequests[0].headers.authorization);
    expect(auth).toMatch(/^OAuth oauth_consumer_key="HERE-ACCESS-KEY-ID", oauth_nonce="[^"]+", oauth_signature_method="HMAC-SHA256", oauth_timestamp="\d+", oauth_version="1.0", oauth_signature="[^"]+"$/);
    expect(auth).toContain(`oauth_timestamp="${T0 / 1000}"`);
    expect(s.mock.tokenRequests[0].body).toBe('grant_type=client_credentials');
  });

  it('no expires_in in the answer: the template lifetime (86399 s) applies', async () => {
    const s = await here();
    await s.call('geocode');
    s.clock.advance(86399 - 61);
    await s.call('geocode');
    expect(s.mock.tokenRequests).toHaveLength(1);
    s.clock.advance(2);
    await s.call('geocode');
    expect(s.mock.tokenRequests).toHaveLength(2);
  });

  it('a wrong secret fails the signature check', async () => {
    const s = await here();
    const err = await caught(s.call('geocode', { ...secret, accessKeySecret: 'not-the-secret' }));
    expect(err.message).toContain('answered 401: invalid_client (signature mismatch (signature))');
  });

  it('matches the RFC 5849 §3.4 construction on a fixed input', () => {
    // Base string and key written out by hand for this input.
    const header = oauth1Authorization({ method: 'post', url: new URL('https://account.api.here.com/oauth2/token'), params: [['grant_type', 'client_credentials']], consumerKey: 'key', consumerSecret: 's&cret', timestamp: 1700000000, nonce: 'n0nce' });
    const base = 'POST&https%3A%2F%2Faccount.api.here.com%2Foauth2%2Ftoken&grant_type%3Dclient_credentials%26oauth_consumer_key%3Dkey%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26oauth_version%3D1.0';
    // node:crypto here is only the HMAC primitive; the construction above is what is checked.
    const expected = createHmac('sha256', 's%26cret&').update(base).digest('base64');
    expect(header).toContain(`oauth_signature="${encodeURIComponent(expected)}"`);
  });
});

describe('template fields no catalog template sets', () => {
  it('bodyFormat json, params, tokenPath and expiresInPath', async () => {
    const clock = fakeClock();
    const mock = await startOAuthProviderMock({
      clientAuth: 'body',
      clientId: 'cid',
      clientSecret: 'csecret',
      bodyFormat: 'json',
      params: { audience: 'https://api.example.test' },
      expiresIn: 120,
      answer: (token, ttl) => ({ data: { token, ttl: String(ttl) } }),
      now: clock.now,
    });
    mocks.push(mock);
    const net = loopbackFetch({ 'https://auth.example.test': mock.url, 'https://api.example.test': mock.url });
    const deps = createAuthDeps({ fetch: net.fetch, now: clock.now });
    const scheme: AuthScheme = {
      type: 'oauth2-client-credentials',
      tokenUrl: 'https://auth.example.test/token',
      clientId: '${secret.id}',
      clientSecret: '${secret.secret}',
      clientAuth: 'body',
      bodyFormat: 'json',
      params: { audience: 'https://api.example.test', unused: '${connection.unset}' },
      tokenPath: 'data.token',
      expiresInPath: 'data.ttl',
    };
    const ctx: TokenAuthContext = { connection: {}, secret: { id: 'cid', secret: 'csecret' }, now: () => new Date(clock.now()) };
    const get = async () => {
      const sent = await prepareAuth(scheme, { method: 'GET', url: new URL('https://api.example.test/v1/things'), headers: {} }, ctx, deps);
      return (await net.fetch(sent.url, { headers: sent.headers })).status;
    };
    expect(await get()).toBe(200);
    expect(JSON.parse(mock.tokenRequests[0].body)).toEqual({ grant_type: 'client_credentials', audience: 'https://api.example.test', client_id: 'cid', client_secret: 'csecret' });
    clock.advance(59); // lifetime 120 s: refreshed half-way, not 60 s ahead of every call
    expect(await get()).toBe(200);
    expect(mock.tokenRequests).toHaveLength(1);
    clock.advance(2);
    expect(await get()).toBe(200);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it('answers without a token, not JSON, a redirect, or no answer at all are SIL_AUTH_TOKEN', async () => {
    const clock = fakeClock();
    const mock = await startOAuthProviderMock({ clientAuth: 'body', clientId: 'a', clientSecret: 'b', answer: () => ({ token: 'elsewhere' }), now: clock.now });
    mocks.push(mock);
    const scheme: AuthScheme = { type: 'oauth2-client-credentials', tokenUrl: 'https://auth.example.test/token', clientId: 'a', clientSecret: 'b', clientAuth: 'body' };
    const ctx: TokenAuthContext = { connection: {}, secret: {}, now: () => new Date(clock.now()) };
    const req: RequestParts = { method: 'GET', url: new URL('https://api.example.test/'), headers: {} };
    const net = loopbackFetch({ 'https://auth.example.test': mock.url });
    const deps = createAuthDeps({ fetch: net.fetch, now: clock.now });
    expect((await caught(prepareAuth(scheme, req, ctx, deps))).message).toBe('auth oauth2-client-credentials: token request to https://auth.example.test: the answer (status 200) has no token at "access_token"');

    const text: AuthDeps = createAuthDeps({ fetch: async () => new Response('<html>ok</html>', { status: 200 }), now: clock.now });
    expect((await caught(prepareAuth(scheme, req, ctx, text))).message).toContain('is not JSON');
    const redirect = createAuthDeps({ fetch: async (_u, init) => {
      expect(init.redirect).toBe('manual');
      return new Response(null, { status: 302, headers: { location: 'https://elsewhere.test/' } });
    }, now: clock.now });
    expect((await caught(prepareAuth(scheme, req, ctx, redirect))).details).toEqual({ status: 302 });
    await mock.close();
    const down = await caught(prepareAuth(scheme, req, ctx, deps));
    expect(down.message).toBe('auth oauth2-client-credentials: token request to https://auth.example.test: no answer (ECONNREFUSED)');
  });

  it('params may not replace what the scheme sets', async () => {
    const scheme: AuthScheme = { type: 'oauth2-client-credentials', tokenUrl: 'https://auth.example.test/token', clientId: 'a', clientSecret: 'b', params: { grant_type: 'password' } };
    const deps = createAuthDeps({ fetch: async () => { throw new Error('not sent'); } });
    const err = await caught(prepareAuth(scheme, { method: 'GET', url: new URL('https://x.test/'), headers: {} }, { connection: {}, secret: {}, now: () => new Date() }, deps));
    expect(err.message).toContain('params may not set "grant_type"');
  });
});
