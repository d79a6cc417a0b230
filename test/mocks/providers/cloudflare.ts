// Cloudflare API v4 mock (https://api.cloudflare.com/client/v4).
//
// Sources: developers.cloudflare.com/fundamentals/api (get-started: API token as
// `Authorization: Bearer`, legacy Global API Key as X-Auth-Email + X-Auth-Key; troubleshooting;
// reference/limits: headers `Ratelimit: "default";r=<remaining>;t=<seconds to reset>` and
// `Ratelimit-Policy: "default";q=<quota>;w=<window seconds>` on every answer, retry-after only on
// 429; 1200 requests / 5 minutes), api/resources/user/subresources/tokens/methods/verify
// (result {id, status: active|disabled|expired}, message 10000 "This API Token is valid and
// active"), api/resources/accounts/subresources/tokens/methods/verify (account-owned tokens:
// GET /accounts/{account_id}/tokens/verify). Error envelope {success:false, errors:[{code,
// message, error_chain?}], messages:[], result:null}; codes as Cloudflare sends them
// (cloudflare-typescript#161, ddclient#262, jeessy2/ddns-go#81, kissgyorgy/cloudflare-dyndns#40):
// 400 6003 "Invalid request headers" with error_chain 6111 (Authorization) / 6102 (X-Auth-Email)
// / 6103 (X-Auth-Key) for malformed credentials, 401 1000 "Invalid API Token" on a verify
// endpoint (also an account-owned token at /user/tokens/verify: KingPin/Garrul v1.22.1), 403
// 10000 "Authentication error" for an unknown token elsewhere, 403 9103 "Unknown X-Auth-Key or
// X-Auth-Email", 400 1001 'Missing "Authorization" header' when a verify endpoint gets the key.
// Option `retryAfterOn429: false` drops retry-after from 429s (Cloudflare documents it there),
// so that a test can show the hub falling back to Ratelimit's t=.
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { Quota } from './cloud-quota.ts';

export const CLOUDFLARE_ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';

export interface CloudflareMock extends ProviderMock {
  /** User API tokens the mock accepts. */
  tokens: Set<string>;
  /** Account-owned API tokens → their account id. */
  accountTokens: Map<string, string>;
  /** Global API Keys by account email. */
  globalKeys: Map<string, string>;
  quota: Quota;
  /** Each answer: when (ms), the path, the status, its headers. */
  log: { at: number; path: string; status: number; headers: Record<string, string> }[];
  revoke(): void;
}

type CfError = { code: number; message: string; error_chain?: { code: number; message: string }[] };
const fail = (status: number, errors: CfError[], headers: Record<string, string> = {}): MockAnswer => ({ status, headers, body: { success: false, errors, messages: [], result: null } });
const ok = (result: unknown, headers: Record<string, string>, extra: Record<string, unknown> = {}): MockAnswer => ({ status: 200, headers, body: { success: true, errors: [], messages: [], result, ...extra } });
const badHeaders = (...chain: [number, string][]): MockAnswer => fail(400, [{ code: 6003, message: 'Invalid request headers', error_chain: chain.map(([code, message]) => ({ code, message })) }]);
const verified = (headers: Record<string, string>): MockAnswer => ({
  status: 200,
  headers,
  body: { success: true, errors: [], messages: [{ code: 10000, message: 'This API Token is valid and active', type: null }], result: { id: 'ed17574386854bf78a67040be0a770b0', status: 'active' } },
});

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{40}$/;
const KEY_SHAPE = /^[0-9a-f]{37}$/;
const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const USER_VERIFY = /^\/client\/v4\/user\/tokens\/verify$/;
const ACCOUNT_VERIFY = /^\/client\/v4\/accounts\/[0-9a-f]{32}\/tokens\/verify$/;

const ZONES = [{ id: '023e105f4ecef8ad9ca31a8372d0c353', name: 'example.com', status: 'active', paused: false, type: 'full', name_servers: ['bob.ns.cloudflare.com', 'lola.ns.cloudflare.com'], account: { id: CLOUDFLARE_ACCOUNT, name: 'Example Account' } }];
const SCRIPTS = [{ id: 'my-worker', etag: 'ea95132c15732412d22c1476fa83f27a', created_on: '2024-01-01T00:00:00Z', modified_on: '2024-01-02T00:00:00Z', usage_model: 'standard' }];
const USER = { id: '7c5dae5552338874e5053f2534d2767a', email: 'admin@example.com', first_name: 'Ada', last_name: 'Admin', suspended: false };

type Caller = { kind: 'user-token' | 'account-token' | 'key' };

