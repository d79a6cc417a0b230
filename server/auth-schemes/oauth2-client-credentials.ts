// oauth2-client-credentials: the hub gets an access token from `tokenUrl` with the
// client-credentials grant (RFC 6749 §4.4), caches it (token-cache.ts) and sends it as
// `Authorization: Bearer <token>`.
//
// The token request: POST, `grant_type=client_credentials`, `scope` when set, the extra
// `params`, as an application/x-www-form-urlencoded body (or a JSON object with
// `bodyFormat: json`). The client authenticates with
// - `basic` (default): `Authorization: Basic base64(id:secret)`, id and secret form-encoded first
//   as RFC 6749 §2.3.1 says (a no-op for the usual letters, digits, `-`, `_`, `.`);
// - `body`: `client_id` and `client_secret` in the body;
// - `oauth1-hmac-sha256`: an OAuth 1.0a signature of the token request (RFC 5849, HERE):
//   `Authorization: OAuth oauth_consumer_key=<id>, oauth_nonce, oauth_signature,
//   oauth_signature_method="HMAC-SHA256", oauth_timestamp, oauth_version="1.0"`, signed over
//   `POST&<url>&<sorted params>` (oauth_* and the form parameters) with `<secret>&`.
// The token is read at `tokenPath` (default `access_token`), its lifetime in seconds at
// `expiresInPath` (default `expires_in`; `defaultExpiresInSeconds`, 3600, when absent).
import { createHmac, randomBytes } from 'node:crypto';
import type { AuthOAuth2ClientCredentials } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { renderValue } from './render-value.ts';
import { redirectOrigin } from './origins.ts';
import { tokenCacheKey } from './token-cache.ts';
import { parseTokenUrl, requestToken, withBearer, type AuthDeps, type TokenAuthContext, type TokenRequest } from './token-request.ts';
import type { AuthContext, RequestParts } from './types.ts';

const WHAT = 'auth oauth2-client-credentials';

/** The scheme's template strings rendered with a key: what one token request needs. */
export interface OAuth2Client {
  scheme: AuthOAuth2ClientCredentials;
  tokenUrl: URL;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** Extra parameters whose value rendered non-empty. */
  params: [string, string][];
}

const RESERVED = new Set(['grant_type', 'client_id', 'client_secret']);

export function renderOAuth2Client(scheme: AuthOAuth2ClientCredentials, ctx: AuthContext): OAuth2Client {
  const tokenUrl = redirectOrigin(parseTokenUrl(renderValue(scheme.tokenUrl, ctx, `${WHAT}: tokenUrl`, { encoding: 'path', connection: 'raw' }), WHAT), ctx.origins);
  const clientId = renderValue(scheme.clientId, ctx, `${WHAT}: clientId`);
  const clientSecret = renderValue(scheme.clientSecret, ctx, `${WHAT}: clientSecret`);
  if (clientId === '') throw new SilError('SIL_AUTH_MISSING_SECRET', `${WHAT}: the client id (${scheme.clientId}) renders empty`);
  if (clientSecret === '') throw new SilError('SIL_AUTH_MISSING_SECRET', `${WHAT}: the client secret (${scheme.clientSecret}) renders empty`);
  const scope = scheme.scope === undefined ? '' : renderValue(scheme.scope, ctx, `${WHAT}: scope`);
  const params: [string, string][] = [];
  for (const [name, text] of Object.entries(scheme.params ?? {})) {
    if (RESERVED.has(name)) throw new SilError('SIL_INTERNAL', `${WHAT}: params may not set "${name}", which the scheme sets itself`);
    if (name === 'scope' && scope !== '') throw new SilError('SIL_INTERNAL', `${WHAT}: scope is set both as a field and in params`);
    const value = renderValue(text, ctx, `${WHAT}: parameter "${name}"`);
    if (value !== '') params.push([name, value]);
  }
  return { scheme, tokenUrl, clientId, clientSecret, scope, params };
}

/** The cache key of the token of this client. */
export function oauth2CacheKey(client: OAuth2Client, ctx: TokenAuthContext): string {
  return tokenCacheKey({
    scheme: 'oauth2-client-credentials',
    providerId: ctx.providerId,
    keyId: ctx.keyId,
    tokenUrl: client.tokenUrl.href,
    scope: client.scope,
    client: client.clientId,
    credential: client.clientSecret,
    extra: [client.scheme.clientAuth ?? 'basic', client.scheme.bodyFormat ?? 'form', JSON.stringify(client.params)],
  });
}

