// A provider with an OAuth2 token endpoint and an API on 127.0.0.1, checking credentials the way
// the real ones do:
// - the token endpoint (POST `tokenPath`) takes `grant_type=client_credentials` with the client
//   authenticated by HTTP Basic (RFC 6749 §2.3.1: form-decoded id and secret), by client_id /
//   client_secret in the body, or by an OAuth 1.0a HMAC-SHA256 signature (HERE), recomputed
//   here from RFC 5849 with code of its own; or the JWT-bearer grant (Google service accounts),
//   the assertion verified with jose against the service account's public key;
// - it answers `{access_token, token_type, expires_in}` (or a shape the test gives) and records
//   every request;
// - every other path is the API: 200 for `Authorization: Bearer <token>` with a token it issued
//   that has not expired on the mock's clock nor been revoked, else 401.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { jwtVerify, type CryptoKey } from 'jose';

export type MockClientAuth = 'basic' | 'body' | 'oauth1-hmac-sha256' | 'jwt-bearer';

export interface OAuthMockOptions {
  clientAuth: MockClientAuth;
  clientId?: string;
  clientSecret?: string;
  /** Default `/token`. */
  tokenPath?: string;
  /** The token endpoint's public URL (what an OAuth 1.0a signature or a JWT `aud` names). */
  publicTokenUrl?: string;
  /** A scope the token request must carry. */
  scope?: string;
  /** Extra parameters the token request must carry. */
  params?: Record<string, string>;
  /** Token request body: form (default) or JSON. */
  bodyFormat?: 'form' | 'json';
  /** Lifetime of issued tokens in seconds; undefined in the answer when null. Default 3600. */
  expiresIn?: number | null;
  /** Builds the answer from the token and lifetime (for tokenPath / expiresInPath tests). */
  answer?: (token: string, expiresIn: number | null) => unknown;
  /** The mock's clock in ms (default Date.now): token expiry and OAuth 1.0a timestamps. */
  now?: () => number;
  /** Delay before the token endpoint answers (to let concurrent callers pile up). */
  delayMs?: number;
  /** jwt-bearer: the service account's public key, its email and the scope the assertion must carry. */
  jwt?: { publicKey: KeyObject | CryptoKey; issuer: string; scope: string; subject?: string };
}

export interface TokenRequestSeen { headers: IncomingHttpHeaders; body: string; form: URLSearchParams; status: number; error?: string }

export interface OAuthProviderMock {
  url: string;
  tokenRequests: TokenRequestSeen[];
  apiRequests: { path: string; authorization?: string; status: number }[];
  issued: string[];
  revoke(token: string): void;
  /** Make the token endpoint answer this status (with an OAuth error) from now on; null to stop. */
  failWith(status: number | null, error?: string): void;
  close(): Promise<void>;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 3986 unreserved characters stay, every other UTF-8 byte becomes %XX (RFC 5849 §3.6). */
function rfc5849Encode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `OAuth k="v", k="v"` → map, values percent-decoded (RFC 5849 §3.5.1). */
function parseOAuthHeader(header: string): Map<string, string> | null {
  if (!header.startsWith('OAuth ')) return null;
  const out = new Map<string, string>();
  for (const part of header.slice(6).split(',')) {
    const m = /^\s*([A-Za-z0-9_]+)="([^"]*)"\s*$/.exec(part);
    if (!m) return null;
    out.set(m[1], decodeURIComponent(m[2]));
  }
  return out;
}

/** HERE's check of the token request: RFC 5849 §3.4 recomputed. Returns an error or null. */
function checkOAuth1(method: string, publicUrl: URL, form: URLSearchParams, header: string, clientId: string, clientSecret: string, nowMs: number, nonces: Set<string>): string | null {
  const p = parseOAuthHeader(header);
  if (!p) return 'no OAuth header';
  if (p.get('oauth_signature_method') !== 'HMAC-SHA256') return 'signature method';
  if (p.get('oauth_version') !== '1.0') return 'version';
  if (!same(p.get('oauth_consumer_key') ?? '', clientId)) return 'consumer key';
  const ts = Number(p.get('oauth_timestamp'));
  if (!Number.isInteger(ts) || Math.abs(ts - nowMs / 1000) > 600) return 'timestamp';
  const nonce = p.get('oauth_nonce') ?? '';
  if (nonce === '' || nonces.has(nonce)) return 'nonce reused';
  const pairs: [string, string][] = [];
  for (const [k, v] of p) if (k !== 'oauth_signature' && k !== 'realm') pairs.push([rfc5849Encode(k), rfc5849Encode(v)]);
  for (const [k, v] of form) pairs.push([rfc5849Encode(k), rfc5849Encode(v)]);
  for (const [k, v] of publicUrl.searchParams) pairs.push([rfc5849Encode(k), rfc5849Encode(v)]);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  const baseUri = `${publicUrl.protocol}//${publicUrl.host.toLowerCase()}${publicUrl.pathname}`;
  const base = [method.toUpperCase(), rfc5849Encode(baseUri), rfc5849Encode(normalized)].join('&');
  const expected = createHmac('sha256', `${rfc5849Encode(clientSecret)}&`).update(base).digest('base64');
  if (!same(p.get('oauth_signature') ?? '', expected)) return 'signature';
  nonces.add(nonce);
  return null;
}

