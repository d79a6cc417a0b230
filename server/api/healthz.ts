// GET /healthz: is the hub serving, which commit is live, and was a newer commit rejected.
// Monitors see the status, the commits and the counts; the rejected commit's messages name files
// and values, so only callers on this machine get them here (the owner reads them at /api/status).
import type { Context, Next } from 'koa';
import type { LiveConfig } from '../config/live-config.ts';
import { formatIssue } from '../config/issues.ts';
import { isForwarded, isLocalCaller } from '../core/local-caller.ts';
import { remoteAddressOf } from '../http/remote-address.ts';
import type { ClusterStatus } from '../cluster/cluster.ts';

export interface HealthBody {
  status: 'ok' | 'degraded' | 'error';
  version: string;
  uptimeSeconds: number;
  config: {
    commit: string | null;
    loadedAt: string | null;
    providers: number;
    bindings: number;
    warnings: number;
    /** `messages` only for loopback callers. */
    error: null | { commit: string; at: string; errors: number; messages?: string[] };
  };
  /** This instance among its peers (docs/scaling.md): its id, whether it leads, Redis off/up/down. */
  cluster?: ClusterStatus;
}

export function healthBody(live: LiveConfig, version: string, startedAt: number, now: number, withMessages = false): HealthBody {
  const s = live.snapshot;
  const e = live.error;
  return {
    status: !s ? 'error' : e ? 'degraded' : 'ok',
    version,
    uptimeSeconds: Math.round((now - startedAt) / 1000),
    config: {
      commit: s?.commit ?? null,
      loadedAt: s?.loadedAt ?? null,
      providers: s?.providers.size ?? 0,
      bindings: s?.bindings.size ?? 0,
      warnings: s?.warnings.length ?? 0,
      error: e ? { commit: e.commit, at: e.at, errors: e.errors.length, ...(withMessages ? { messages: e.errors.map(formatIssue) } : {}) } : null,
    },
  };
}

export function healthz(live: LiveConfig, version: string, startedAt: number, now = Date.now, cluster?: () => ClusterStatus) {
  const addressOf = remoteAddressOf(live);
  return async function healthRoute(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== '/healthz' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const local = isLocalCaller(ctx.req.socket.remoteAddress ?? '', addressOf(ctx), isForwarded(ctx.req.headers));
    const body = healthBody(live, version, startedAt, now(), local);
    if (cluster) body.cluster = cluster();
    ctx.set('Cache-Control', 'no-store');
    ctx.status = body.status === 'error' ? 503 : 200;
    ctx.body = body;
  };
}
