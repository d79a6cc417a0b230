// Security headers on every answer that is not the proxy's: a strict Content-Security-Policy
// (own scripts, styles and images only, data: images for the QR code, no plugins, no <base>,
// forms post only here, never framed), nosniff, no Referer, no framing for old browsers, and
// no caching of API answers (they hold config and session data).
import type { Context, Next } from 'koa';
import { isApiPath, isProxyPath } from './paths.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "img-src 'self' data:",
].join('; ');

export function setSecurityHeaders(ctx: Context): void {
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  if (isApiPath(ctx.path)) ctx.set('Cache-Control', 'no-store');
}

/** Sets the headers before the rest runs, so that error answers carry them too. */
export function securityHeaders() {
  return async function withSecurityHeaders(ctx: Context, next: Next): Promise<void> {
    if (!isProxyPath(ctx.path)) setSecurityHeaders(ctx);
    await next();
  };
}
