// The owner's cookies, written by hand rather than through Koa's ctx.cookies (which refuses a
// Secure cookie unless Koa itself trusts X-Forwarded-Proto from anyone, app.proxy).
//
// - sil_session: the session id. HttpOnly (no script reads it), SameSite=Strict (no other site's
//   page makes the browser send it), Path=/, Secure when the request came over TLS. No Max-Age:
//   the browser forgets it when it closes; the server ends it after the idle or absolute limit.
// - sil_presession: a random value given to a browser without a session, so that login and setup
//   carry a CSRF token too (login CSRF). Same flags.
import type { Context } from 'koa';
import { compileAllowlist, type CompiledAllowlist } from '../../core/cidr.ts';
import type { LiveConfig } from '../../config/live-config.ts';
import type { Settings } from '../../config/snapshot.ts';

export const SESSION_COOKIE = 'sil_session';
export const PRESESSION_COOKIE = 'sil_presession';

/** A cookie's value from the request's Cookie header (the first one of that name). */
export function readCookie(ctx: Context, name: string): string | undefined {
  const header = ctx.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

export function setCookie(ctx: Context, name: string, value: string, secure: boolean): void {
  ctx.append('Set-Cookie', `${name}=${value}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
}

export function clearCookie(ctx: Context, name: string, secure: boolean): void {
  ctx.append('Set-Cookie', `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
}

const trustedCache = new WeakMap<Settings, CompiledAllowlist>();

/** The direct peer is one of sil.yaml's security.trustedProxies. */
export function peerIsTrustedProxy(ctx: Context, live: LiveConfig): boolean {
  const settings = live.snapshot?.settings;
  if (!settings) return false;
  let trusted = trustedCache.get(settings);
  if (!trusted) {
    trusted = compileAllowlist(settings.security.trustedProxies ?? []);
    trustedCache.set(settings, trusted);
  }
  return trusted.contains(ctx.req.socket.remoteAddress ?? '');
}

/**
 * The browser reached the hub over TLS: the socket is TLS, or a trusted proxy says
 * `X-Forwarded-Proto: https` (its last value: the proxy nearest to the hub appends). A header
 * from anyone else is ignored.
 */
export function requestIsTls(ctx: Context, live: LiveConfig): boolean {
  if ((ctx.req.socket as { encrypted?: boolean }).encrypted) return true;
  const proto = ctx.get('x-forwarded-proto');
  if (!proto || !peerIsTrustedProxy(ctx, live)) return false;
  const last = proto.split(',').pop()!.trim().toLowerCase();
  return last === 'https';
}