export async function startOAuthProviderMock(options: OAuthMockOptions): Promise<OAuthProviderMock> {
  const now = options.now ?? Date.now;
  const tokenPath = options.tokenPath ?? '/token';
  const clientId = options.clientId ?? '';
  const clientSecret = options.clientSecret ?? '';
  const live = new Map<string, number>(); // token → expiry (ms), Infinity without one
  const issued: string[] = [];
  const tokenRequests: TokenRequestSeen[] = [];
  const apiRequests: OAuthProviderMock['apiRequests'] = [];
  const nonces = new Set<string>();
  let failure: { status: number; error: string } | null = null;
  let counter = 0;

  const tokenAnswer = async (method: string, headers: IncomingHttpHeaders, body: string): Promise<{ status: number; body: unknown }> => {
    if (method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
    const type = String(headers['content-type'] ?? '').split(';')[0].trim();
    let form: URLSearchParams;
    if (options.bodyFormat === 'json') {
      if (type !== 'application/json') return { status: 400, body: { error: 'invalid_request', error_description: 'expected JSON' } };
      form = new URLSearchParams(Object.entries(JSON.parse(body) as Record<string, string>));
    } else {
      if (type !== 'application/x-www-form-urlencoded') return { status: 400, body: { error: 'invalid_request', error_description: 'expected a form' } };
      form = new URLSearchParams(body);
    }
    const seen: TokenRequestSeen = { headers, body, form, status: 0 };
    tokenRequests.push(seen);
    const fail = (status: number, error: string, description?: string) => {
      seen.status = status;
      seen.error = error;
      return { status, body: { error, ...(description ? { error_description: description } : {}) } };
    };
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (failure) return fail(failure.status, failure.error, 'the mock was told to fail');

    if (options.clientAuth === 'jwt-bearer') {
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return fail(400, 'unsupported_grant_type');
      const jwt = options.jwt!;
      try {
        const { payload, protectedHeader } = await jwtVerify(form.get('assertion') ?? '', jwt.publicKey, {
          algorithms: ['RS256'],
          issuer: jwt.issuer,
          audience: options.publicTokenUrl,
          currentDate: new Date(now()),
          requiredClaims: ['iat', 'exp', 'scope'],
        });
        if (protectedHeader.typ !== 'JWT') return fail(400, 'invalid_grant', 'typ');
        if (payload.scope !== jwt.scope) return fail(400, 'invalid_scope');
        if (payload.exp! - payload.iat! > 3600) return fail(400, 'invalid_grant', 'Invalid JWT: lifetime longer than an hour');
        if (payload.sub !== jwt.subject) return fail(401, 'unauthorized_client', 'subject');
      } catch (err) {
        return fail(400, 'invalid_grant', `Invalid JWT Signature (${(err as Error).name})`);
      }
    } else {
      if (form.get('grant_type') !== 'client_credentials') return fail(400, 'unsupported_grant_type');
      if (options.clientAuth === 'basic') {
        const m = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(String(headers.authorization ?? ''));
        if (!m) return fail(401, 'invalid_client', 'no Basic credentials');
        const decoded = Buffer.from(m[1], 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
        if (colon < 0 || !same(formDecode(decoded.slice(0, colon)), clientId) || !same(formDecode(decoded.slice(colon + 1)), clientSecret)) {
          return fail(401, 'invalid_client', 'Client Authentication failed');
        }
        if (form.has('client_secret')) return fail(400, 'invalid_request', 'two client authentications');
      } else if (options.clientAuth === 'body') {
        if (headers.authorization) return fail(400, 'invalid_request', 'two client authentications');
        if (!same(form.get('client_id') ?? '', clientId) || !same(form.get('client_secret') ?? '', clientSecret)) {
          // Echoes what it got, as a careless provider might: the hub must not repeat it.
          return fail(401, 'invalid_client', `AADSTS7000215: Invalid client secret provided: ${form.get('client_secret') ?? ''}`);
        }
      } else {
        const problem = checkOAuth1('POST', new URL(options.publicTokenUrl!), options.bodyFormat === 'json' ? new URLSearchParams() : form, String(headers.authorization ?? ''), clientId, clientSecret, now(), nonces);
        if (problem) return fail(401, 'invalid_client', `signature mismatch (${problem})`);
      }
      if (options.scope !== undefined && form.get('scope') !== options.scope) return fail(400, 'invalid_scope');
      for (const [k, v] of Object.entries(options.params ?? {})) if (form.get(k) !== v) return fail(400, 'invalid_request', `missing ${k}`);
    }
    const token = `tok-${++counter}-${Math.random().toString(36).slice(2, 10)}`;
    const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
    live.set(token, expiresIn === null ? Infinity : now() + expiresIn * 1000);
    issued.push(token);
    seen.status = 200;
    return { status: 200, body: options.answer ? options.answer(token, expiresIn) : { access_token: token, token_type: 'Bearer', ...(expiresIn === null ? {} : { expires_in: expiresIn }) } };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      if (path === tokenPath) {
        tokenAnswer(req.method ?? '', req.headers, body).then((a) => reply(a.status, a.body), (err: unknown) => reply(500, { error: 'server_error', error_description: String(err) }));
        return;
      }
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      const expiry = m ? live.get(m[1]) : undefined;
      const ok = expiry !== undefined && now() < expiry;
      apiRequests.push({ path, authorization: req.headers.authorization, status: ok ? 200 : 401 });
      if (ok) reply(200, { ok: true, path, token: m![1] });
      else reply(401, { error: { code: 401, message: 'Request had invalid authentication credentials.' } }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    tokenRequests,
    apiRequests,
    issued,
    revoke: (token) => void live.delete(token),
    failWith: (status, error = 'invalid_client') => {
      failure = status === null ? null : { status, error };
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
