// Small pieces the mocks of helper H6's templates share (algolia, amplitude, mixpanel,
// google-analytics, hotjar): constant-time comparison, HTTP Basic (RFC 7617) and Bearer
// (RFC 6750) parsing, and a store of issued access tokens with expiry and revocation.
import { timingSafeEqual } from 'node:crypto';
import type { ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';

/** Constant-time string equality. */
export function same(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The header's value (first one if repeated). */
export function header(r: ReceivedRequest, name: string): string | undefined {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `Authorization: Basic base64(user:pass)` → [user, pass]; undefined when absent or malformed. */
export function basicPair(r: ReceivedRequest): [string, string] | undefined {
  const m = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(header(r, 'authorization') ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : [text.slice(0, colon), text.slice(colon + 1)];
}

/** `Authorization: Bearer <token>` → token. */
export function bearerToken(r: ReceivedRequest): string | undefined {
  const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(header(r, 'authorization') ?? '');
  return m?.[1];
}

/** The media type of the request, lower case, without parameters. */
export function mediaType(r: ReceivedRequest): string {
  return (header(r, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/** Access tokens a mock issued: each lives until its expiry (mock clock) or until revoked. */
export class TokenStore {
  private live = new Map<string, { expires: number; scope: string }>();
  readonly issued: string[] = [];
  private n = 0;
  private readonly prefix: string;
  private readonly now: () => number;
  constructor(prefix: string, now: () => number = Date.now) {
    this.prefix = prefix;
    this.now = now;
  }

  issue(lifetimeSeconds: number, scope = ''): string {
    const token = `${this.prefix}${++this.n}-${Math.random().toString(36).slice(2, 10)}`;
    this.live.set(token, { expires: this.now() + lifetimeSeconds * 1000, scope });
    this.issued.push(token);
    return token;
  }

  /** The token's scope when it is live, else undefined. */
  check(token: string | undefined): { scope: string } | undefined {
    const t = token === undefined ? undefined : this.live.get(token);
    return t && t.expires > this.now() ? { scope: t.scope } : undefined;
  }

  revokeAll(): void {
    this.live.clear();
  }
}
