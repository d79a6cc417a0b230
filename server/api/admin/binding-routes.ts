// /api/bindings: application-facing service names → ordered provider targets, strategy and
// failover conditions (bindings/<name>.yaml).
import { namedFileHandlers } from './named-files.ts';
import type { Repo } from './repo.ts';
import type { Handler } from './call.ts';
import type { OpId } from './route-table.ts';

export function bindingHandlers(repo: Repo): Record<Extract<OpId, `bindings.${string}`>, Handler> {
  const h = namedFileHandlers(repo, { folder: 'bindings', schemaFile: 'binding.schema.json', field: 'binding' });
  return {
    'bindings.list': h.list,
    'bindings.get': h.get,
    'bindings.create': h.create,
    'bindings.replace': h.replace,
    'bindings.patch': h.patch,
    'bindings.delete': h.remove,
  };
}
