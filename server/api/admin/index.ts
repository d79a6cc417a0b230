// The admin JSON API under /api: mounts a handler for every route of the route table and turns
// errors into `{error: {code, message, hint, details?}}` with the catalog's status. Assumes the
// caller is the signed-in owner: session, CSRF, allowlist and headers are middleware in front.
import type Koa from 'koa';
import { Router, type RouterMiddleware } from '@koa/router';
import { SilError } from '../../errors.ts';
import { baseFrom, type Call, type Handler } from './call.ts';
import { readJsonBody } from './json-body.ts';
import { Repo } from './repo.ts';
import { ROUTES, type OpId } from './route-table.ts';
import { catalogHandlers } from './catalog-routes.ts';
import { providerHandlers } from './provider-routes.ts';
import { keyHandlers } from './key-routes.ts';
import { bindingHandlers } from './binding-routes.ts';
import { policyHandlers } from './policy-routes.ts';
import { clientHandlers } from './client-routes.ts';
import { settingsHandlers } from './settings-routes.ts';
import { statusHandlers } from './status-routes.ts';
import { healthHandlers } from './health-routes.ts';
import { openApiHandlers } from './openapi.ts';
import type { AdminDeps } from './context.ts';
import { historyRoutes } from './history-routes.ts';
import { bundleRoutes } from './bundle-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { limitHandlers } from './limit-routes.ts';
import { analyticsHandlers, analyticsReportRoute } from './analytics-routes.ts';
import { alertHandlers } from './alert-routes.ts';
import { hookHandlers } from './hook-routes.ts';
import { webhookHandlers } from '../../webhooks/admin-routes.ts';
import { remoteRoutes } from '../../remote/status-route.ts';

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A body another middleware already read (server/api/security/body.ts keeps it in ctx.state), else ours. */
async function bodyOf(ctx: Koa.Context): Promise<Record<string, unknown>> {
  if ('silJsonBody' in ctx.state) {
    const parsed: unknown = ctx.state.silJsonBody;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SilError('SIL_BODY_INVALID', 'the request body must be a JSON object');
    return parsed as Record<string, unknown>;
  }
  return readJsonBody(ctx.req);
}

function adapt(repo: Repo, handler: Handler): RouterMiddleware {
  return async (ctx) => {
    const reads = ctx.method === 'GET' || ctx.method === 'HEAD';
    const body = reads ? {} : await bodyOf(ctx);
    const query = Object.fromEntries(Object.entries(ctx.query).map(([k, v]) => [k, first(v)]));
    const call: Call = {
      params: ctx.params,
      query,
      body,
      async base() {
        const base = baseFrom(body, ctx.get('If-Match') || undefined, query.base);
        await repo.checkBase(base);
        return base;
      },
    };
    const answer = await handler(call);
    ctx.status = answer.status ?? 200;
    ctx.body = answer.body;
    const commit = (answer.body as { commit?: unknown } | null)?.commit;
    if (reads && typeof commit === 'string') ctx.set('ETag', `"${commit}"`);
  };
}

/** The router with every route of the table (exported so tests can list what is mounted). */
export function adminRouter(deps: AdminDeps): Router {
  const repo = new Repo(deps);
  const handlers: Record<OpId, Handler> = {
    ...catalogHandlers(repo),
    ...providerHandlers(repo),
    ...keyHandlers(repo),
    ...bindingHandlers(repo),
    ...policyHandlers(repo),
    ...clientHandlers(repo),
    ...settingsHandlers(repo),
    ...statusHandlers(repo),
    ...openApiHandlers(),
    ...limitHandlers(deps),
    ...analyticsHandlers(deps),
    ...alertHandlers(deps),
    ...hookHandlers(deps),
    ...webhookHandlers(repo, () => deps.webhooks),
    ...healthHandlers(deps),
  };
  const router = new Router({ prefix: '/api' });
  for (const r of ROUTES) router.register(r.path, [r.method.toUpperCase()], adapt(repo, handlers[r.op]), { name: r.op });

  // Routes that register themselves; described in EXTERNAL_ROUTES of route-table.ts.
  historyRoutes(router, deps);
  bundleRoutes(router, deps);
  auditRoutes(router, deps);
  analyticsReportRoute(router, deps);
  remoteRoutes(router, deps.remote);
  return router;
}

/** Answers errors of /api routes as JSON with the catalog's status; never shows internals. */
function apiErrors(log: (line: string) => void): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/api' && !ctx.path.startsWith('/api/')) return next();
    ctx.set('Cache-Control', 'no-store');
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new SilError('SIL_NOT_FOUND', `no route for ${ctx.method} ${ctx.path}`, { hint: 'GET /api/openapi.json lists the routes of the admin API' });
      if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) {
        throw new SilError('SIL_METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`, { hint: `it takes: ${ctx.response.get('Allow') || 'nothing'}` });
      }
    } catch (err) {
      const e = err instanceof SilError ? err : new SilError('SIL_INTERNAL', undefined, { cause: err });
      if (!e.expose) log(`error: ${ctx.method} ${ctx.path}: ${(err as Error).stack ?? String(err)}`);
      if (e.code === 'SIL_BODY_TOO_LARGE' || e.code === 'SIL_BODY_MEDIA_TYPE') ctx.set('Connection', 'close');
      ctx.status = e.status;
      ctx.body = { error: e.toJSON() };
    }
  };
}

/** The admin API as one Koa middleware: mount it after the owner's session checks. */
export function adminApi(deps: AdminDeps): Koa.Middleware {
  const router = adminRouter(deps);
  const errors = apiErrors(deps.log);
  const routes = router.routes() as Koa.Middleware;
  const allowed = router.allowedMethods() as Koa.Middleware;
  return (ctx, next) => errors(ctx, () => routes(ctx, () => allowed(ctx, next)));
}