/** RFC 6749 §2.3.1 / Appendix B: application/x-www-form-urlencoded, as the user id and password of Basic. */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** RFC 5849 §3.6: percent-encode everything but ALPHA, DIGIT, `-`, `.`, `_`, `~`. */
export function oauth1Encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The OAuth 1.0a `Authorization` header of a request (no token: two-legged, as HERE's token
 * endpoint takes it). `params` are the form-body parameters, which the signature covers along
 * with the query parameters of `url`.
 */
export function oauth1Authorization(input: { method: string; url: URL; params: readonly (readonly [string, string])[]; consumerKey: string; consumerSecret: string; timestamp: number; nonce: string }): string {
  const oauth: [string, string][] = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', input.nonce],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', String(input.timestamp)],
    ['oauth_version', '1.0'],
  ];
  const all = [...input.url.searchParams, ...input.params, ...oauth].map(([k, v]) => [oauth1Encode(k), oauth1Encode(v)] as const);
  all.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = all.map(([k, v]) => `${k}=${v}`).join('&');
  const baseUrl = `${input.url.protocol}//${input.url.host}${input.url.pathname}`;
  const base = `${input.method.toUpperCase()}&${oauth1Encode(baseUrl)}&${oauth1Encode(normalized)}`;
  const signature = createHmac('sha256', `${oauth1Encode(input.consumerSecret)}&`).update(base, 'utf8').digest('base64');
  return `OAuth ${[...oauth, ['oauth_signature', signature]].map(([k, v]) => `${k}="${oauth1Encode(v)}"`).join(', ')}`;
}

/** The token request of this client. `now` stamps the OAuth 1.0a signature. */
export function oauth2TokenRequest(client: OAuth2Client, now: Date): TokenRequest {
  const { scheme } = client;
  const clientAuth = scheme.clientAuth ?? 'basic';
  const fields: [string, string][] = [['grant_type', 'client_credentials']];
  if (client.scope !== '') fields.push(['scope', client.scope]);
  fields.push(...client.params);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (clientAuth === 'body') fields.push(['client_id', client.clientId], ['client_secret', client.clientSecret]);
  else if (clientAuth === 'basic') headers.Authorization = `Basic ${Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`, 'utf8').toString('base64')}`;
  let body: string;
  if (scheme.bodyFormat === 'json') {
    const obj: Record<string, string> = {};
    for (const [k, v] of fields) Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
    body = JSON.stringify(obj);
    headers['Content-Type'] = 'application/json';
  } else {
    body = new URLSearchParams(fields).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  if (clientAuth === 'oauth1-hmac-sha256') {
    headers.Authorization = oauth1Authorization({
      method: 'POST',
      url: client.tokenUrl,
      // Only form parameters are part of an OAuth 1.0a signature base string.
      params: scheme.bodyFormat === 'json' ? [] : fields,
      consumerKey: client.clientId,
      consumerSecret: client.clientSecret,
      timestamp: Math.floor(now.getTime() / 1000),
      nonce: randomBytes(16).toString('base64url'),
    });
  }
  return {
    what: WHAT,
    url: client.tokenUrl,
    headers,
    body,
    tokenPath: scheme.tokenPath ?? 'access_token',
    expiresInPath: scheme.expiresInPath ?? 'expires_in',
    defaultExpiresInSeconds: scheme.defaultExpiresInSeconds ?? 3600,
    secrets: [client.clientSecret],
  };
}

/** The access token of the key in `ctx`: cached, or fetched (shared by concurrent callers). */
export async function oauth2Token(scheme: AuthOAuth2ClientCredentials, ctx: TokenAuthContext, deps: AuthDeps, options: { force?: boolean } = {}): Promise<string> {
  const client = renderOAuth2Client(scheme, ctx);
  return deps.tokenCache.get(oauth2CacheKey(client, ctx), deps.now, () => requestToken(deps.fetch, oauth2TokenRequest(client, ctx.now())), options);
}

/** The cache key of the token `ctx`'s key gets (for invalidation after a 401). */
export function oauth2TokenKey(scheme: AuthOAuth2ClientCredentials, ctx: TokenAuthContext): string {
  return oauth2CacheKey(renderOAuth2Client(scheme, ctx), ctx);
}

export async function prepareOAuth2ClientCredentials(scheme: AuthOAuth2ClientCredentials, req: RequestParts, ctx: TokenAuthContext, deps: AuthDeps): Promise<RequestParts> {
  return withBearer(req, await oauth2Token(scheme, ctx, deps));
}
