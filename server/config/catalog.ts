// The provider catalog: the templates in providers/ of the project, validated and frozen.
import { readdirSync, readFileSync } from 'node:fs';
import { join, extname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProviderTemplate } from '../../schemas/types.gen.ts';
import { parseConfigFile } from './parse-file.ts';
import { schemaIssues } from './schema-check.ts';
import { templateIssues } from './template-check.ts';
import { issue, type ConfigIssue } from './issues.ts';
import { deepFreeze } from '../core/deep-freeze.ts';

export const CATALOG_DIR = fileURLToPath(new URL('../../providers/', import.meta.url));

export type Catalog = ReadonlyMap<string, Readonly<ProviderTemplate> & { id: string }>;

export interface CatalogResult { catalog: Catalog; issues: ConfigIssue[] }

/** Reads and checks every template; a template with errors is left out and reported. */
export function loadCatalog(dir: string = CATALOG_DIR): CatalogResult {
  const templates = new Map<string, ProviderTemplate & { id: string }>();
  const issues: ConfigIssue[] = [];
  const files = readdirSync(dir).filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f))).sort();
  for (const name of files) {
    const path = `providers/${name}`;
    const parsed = parseConfigFile(path, readFileSync(join(dir, name)));
    if (!parsed.ok) { issues.push(...parsed.issues); continue; }
    const { file } = parsed;
    const found = schemaIssues('template', file);
    const tpl = file.value as unknown as ProviderTemplate;
    const id = basename(name, extname(name));
    if (found.length === 0) {
      found.push(...templateIssues(tpl, file));
      if (tpl.id !== id) found.push(issue(path, { line: 1, column: 1 }, 'SIL_CONFIG_ID_MISMATCH', `template id "${tpl.id ?? ''}" must equal the file name "${id}"`));
      if (templates.has(id)) found.push(issue(path, { line: 1, column: 1 }, 'SIL_CONFIG_DUPLICATE_ID', `template "${id}" is defined twice`));
    }
    issues.push(...found);
    if (found.length === 0) templates.set(id, deepFreeze({ ...tpl, id }));
  }
  return { catalog: templates, issues };
}

let cached: CatalogResult | undefined;
/** The project's catalog, loaded once per process. */
export function projectCatalog(): CatalogResult {
  cached ??= loadCatalog();
  return cached;
}
