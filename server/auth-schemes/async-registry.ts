// prepareAuth: applies any auth scheme to a request, the ones that need I/O included. The static
// schemes go to applyAuth (registry.ts); the others are
// - oauth2-client-credentials, google-service-account: a token from the cache or the token
//   endpoint (deps.fetch, deps.tokenCache), sent as Bearer;
// - aws-sigv4: signed with aws4 (pure);
// - hmac-signature: signed parameters or an HMAC header (async for multipart bodies).
// Signing schemes must come last: apply them to the request as it will be sent.
//
// Two clocks: ctx.now() stamps what is signed (SigV4 date, JWT iat, OAuth 1.0a and Cloudinary
// timestamps); deps.now() (ms) is the token cache's clock. Both are the system clock in the hub.
// ctx.providerId (optional) keeps the tokens of two provider instances apart even when their
// key ids are equal; the cache key also holds the token URL, scope, client and a keyed
// fingerprint of the client secret or private key, so a changed credential gets a new token.
//
// After an answer 401 from the provider, invalidateAuth(scheme, sentRequest, ctx, deps) drops the
// token that request carried, so that the next request fetches a new one (once: a token already
// replaced is left alone).
import type { AuthScheme } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { applyAwsSigV4 } from './aws-sigv4.ts';
import { googleServiceAccountToken, googleServiceAccountTokenKey, prepareGoogleServiceAccount } from './google-service-account.ts';
import { prepareHmacSignature } from './hmac-signature.ts';
import { oauth2Token, oauth2TokenKey, prepareOAuth2ClientCredentials } from './oauth2-client-credentials.ts';
import { applyAuth, SUPPORTED_SCHEMES } from './registry.ts';
import { renderRequest, type RequestTemplate } from './render-request.ts';
import { TokenCache, type TokenCacheOptions } from './token-cache.ts';
import type { AuthDeps, FetchLike, TokenAuthContext } from './token-request.ts';
import { getHeader, type RequestParts } from './types.ts';

export type { AuthDeps, FetchLike, TokenAuthContext } from './token-request.ts';
export { TokenCache } from './token-cache.ts';

/** The schemes prepareAuth adds to those of applyAuth. */
export const ASYNC_SCHEMES: readonly string[] = ['oauth2-client-credentials', 'aws-sigv4', 'google-service-account', 'hmac-signature'];

/** Every scheme type prepareAuth applies. */
export const ALL_SCHEMES: readonly string[] = [...SUPPORTED_SCHEMES, ...ASYNC_SCHEMES];

/** The schemes whose credential is a cached token. */
export const TOKEN_SCHEMES: readonly string[] = ['oauth2-client-credentials', 'google-service-account'];

/** Deps for the hub: globalThis.fetch, a new token cache, the system clock. */
export function createAuthDeps(options: { fetch?: FetchLike; tokenCache?: TokenCache; cache?: TokenCacheOptions; now?: () => number } = {}): AuthDeps {
  return {
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    tokenCache: options.tokenCache ?? new TokenCache(options.cache),
    now: options.now ?? Date.now,
  };
}

/** Applies `scheme` to `req` and returns the new request; `req` is not changed. */
export async function prepareAuth(scheme: AuthScheme, req: RequestParts, ctx: TokenAuthContext, deps: AuthDeps): Promise<RequestParts> {
  switch (scheme.type) {
    case 'oauth2-client-credentials':
      return prepareOAuth2ClientCredentials(scheme, req, ctx, deps);
    case 'google-service-account':
      return prepareGoogleServiceAccount(scheme, req, ctx, deps);
    case 'aws-sigv4':
      return applyAwsSigV4(scheme, req, ctx);
    case 'hmac-signature':
      return prepareHmacSignature(scheme, req, ctx);
    default:
      if (SUPPORTED_SCHEMES.includes(scheme.type)) return applyAuth(scheme, req, ctx);
      throw new SilError('SIL_AUTH_UNSUPPORTED', `unknown auth scheme ${JSON.stringify((scheme as { type: unknown }).type)} (supported: ${ALL_SCHEMES.join(', ')})`);
  }
}

/** renderRequest, then prepareAuth with the template's auth (none when absent or null). */
export async function renderRequestWithAuth(template: RequestTemplate, ctx: TokenAuthContext, deps: AuthDeps): Promise<RequestParts> {
  const req = renderRequest({ ...template, auth: null }, ctx);
  return template.auth ? prepareAuth(template.auth, req, ctx, deps) : req;
}

/**
 * The access token of a token scheme, for a health check of kind `token` (`force`: a new token
 * even when one is cached). Throws SIL_AUTH_TOKEN when the endpoint refuses.
 */
export async function obtainToken(scheme: AuthScheme, ctx: TokenAuthContext, deps: AuthDeps, options: { force?: boolean } = {}): Promise<string> {
  if (scheme.type === 'oauth2-client-credentials') return oauth2Token(scheme, ctx, deps, options);
  if (scheme.type === 'google-service-account') return googleServiceAccountToken(scheme, ctx, deps, options);
  throw new SilError('SIL_AUTH_UNSUPPORTED', `auth scheme "${scheme.type}" has no token to obtain (token schemes: ${TOKEN_SCHEMES.join(', ')})`);
}

/** The token cache key of a token scheme with `ctx`'s key; undefined for other schemes. */
export function authTokenKey(scheme: AuthScheme, ctx: TokenAuthContext): string | undefined {
  if (scheme.type === 'oauth2-client-credentials') return oauth2TokenKey(scheme, ctx);
  if (scheme.type === 'google-service-account') return googleServiceAccountTokenKey(scheme, ctx);
  return undefined;
}

/**
 * After the provider answered 401 to `sent` (a request prepareAuth returned), drops the token it
 * carried, unless the cache already holds another one. Returns whether a token was dropped (so
 * that one retry with a new token makes sense); false for schemes without a token.
 */
export function invalidateAuth(scheme: AuthScheme, sent: Pick<RequestParts, 'headers'>, ctx: TokenAuthContext, deps: AuthDeps): boolean {
  if (!TOKEN_SCHEMES.includes(scheme.type)) return false;
  const m = /^Bearer (.+)$/.exec(getHeader(sent.headers, 'authorization') ?? '');
  if (!m) return false;
  let key: string | undefined;
  try {
    key = authTokenKey(scheme, ctx);
  } catch {
    return false; // the key can no longer be rendered: there is no token of it to drop
  }
  return key !== undefined && deps.tokenCache.invalidate(key, m[1]);
}
