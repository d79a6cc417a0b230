// GET /api/health (every provider's status, from the health monitor) and
// GET /api/health/:provider (one provider with its recent probes and status transitions).
import { SilError } from '../../errors.ts';
import type { Handler } from './call.ts';
import type { AdminDeps } from './context.ts';
import type { OpId } from './route-table.ts';

/** Transitions and probes an answer carries at most (the newest). */
const MAX_TRANSITIONS = 200;

export function healthHandlers(deps: AdminDeps): Record<Extract<OpId, 'health.list' | 'health.get'>, Handler> {
  return {
    async 'health.list'() {
      return { body: { at: Date.now(), providers: deps.health?.all() ?? [] } };
    },
    async 'health.get'(call) {
      const id = call.params.provider;
      const health = deps.health?.get(id);
      if (!health) throw new SilError('SIL_API_NOT_FOUND', `no provider "${id}" at the live commit`);
      return { body: { at: Date.now(), health, transitions: deps.health!.transitions(id).slice(-MAX_TRANSITIONS), probes: deps.health!.probes(id) } };
    },
  };
}
