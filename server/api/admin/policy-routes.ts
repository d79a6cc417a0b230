// /api/policies: rate limits, quotas, budgets and alert rules (policies/<name>.yaml), attached
// to bindings and clients by name.
import { namedFileHandlers } from './named-files.ts';
import type { Repo } from './repo.ts';
import type { Handler } from './call.ts';
import type { OpId } from './route-table.ts';

export function policyHandlers(repo: Repo): Record<Extract<OpId, `policies.${string}`>, Handler> {
  const h = namedFileHandlers(repo, { folder: 'policies', schemaFile: 'policy.schema.json', field: 'policy' });
  return {
    'policies.list': h.list,
    'policies.get': h.get,
    'policies.create': h.create,
    'policies.replace': h.replace,
    'policies.patch': h.patch,
    'policies.delete': h.remove,
  };
}
