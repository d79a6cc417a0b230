// The one validator: `sil validate`, the pre-receive hook, the loader and the admin API all call it.
import type { ProviderTemplate } from '../../schemas/types.gen.ts';
import { readConfigTree, type ParseCache } from './read-tree.ts';
import { crossCheck } from './cross-check.ts';
import { byPlace, type ConfigIssue } from './issues.ts';
import type { ConfigModel } from './config-model.ts';
import type { Catalog } from './catalog.ts';
import type { ConfigSource } from './sources/source.ts';

export interface ValidationResult {
  ok: boolean;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  model: ConfigModel;
  definitions: Map<string, ProviderTemplate>;
}

export async function validateSource(source: ConfigSource, catalog: Catalog, cache?: ParseCache): Promise<ValidationResult> {
  const read = await readConfigTree(source, cache);
  const cross = crossCheck(read.model, catalog);
  const all = [...read.issues, ...cross.issues].sort(byPlace);
  const errors = all.filter((i) => i.severity === 'error');
  return { ok: errors.length === 0, errors, warnings: all.filter((i) => i.severity === 'warning'), model: read.model, definitions: cross.definitions };
}
