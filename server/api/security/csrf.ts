// CSRF defence for the owner API. Every POST/PUT/PATCH/DELETE under /api must
// 1. not come from another site: an Origin header, when present, names this host (the Host
//    header, or X-Forwarded-Host when a trusted proxy sent it), and Sec-Fetch-Site, when
//    present, is same-origin or none;
// 2. carry the CSRF token of GET /api/session in an `x-sil-csrf` header. The token is derived
//    from the secret cookie (the session's id, or the pre-session value before login), so
//    another site can neither read nor compute it; and a custom header cannot be sent across
//    sites without a CORS preflight, which the hub never grants.
// Refusals are 403 SIL_CSRF.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { SilError } from '../../errors.ts';

export const CSRF_HEADER = 'x-sil-csrf';

/** The CSRF token that belongs to a secret cookie value (domain-separated SHA-256, base64url). */
export function csrfTokenFor(secret: string): string {
  return createHash('sha256').update('sil-csrf\0').update(secret).digest('base64url');
}

/**
 * Why the request's origin is not this hub, or undefined when it is (or cannot be told).
 * `hosts`: the names this hub answers to for the request (default: the Host header).
 */
export function crossSiteProblem(ctx: Context, hosts: readonly string[] = [ctx.get('host')]): string | undefined {
  const site = ctx.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is ${site}`;
  const origin = ctx.get('origin');
  if (!origin) return undefined;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `Origin "${origin}" is not a URL`;
  }
  const known = hosts.filter(Boolean).map((h) => h.toLowerCase());
  if (origin === 'null' || !known.includes(host.toLowerCase())) return `Origin ${origin} is not this hub (${known.join(' or ') || 'no Host header'})`;
  return undefined;
}

/**
 * Throws 403 SIL_CSRF unless the request is same-site and its x-sil-csrf header matches the
 * token of `secret` (undefined: the browser holds no cookie the token could belong to).
 */
export function checkCsrf(ctx: Context, secret: string | undefined, hosts?: readonly string[]): void {
  const problem = crossSiteProblem(ctx, hosts);
  if (problem) throw new SilError('SIL_CSRF', `cross-site request refused: ${problem}`);
  const given = ctx.get(CSRF_HEADER);
  if (!given) throw new SilError('SIL_CSRF', `the ${CSRF_HEADER} header is missing`);
  const expected = secret ? Buffer.from(csrfTokenFor(secret)) : undefined;
  const actual = Buffer.from(given);
  if (!expected || expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new SilError('SIL_CSRF', `the ${CSRF_HEADER} header does not match this session`, { hint: 'GET /api/session for the current csrfToken (it changes when you sign in) and send it again' });
  }
}
