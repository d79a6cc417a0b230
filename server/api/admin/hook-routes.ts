// GET /api/hooks/recent: the last inbound provider webhooks, accepted and refused (time,
// provider, scheme, verdict, event type and id; never the payload), newest first.
import { intParam, type Handler } from './call.ts';
import type { AdminDeps } from './context.ts';
import type { OpId } from './route-table.ts';

export function hookHandlers(deps: AdminDeps): Record<Extract<OpId, 'hooks.recent'>, Handler> {
  return {
    async 'hooks.recent'(call) {
      const limit = intParam(call.query.limit, 'limit', 50, 1, 200);
      return { body: { hooks: deps.inboundHooks?.list(limit, call.query.provider || undefined) ?? [] } };
    },
  };
}
