// GET /healthz: is the hub serving, which commit is live, and was a newer commit rejected.
import type { Context, Next } from 'koa';
import type { LiveConfig } from '../config/live-config.ts';
import { formatIssue } from '../config/issues.ts';

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
    error: null | { commit: string; at: string; messages: string[] };
  };
}

export function healthBody(live: LiveConfig, version: string, startedAt: number, now: number): HealthBody {
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
      error: e ? { commit: e.commit, at: e.at, messages: e.errors.map(formatIssue) } : null,
    },
  };
}

export function healthz(live: LiveConfig, version: string, startedAt: number, now = Date.now) {
  return async function healthRoute(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== '/healthz' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const body = healthBody(live, version, startedAt, now());
    ctx.set('Cache-Control', 'no-store');
    ctx.status = body.status === 'error' ? 503 : 200;
    ctx.body = body;
  };
}