export interface CloudflareMockOptions {
  tokens?: string[];
  accountTokens?: Record<string, string>;
  globalKeys?: Record<string, string>;
  limit?: number;
  windowSeconds?: number;
  retryAfterOn429?: boolean;
}

export async function startCloudflareMock(opts: CloudflareMockOptions = {}): Promise<CloudflareMock> {
  const tokens = new Set(opts.tokens ?? []);
  const accountTokens = new Map(Object.entries(opts.accountTokens ?? {}));
  const globalKeys = new Map(Object.entries(opts.globalKeys ?? {}));
  const quota = new Quota(opts.limit ?? 1200, opts.windowSeconds ?? 300);
  const log: CloudflareMock['log'] = [];

  /** Who the request authenticates as, or the answer that refuses it. */
  function authenticate(r: ReceivedRequest): Caller | MockAnswer {
    const auth = r.headers.authorization;
    const verify = USER_VERIFY.test(r.path) || ACCOUNT_VERIFY.test(r.path);
    if (typeof auth === 'string') {
      const m = /^Bearer (\S+)$/.exec(auth);
      if (!m || !TOKEN_SHAPE.test(m[1])) return badHeaders([6111, 'Invalid format for Authorization header']);
      const kind = tokens.has(m[1]) ? 'user-token' : accountTokens.has(m[1]) ? 'account-token' : undefined;
      const wrongVerify = (kind === 'user-token' && ACCOUNT_VERIFY.test(r.path)) || (kind === 'account-token' && USER_VERIFY.test(r.path));
      if (kind === undefined || wrongVerify) return verify ? fail(401, [{ code: 1000, message: 'Invalid API Token' }]) : fail(403, [{ code: 10000, message: 'Authentication error' }]);
      return { kind };
    }
    if (verify) return fail(400, [{ code: 1001, message: 'Missing "Authorization" header' }]);
    const email = r.headers['x-auth-email'];
    const key = r.headers['x-auth-key'];
    if (email === undefined && key === undefined) return badHeaders([6111, 'Invalid format for Authorization header']);
    const chain: [number, string][] = [];
    if (typeof email !== 'string' || !EMAIL_SHAPE.test(email)) chain.push([6102, 'Invalid format for X-Auth-Email header']);
    if (typeof key !== 'string' || !KEY_SHAPE.test(key)) chain.push([6103, 'Invalid format for X-Auth-Key header']);
    if (chain.length > 0) return badHeaders(...chain);
    if (globalKeys.get(email as string) !== key) return fail(403, [{ code: 9103, message: 'Unknown X-Auth-Key or X-Auth-Email' }]);
    return { kind: 'key' };
  }

  function answer(r: ReceivedRequest): MockAnswer {
    const caller = authenticate(r);
    if (!('kind' in caller)) return caller;
    const taken = quota.take(r.path);
    const headers: Record<string, string> = {
      Ratelimit: `"default";r=${taken.remaining};t=${quota.retryAfter()}`,
      'Ratelimit-Policy': `"default";q=${quota.limit};w=${quota.windowSeconds}`,
      'cf-ray': '8a1b2c3d4e5f6a7b-FRA',
    };
    if (!taken.ok) return fail(429, [{ code: 971, message: 'Please wait and consider throttling your request speed' }], opts.retryAfterOn429 === false ? headers : { ...headers, 'retry-after': String(quota.retryAfter()) });
    const route = `${r.method} ${r.path.replace(/^\/client\/v4/, '')}`;
    if (r.method === 'GET' && (USER_VERIFY.test(r.path) || ACCOUNT_VERIFY.test(r.path))) return verified(headers);
    if (route === 'GET /user') return ok(USER, headers);
    if (route === 'GET /zones') return ok(ZONES, headers, { result_info: { page: 1, per_page: 20, count: ZONES.length, total_count: ZONES.length, total_pages: 1 } });
    const account = /^GET \/accounts\/([0-9a-f]{32})\/workers\/scripts$/.exec(route);
    if (account) return account[1] === CLOUDFLARE_ACCOUNT ? ok(SCRIPTS, headers) : fail(403, [{ code: 10000, message: 'Authentication error' }], headers);
    return fail(404, [{ code: 7003, message: `Could not route to ${r.path}, perhaps your object identifier is invalid?` }], headers);
  }

  const server = await startMockServer((r) => {
    const out = answer(r);
    log.push({ at: Date.now(), path: r.path, status: out.status, headers: out.headers ?? {} });
    return out;
  });
  return {
    ...server,
    tokens,
    accountTokens,
    globalKeys,
    quota,
    log,
    revoke: () => {
      tokens.clear();
      accountTokens.clear();
      globalKeys.clear();
    },
  };
}
