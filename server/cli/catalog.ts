import { projectCatalog } from '../config/catalog.ts';
import { formatIssue } from '../config/issues.ts';
import type { Command } from './command.ts';

export const catalogCommand: Command = {
  name: 'catalog',
  summary: 'list the provider templates',
  usage: `Usage: sil catalog [--category NAME] [--json]

Lists the catalog's provider templates: id, category, auth scheme and services (protocols).
Use an id as \`template:\` in providers/<id>.yaml.

      --category NAME  only this category (AI, Cloud, Communication, Payment, ...)
      --json           the full templates as JSON`,
  options: { category: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _p, io) {
    const { catalog, issues } = projectCatalog();
    for (const i of issues) io.err(formatIssue(i));
    const category = (values.category as string | undefined)?.toLowerCase();
    const templates = [...catalog.values()].filter((t) => !category || t.category.toLowerCase() === category);
    if (values.json) {
      io.out(JSON.stringify(templates, null, 2));
      return issues.length ? 1 : 0;
    }
    const rows = templates.map((t) => [t.id, t.category, t.auth.type, t.services.map((s) => `${s.id}(${s.protocol})`).join(' ')]);
    const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['id', 'category', 'auth'][c].length));
    const line = (r: string[]) => r.map((v, c) => (c < 3 ? v.padEnd(widths[c]) : v)).join('  ');
    io.out(line(['id', 'category', 'auth', 'services']));
    for (const r of rows) io.out(line(r));
    io.out(`${rows.length} templates`);
    return issues.length ? 1 : 0;
  },
};
