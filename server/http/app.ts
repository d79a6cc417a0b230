// The Koa application: error handling; the proxy doors (/v1/..., /bind/...) first, so that their
// hot path passes nothing else; inbound provider webhooks (/hooks/..., for providers, no
// session); /metrics (its own access rule, no session); then the owner's side: security
// headers, allowlist, session and CSRF (owner auth), /healthz, the admin API, and last the
// console's static pages.
import Koa, { type Middleware } from 'koa';
import { errorHandler } from './error-handler.ts';
import { healthz } from '../api/healthz.ts';
import type { LiveConfig } from '../config/live-config.ts';
import { proxyMiddleware, type ProxyDeps } from '../proxy/pipeline.ts';
import { remoteAddressOf } from './remote-address.ts';
import type { ClusterStatus } from '../cluster/cluster.ts';

export interface AppDeps {
  live: LiveConfig;
  version: string;
  startedAt: number;
  log: (line: string) => void;
  proxy: Omit<ProxyDeps, 'live' | 'remoteAddress'>;
  /** Owner login, sessions, CSRF, security headers and the console allowlist (server/api/owner). */
  owner?: { middleware: Middleware };
  /** The admin API under /api (server/api/admin). */
  admin?: Middleware;
  /** The owner console: the static build of admin/ (server/api/console-static.ts). */
  console?: Middleware;
  /** GET /metrics for Prometheus (server/observe/metrics). */
  metrics?: Middleware;
  /** POST /hooks/<provider-id>: inbound provider webhooks (server/inbound), for providers, no session. */
  hooks?: Middleware;
  /** POST /sync/trigger: a signed push notice from the remote config repository (server/remote), no session. */
  sync?: Middleware;
  /** This instance among its peers, for /healthz (server/cluster). */
  cluster?: () => ClusterStatus;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(errorHandler(deps.log));
  app.use(proxyMiddleware({ ...deps.proxy, live: deps.live, remoteAddress: remoteAddressOf(deps.live), errorLog: deps.log }));
  if (deps.hooks) app.use(deps.hooks);
  if (deps.sync) app.use(deps.sync);
  if (deps.metrics) app.use(deps.metrics);
  if (deps.owner) app.use(deps.owner.middleware);
  app.use(healthz(deps.live, deps.version, deps.startedAt, Date.now, deps.cluster));
  if (deps.admin) app.use(deps.admin);
  if (deps.console) app.use(deps.console);
  return app;
}
