// google-service-account: an RS256 JWT assertion signed with the service account's private key
// is exchanged at the token URL for an access token (RFC 7523, Google's "OAuth 2.0 for server to
// server applications"), cached until shortly before it expires (an hour), sent as Bearer.
//
// The key file is the JSON Google hands out: `type: service_account`, `client_email`,
// `private_key` (PEM, PKCS#8; PKCS#1 is read too), `private_key_id` (sent as the JWT `kid`),
// `token_uri`. The token URL is the scheme's `tokenUrl`, else the key's `token_uri`, else
// https://oauth2.googleapis.com/token. The assertion: iss = client_email, scope = the scopes
// joined by spaces, aud = the token URL, iat = now, exp = iat + 3600, sub = `subject` when it
// renders non-empty (domain-wide delegation). The request: POST form
// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>`.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AuthGoogleServiceAccount } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { renderValue } from './render-value.ts';
import { redirectOrigin } from './origins.ts';
import { tokenCacheKey } from './token-cache.ts';
import { parseTokenUrl, requestToken, withBearer, type AuthDeps, type TokenAuthContext, type TokenRequest } from './token-request.ts';
import type { RequestParts } from './types.ts';

const WHAT = 'auth google-service-account';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Lifetime of the assertion; Google accepts at most an hour. */
const ASSERTION_SECONDS = 3600;

/** The parts of a service-account key file the scheme uses. */
export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
  tokenUri?: string;
}

function badKey(scheme: AuthGoogleServiceAccount, why: string): SilError {
  // Never the key's text: it holds the private key.
  return new SilError('SIL_AUTH_MISSING_SECRET', `${WHAT}: the service-account key (${scheme.serviceAccountKey}) ${why}`, {
    hint: 'Store the whole JSON key file of the service account (IAM, Service accounts, Keys, Add key, JSON) as this credential.',
  });
}

/** Reads a service-account JSON key file; throws SIL_AUTH_MISSING_SECRET naming what is wrong, never a value. */
export function parseServiceAccountKey(text: string, scheme: AuthGoogleServiceAccount): ServiceAccountKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badKey(scheme, 'is not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw badKey(scheme, 'is not a JSON object');
  const o = json as Record<string, unknown>;
  if (o.type !== undefined && o.type !== 'service_account') {
    throw badKey(scheme, `is of type ${JSON.stringify(String(o.type)).slice(0, 40)}, not service_account`);
  }
  if (typeof o.client_email !== 'string' || o.client_email === '') throw badKey(scheme, 'has no client_email');
  if (typeof o.private_key !== 'string' || !o.private_key.includes('PRIVATE KEY')) throw badKey(scheme, 'has no PEM private_key');
  return {
    clientEmail: o.client_email,
    privateKey: o.private_key,
    ...(typeof o.private_key_id === 'string' && o.private_key_id !== '' ? { privateKeyId: o.private_key_id } : {}),
    ...(typeof o.token_uri === 'string' && o.token_uri !== '' ? { tokenUri: o.token_uri } : {}),
  };
}

interface Rendered {
  scheme: AuthGoogleServiceAccount;
  key: ServiceAccountKey;
  /** Where the assertion is sent (after `origins:`). */
  tokenUrl: URL;
  /** The JWT's audience: the token URL before `origins:`, which the token server checks. */
  audience: string;
  scope: string;
  subject: string;
}

function renderScheme(scheme: AuthGoogleServiceAccount, ctx: TokenAuthContext): Rendered {
  const text = renderValue(scheme.serviceAccountKey, ctx, `${WHAT}: serviceAccountKey`);
  if (text.trim() === '') throw new SilError('SIL_AUTH_MISSING_SECRET', `${WHAT}: the service-account key (${scheme.serviceAccountKey}) renders empty`);
  const key = parseServiceAccountKey(text, scheme);
  const url = scheme.tokenUrl !== undefined
    ? renderValue(scheme.tokenUrl, ctx, `${WHAT}: tokenUrl`, { encoding: 'path', connection: 'raw' })
    : key.tokenUri ?? GOOGLE_TOKEN_URL;
  const subject = scheme.subject === undefined ? '' : renderValue(scheme.subject, ctx, `${WHAT}: subject`);
  const tokenUrl = parseTokenUrl(url, WHAT);
  return { scheme, key, tokenUrl: redirectOrigin(tokenUrl, ctx.origins), audience: tokenUrl.href, scope: scheme.scopes.join(' '), subject };
}

function cacheKey(r: Rendered, ctx: TokenAuthContext): string {
  return tokenCacheKey({
    scheme: 'google-service-account',
    providerId: ctx.providerId,
    keyId: ctx.keyId,
    tokenUrl: r.tokenUrl.href,
    scope: r.scope,
    client: r.key.clientEmail,
    credential: r.key.privateKey,
    extra: [r.subject],
  });
}

function privateKey(r: Rendered): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: r.key.privateKey, format: 'pem' });
  } catch {
    throw badKey(r.scheme, 'has a private_key that is not a readable PEM private key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw badKey(r.scheme, `has a ${key.asymmetricKeyType ?? 'non-RSA'} private_key, not RSA (RS256)`);
  return key;
}

/** The signed JWT assertion. */
async function serviceAccountAssertion(r: Rendered, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const jwt = new SignJWT({ scope: r.scope })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(r.key.privateKeyId ? { kid: r.key.privateKeyId } : {}) })
    .setIssuer(r.key.clientEmail)
    .setAudience(r.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_SECONDS);
  if (r.subject !== '') jwt.setSubject(r.subject);
  return jwt.sign(privateKey(r));
}

async function tokenRequest(r: Rendered, now: Date): Promise<TokenRequest> {
  const assertion = await serviceAccountAssertion(r, now);
  return {
    what: WHAT,
    url: r.tokenUrl,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams([['grant_type', JWT_BEARER_GRANT], ['assertion', assertion]]).toString(),
    tokenPath: 'access_token',
    expiresInPath: 'expires_in',
    defaultExpiresInSeconds: ASSERTION_SECONDS,
    secrets: [assertion],
  };
}

/** The access token of the key in `ctx`: cached, or fetched (shared by concurrent callers). */
export async function googleServiceAccountToken(scheme: AuthGoogleServiceAccount, ctx: TokenAuthContext, deps: AuthDeps, options: { force?: boolean } = {}): Promise<string> {
  const r = renderScheme(scheme, ctx);
  return deps.tokenCache.get(cacheKey(r, ctx), deps.now, async () => requestToken(deps.fetch, await tokenRequest(r, ctx.now())), options);
}

/** The cache key of the token `ctx`'s key gets (for invalidation after a 401). */
export function googleServiceAccountTokenKey(scheme: AuthGoogleServiceAccount, ctx: TokenAuthContext): string {
  return cacheKey(renderScheme(scheme, ctx), ctx);
}

export async function prepareGoogleServiceAccount(scheme: AuthGoogleServiceAccount, req: RequestParts, ctx: TokenAuthContext, deps: AuthDeps): Promise<RequestParts> {
  return withBearer(req, await googleServiceAccountToken(scheme, ctx, deps));
}
