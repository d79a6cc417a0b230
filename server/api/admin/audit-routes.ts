// The runtime audit log through the admin API: GET /audit pages through the hash-chained events
// (newest first), GET /audit/verify checks the chain. The config history is /history.
import type Router from '@koa/router';
import { SilError } from '../../errors.ts';
import { AUDIT_EVENT_TYPES } from '../../observe/audit-log.ts';
import type { AdminDeps } from './context.ts';
import { intParam } from './call.ts';

export function auditRoutes(router: Router, deps: AdminDeps): void {
  const log = () => {
    if (!deps.auditLog) throw new SilError('SIL_API_NOT_FOUND', 'this hub keeps no runtime audit log');
    return deps.auditLog;
  };

  router.get('/audit', async (ctx) => {
    const type = typeof ctx.query.type === 'string' && ctx.query.type !== '' ? ctx.query.type : undefined;
    if (type !== undefined && !(AUDIT_EVENT_TYPES as readonly string[]).includes(type)) {
      throw new SilError('SIL_API_INPUT', `type: unknown event type "${type}"`, { hint: `one of ${AUDIT_EVENT_TYPES.join(', ')}` });
    }
    const before = intParam(ctx.query.before, 'before', 0, 1, Number.MAX_SAFE_INTEGER);
    const limit = intParam(ctx.query.limit, 'limit', 50, 1, 500);
    ctx.body = await log().page({ limit, ...(before > 0 ? { before } : {}), ...(type ? { type } : {}) });
  });

  router.get('/audit/verify', async (ctx) => {
    const { report, files } = await log().verify();
    ctx.body = { ok: report.ok, entries: report.entries, files, ...(report.broken ? { broken: report.broken } : {}) };
  });
}
