// The token request shared by the token-based schemes (oauth2-client-credentials,
// google-service-account): POST to the token endpoint with an injected fetch, time-bounded, no
// redirects followed, the answer read as JSON and the token and its lifetime taken from it.
//
// SECURITY: no message repeats a credential. The token endpoint is named by its origin only (a
// template may put a secret in its path); the provider's own error text is cut short, with the
// credentials of the request and every long token-like run of characters taken out.
import { SilError } from '../errors.ts';
import type { IssuedToken, TokenCache } from './token-cache.ts';
import { copyRequest, setHeader, type AuthContext, type RequestParts } from './types.ts';

/** The fetch the hub sends token requests with (globalThis.fetch fits; tests inject their own). */
export type FetchLike = (url: URL, init: RequestInit) => Promise<Response>;

/** What the schemes that do I/O need: a fetch for token requests, the token cache, a clock (ms). */
export interface AuthDeps {
  fetch: FetchLike;
  tokenCache: TokenCache;
  /** Milliseconds since the epoch; the token cache's clock. */
  now: () => number;
}

/** An AuthContext that may name the provider instance, so that its tokens are cached apart. */
export interface TokenAuthContext extends AuthContext {
  providerId?: string;
}

/** A copy of `req` with `Authorization: Bearer <token>`. */
export function withBearer(req: RequestParts, token: string): RequestParts {
  const out = copyRequest(req);
  setHeader(out.headers, 'Authorization', `Bearer ${token}`);
  return out;
}

/** How long one token request may take, answer included. */
export const TOKEN_TIMEOUT_MS = 10_000;
/** Larger answers are refused (a token answer is a few kilobytes at most). */
const MAX_ANSWER_CHARS = 256 * 1024;
/** Longer tokens are refused (a JWT access token is a few kilobytes). */
const MAX_TOKEN_CHARS = 16 * 1024;
const DESCRIPTION_CHARS = 200;

export interface TokenRequest {
  /** Label for messages: `auth oauth2-client-credentials`. */
  what: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  /** Dotted path of the token in the JSON answer (`access_token`, `data.token`). */
  tokenPath: string;
  /** Dotted path of its lifetime in seconds. */
  expiresInPath: string;
  /** Lifetime when the answer gives none. */
  defaultExpiresInSeconds: number;
  /** Values that must not appear in a message (the client secret, the client id). */
  secrets: readonly string[];
}

/** A token URL rendered from a template: http(s), no user:password@, no fragment. */
export function parseTokenUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SilError('SIL_INTERNAL', `${what}: the token URL is not a valid URL once rendered`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SilError('SIL_INTERNAL', `${what}: the token URL's scheme ${url.protocol} is not http or https`);
  if (url.username || url.password) throw new SilError('SIL_INTERNAL', `${what}: the token URL carries user:password@, which is not sent`);
  url.hash = '';
  return url;
}

/** The value at a dotted path (`a.b`, `list[0].c`) of a JSON value. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    const steps: (string | number)[] = m[1] === '' ? [] : [m[1]];
    for (const i of m[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(i[1]));
    for (const step of steps) {
      if (current === null || typeof current !== 'object') return undefined;
      if (typeof step === 'number') {
        if (!Array.isArray(current)) return undefined;
        current = current[step];
      } else {
        if (!Object.hasOwn(current, step)) return undefined;
        current = (current as Record<string, unknown>)[step];
      }
    }
  }
  return current;
}

/** Why a request failed, without its URL. */
function failure(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return `timed out after ${TOKEN_TIMEOUT_MS / 1000} s`;
  return e?.cause?.code ?? e?.code ?? e?.name ?? 'error';
}

/** The provider's error text, safe for a message: secrets and token-like runs cut out, short. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  out = out.replace(/[A-Za-z0-9+/=_.~-]{32,}/g, '…').replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  return out.length > DESCRIPTION_CHARS ? `${out.slice(0, DESCRIPTION_CHARS)}…` : out;
}

/** `invalid_client (Client authentication failed)`, from an RFC 6749 error answer. */
function oauthError(json: unknown, secrets: readonly string[]): { code?: string; text: string } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { text: '' };
  const o = json as Record<string, unknown>;
  const code = typeof o.error === 'string' && /^[\w.:-]{1,64}$/.test(o.error) ? o.error : undefined;
  const description = typeof o.error_description === 'string' ? scrub(o.error_description, secrets) : '';
  return { code, text: code ? `: ${code}${description ? ` (${description})` : ''}` : description ? `: ${description}` : '' };
}

function tokenError(message: string, details: Record<string, unknown>, cause?: unknown): SilError {
  return new SilError('SIL_AUTH_TOKEN', message, { details, cause });
}

/** Sends the token request and returns the token with its lifetime; throws SIL_AUTH_TOKEN. */
export async function requestToken(fetchFn: FetchLike, r: TokenRequest): Promise<IssuedToken> {
  const where = `${r.what}: token request to ${r.url.origin}`;
  let res: Response;
  try {
    res = await fetchFn(r.url, { method: 'POST', headers: r.headers, body: r.body, redirect: 'manual', signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS) });
  } catch (err) {
    throw tokenError(`${where}: no answer (${failure(err)})`, { reason: 'network' }, err);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw tokenError(`${where}: the answer (status ${res.status}) could not be read (${failure(err)})`, { status: res.status }, err);
  }
  if (text.length > MAX_ANSWER_CHARS) throw tokenError(`${where}: the answer (status ${res.status}) is larger than ${MAX_ANSWER_CHARS} characters`, { status: res.status });
  let json: unknown;
  let isJson = true;
  try {
    json = JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (res.status < 200 || res.status > 299) {
    const e = isJson ? oauthError(json, r.secrets) : { code: undefined, text: '' };
    throw tokenError(`${where}: answered ${res.status}${e.text}`, { status: res.status, ...(e.code ? { error: e.code } : {}) });
  }
  if (!isJson) throw tokenError(`${where}: the answer (status ${res.status}) is not JSON`, { status: res.status });
  const token = valueAt(json, r.tokenPath);
  if (typeof token !== 'string' || token === '') {
    throw tokenError(`${where}: the answer (status ${res.status}) has no token at "${r.tokenPath}"`, { status: res.status });
  }
  if (token.length > MAX_TOKEN_CHARS || /[\u0000-\u001f\u007f]/.test(token)) {
    throw tokenError(`${where}: the token at "${r.tokenPath}" is too long or holds control characters, which a header cannot carry`, { status: res.status });
  }
  const raw = valueAt(json, r.expiresInPath);
  const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return { token, expiresInSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : r.defaultExpiresInSeconds };
}
