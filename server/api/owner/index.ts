// Owner authentication and the console/API defences, as Koa middleware (docs/security.md).
//
// Mount once, right after the error handler and before everything else (it leaves the proxy
// doors /v1/ and /bind/ alone, and /healthz gets only the security headers):
//
//   const owner = ownerAuth({ live, dataDir, now: () => new Date(), log, audit });
//   app.use(errorHandler(log));
//   app.use(owner.middleware);      // headers → allowlist → body limit → session + CSRF → owner routes → session required
//   app.use(healthz(...)); app.use(adminRoutes); app.use(proxyMiddleware(...));
//   ...on shutdown: await owner.close();   // writes batched session last-seen times
//
// The parts, in that order, are also exported one by one (securityHeaders, allowlist, bodyLimit,
// routes, requireSession) for an app that wants to place them itself; `routes` includes the
// session load and the CSRF check, and `requireSession` relies on it (without it, every /api
// route but the open ones gets 401).
//
// Admin routes mounted after it find the owner in ctx.state.owner (OwnerRequestState) and read
// bodies with readJsonBody / readJsonObject from server/api/security/body.ts.
import { OncePer } from '../../core/once-per.ts';
import { join } from 'node:path';
import type { Context, Middleware, Next } from 'koa';
import type { LiveConfig } from '../../config/live-config.ts';
import { remoteAddressOf } from '../../http/remote-address.ts';
import { securityHeaders } from '../security/headers.ts';
import { consoleAllowlist } from '../security/allowlist.ts';
import { apiBodyLimit, DEFAULT_API_BODY_LIMIT } from '../security/body.ts';
import { OwnerStore } from './owner-store.ts';
import { SessionStore } from './session-store.ts';
import { loadSession, requireSession } from './session.ts';
import { ownerRoutes, type AuditEvent } from './routes.ts';
import { ThrottleGuard } from './throttle-guard.ts';
import type { ThrottlePolicy } from './throttle.ts';

export type { AuditEvent } from './routes.ts';
export type { OwnerRequestState } from './session.ts';

export interface OwnerAuthDeps {
  live: LiveConfig;
  /** The data directory: state lives in <dataDir>/state/ (owner.json, sessions.json, login-throttle.json). */
  dataDir: string;
  now?: () => Date;
  log: (line: string) => void;
  /** Receives setup, login, lockout and logout events (the audit log's append). Errors are logged, not thrown. */
  audit?: (event: AuditEvent) => void | Promise<void>;
  /** The client address; default: the peer, or X-Forwarded-For from security.trustedProxies. */
  clientAddress?: (ctx: Context) => string;
  /** Declared /api body sizes over this are refused (default 1 MiB). */
  apiBodyLimit?: number;
  throttle?: Partial<ThrottlePolicy>;
  /** How often session last-seen times are written (default 30 s). */
  sessionFlushMs?: number;
}

export interface OwnerAuth {
  securityHeaders: Middleware;
  allowlist: Middleware;
  bodyLimit: Middleware;
  routes: Middleware;
  requireSession: Middleware;
  /** All of the above, in order. */
  middleware: Middleware;
  owners: OwnerStore;
  sessions: SessionStore;
  close(): Promise<void>;
}

/** Runs middleware in order, as app.use() would one after the other. */
function compose(parts: Middleware[]): Middleware {
  return (ctx: Context, next: Next) => {
    const run = (i: number): Promise<void> => (i === parts.length ? next() : Promise.resolve(parts[i](ctx, () => run(i + 1))));
    return run(0);
  };
}

export function ownerAuth(deps: OwnerAuthDeps): OwnerAuth {
  const now = deps.now ?? (() => new Date());
  const stateDir = join(deps.dataDir, 'state');
  const clientAddress = deps.clientAddress ?? remoteAddressOf(deps.live);
  const owners = new OwnerStore(stateDir);
  const guard = new ThrottleGuard({ stateDir, now, policy: deps.throttle, log: deps.log });
  const audit = (event: AuditEvent): void => {
    if (!deps.audit) return;
    try {
      Promise.resolve(deps.audit(event)).catch((err) => deps.log(`audit: cannot record ${event.type}: ${(err as Error).message}`));
    } catch (err) {
      deps.log(`audit: cannot record ${event.type}: ${(err as Error).message}`);
    }
  };
  const sessions = new SessionStore({
    stateDir,
    flushMs: deps.sessionFlushMs,
    log: deps.log,
    onExpired: (s, why) => audit({ type: 'session.expired', actor: 'owner', ...(s.ip ? { ip: s.ip } : {}), detail: { reason: why } }),
  });
  // Refusals by the allowlist are audited once per address and minute (scanners knock often).
  const denied = new OncePer(60_000, () => now().getTime());
  const onDenied = (ctx: Context, address: string) => {
    if (!denied.due(address)) return;
    audit({ type: 'access.denied', actor: 'anonymous', ip: address, detail: { reason: 'ip-allowlist', method: ctx.method, path: ctx.path.slice(0, 200) } });
  };

  const parts = {
    securityHeaders: securityHeaders() as Middleware,
    allowlist: consoleAllowlist(deps.live, clientAddress, onDenied) as Middleware,
    bodyLimit: apiBodyLimit(deps.apiBodyLimit ?? DEFAULT_API_BODY_LIMIT) as Middleware,
    routes: compose([
      loadSession({ live: deps.live, owners, sessions, now, clientAddress, onOwnerChanged: () => {
          // The reset removed the stored throttle state; the running hub forgets its copy too.
          guard.forget();
          audit({ type: 'owner.reset', actor: 'system', detail: { by: 'sil owner reset' } });
        },
      }),
      ownerRoutes({ live: deps.live, owners, sessions, guard, now, audit }),
    ]) as Middleware,
    requireSession: requireSession() as Middleware,
  };
  return {
    ...parts,
    middleware: compose([parts.securityHeaders, parts.allowlist, parts.bodyLimit, parts.routes, parts.requireSession]) as Middleware,
    owners,
    sessions,
    async close() {
      await sessions.close();
      await guard.close();
    },
  };
}
