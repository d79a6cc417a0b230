// /api/catalog: the provider templates a provider can be added from (read-only; the catalog is
// providers/ of the project, not config).
import { SilError } from '../../errors.ts';
import { didYouMean } from '../../core/suggest.ts';
import { checkId, type Handler } from './call.ts';
import type { Catalog } from '../../config/catalog.ts';
import type { Repo } from './repo.ts';
import type { OpId } from './route-table.ts';

type Template = Catalog extends ReadonlyMap<string, infer T> ? T : never;

/** What the catalog list shows of a template: enough to pick one and fill in its form. */
export function templateSummary(t: Template) {
  const fields = (spec: Template['connection']) => Object.entries(spec ?? {}).map(([name, f]) => ({ name, ...(f.title ? { title: f.title } : {}), optional: f.optional === true || f.default !== undefined }));
  return {
    id: t.id,
    name: t.name,
    category: t.category,
    ...(t.description ? { description: t.description } : {}),
    ...(t.docs ? { docs: t.docs } : {}),
    auth: t.auth.type,
    connection: fields(t.connection),
    credentials: fields(t.credentials),
    services: t.services.map((s) => ({ id: s.id, ...(s.name ? { name: s.name } : {}), protocol: s.protocol })),
    rotation: t.rotation !== undefined,
  };
}

export function catalogHandlers(repo: Repo): Record<Extract<OpId, `catalog.${string}`>, Handler> {
  const { catalog } = repo.deps;
  return {
    async 'catalog.list'(call) {
      const category = call.query.category?.toLowerCase();
      const templates = [...catalog.values()].filter((t) => !category || t.category.toLowerCase() === category).map(templateSummary);
      return { body: { templates } };
    },
    async 'catalog.get'(call) {
      const id = checkId(call.params.id, 'template id');
      const t = catalog.get(id);
      if (!t) throw new SilError('SIL_API_NOT_FOUND', `template "${id}" is not in the catalog${didYouMean(id, catalog.keys())}`, { hint: 'GET /api/catalog lists the templates' });
      return { body: { template: t, summary: templateSummary(t) } };
    },
  };
}
