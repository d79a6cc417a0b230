// /api/status (what is live, what was rejected and why), /api/requests (the proxy's recent
// requests, paged) and /api/usage (usage totals).
import { SilError } from '../../errors.ts';
import { headCommit } from '../../config/git-read.ts';
import { formatIssue } from '../../config/issues.ts';
import { apiIssue, type Repo } from './repo.ts';
import type { Handler } from './call.ts';
import type { OpId } from './route-table.ts';

type StatusOp = 'status.get' | 'requests.list' | 'usage.get';

export function statusHandlers(repo: Repo): Record<Extract<OpId, StatusOp>, Handler> {
  const { deps } = repo;
  return {
    async 'status.get'() {
      const s = deps.live.snapshot;
      const e = deps.live.error;
      const head = await headCommit(deps.gitdir);
      return {
        body: {
          commit: s?.commit ?? null,
          loadedAt: s?.loadedAt ?? null,
          head,
          upToDate: s !== null && head === s.commit,
          rejected: e ? { commit: e.commit, at: e.at, errors: e.errors.map(apiIssue), messages: e.errors.map(formatIssue) } : null,
          warnings: (s?.warnings ?? []).map(apiIssue),
          counts: {
            providers: s?.providers.size ?? 0,
            bindings: s?.bindings.size ?? 0,
            policies: s?.policies.size ?? 0,
            clients: s?.clients.size ?? 0,
            webhooks: s?.webhooks.size ?? 0,
          },
        },
      };
    },

    async 'requests.list'(call) {
      const limitText = call.query.limit ?? '50';
      const limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > 500) throw new SilError('SIL_API_INPUT', 'limit must be a whole number from 1 to 500');
      const entries = deps.requestLog?.list(limit, call.query.before) ?? [];
      return { body: { requests: entries, next: entries.length === limit ? entries[entries.length - 1].id : null } };
    },

    async 'usage.get'() {
      const totals = [...(deps.usage?.totals ?? new Map()).entries()].map(([key, t]) => {
        const [client, binding, provider, model] = key.split('|');
        return { client, binding, provider, ...(model ? { model } : {}), ...t };
      });
      return { body: { totals } };
    },
  };
}
