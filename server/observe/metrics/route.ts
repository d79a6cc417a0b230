// GET /metrics on the hub's port, in the Prometheus text format, for the callers access.ts
// admits; anyone else gets 403 SIL_METRICS_FORBIDDEN. Mounted before the owner's session checks:
// a scraper has no session, and this route has its own rule.
import type { Context, Next } from 'koa';
import type { LiveConfig } from '../../config/live-config.ts';
import { isForwarded } from '../../core/local-caller.ts';
import { SilError } from '../../errors.ts';
import { remoteAddressOf } from '../../http/remote-address.ts';
import { decideScrape } from './access.ts';

export interface MetricsRouteDeps {
  live: LiveConfig;
  /** The exposition text, and its Content-Type. */
  render(): Promise<string>;
  contentType: string;
  /** Who the caller is; default: the peer, or X-Forwarded-For from security.trustedProxies. */
  clientAddress?: (ctx: Context) => string;
}

export const METRICS_PATH = '/metrics';

export function metricsRoute(deps: MetricsRouteDeps) {
  const addressOf = deps.clientAddress ?? remoteAddressOf(deps.live);
  return async function metricsEndpoint(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== METRICS_PATH || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const decision = decideScrape(deps.live.snapshot?.settings, {
      peer: ctx.req.socket.remoteAddress ?? '',
      address: addressOf(ctx),
      forwarded: isForwarded(ctx.req.headers),
      authorization: ctx.get('authorization') || undefined,
    });
    if (!decision.allowed) throw new SilError('SIL_METRICS_FORBIDDEN', `this caller may not read /metrics: ${decision.why}`);
    const text = await deps.render();
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = deps.contentType;
    ctx.body = text;
  };
}
