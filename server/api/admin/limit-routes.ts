// GET /api/limits: the limiter's counters (policy, scope, limit, used of max, period) and the
// budget marks crossed recently, for the console's policies screen and the owner.
import type { Handler } from './call.ts';
import type { AdminDeps } from './context.ts';
import type { OpId } from './route-table.ts';

export function limitHandlers(deps: AdminDeps): Record<Extract<OpId, 'limits.get'>, Handler> {
  return {
    async 'limits.get'() {
      const now = Date.now();
      const limits = deps.limits;
      if (!limits) return { body: { at: now, limits: [], rejections: [], alerts: [] } };
      const rejections = [...limits.rejections()].map(([key, count]) => {
        const [policy, limit] = key.split('|');
        return { policy, limit, count };
      });
      return { body: { at: now, limits: limits.status(now), rejections, alerts: [...limits.alerts()] } };
    },
  };
}
