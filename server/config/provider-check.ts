// Cross-checks of a provider instance: its template or inline definition, its environment,
// its connection values against the template's fields, its service switches.
import type { Field, ProviderInstance, ProviderTemplate } from '../../schemas/types.gen.ts';
import { issue, type ConfigIssue } from './issues.ts';
import { templateIssues } from './template-check.ts';
import { didYouMean } from '../core/suggest.ts';
import type { ConfigFile } from './config-model.ts';
import type { Catalog } from './catalog.ts';

/** The definition a provider runs on: its catalog template or its inline definition. */
export function definitionOf(p: ProviderInstance, catalog: Catalog): ProviderTemplate | undefined {
  if (p.definition) return { ...p.definition, id: p.definition.id ?? p.id };
  return p.template ? catalog.get(p.template) : undefined;
}

function safeRegExp(pattern: string): RegExp {
  try { return new RegExp(pattern, 'u'); } catch { return new RegExp(pattern); }
}

function fieldProblem(spec: Field, value: unknown): string | undefined {
  const type = spec.type ?? 'string';
  if (type === 'integer' ? !Number.isInteger(value) : typeof value !== type) return `must be a ${type}`;
  if (spec.enum && !spec.enum.includes(value as string | number)) return `must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (typeof value === 'string') {
    if (spec.pattern && !safeRegExp(spec.pattern).test(value)) return `does not match the pattern ${spec.pattern}${spec.example ? ` (example: ${spec.example})` : ''}`;
    if (spec.format === 'uri' && !URL.canParse(value)) return 'must be a URL';
    if (spec.format === 'hostname' && !/^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(value)) return 'must be a host name';
    if (spec.format === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return 'must be an email address';
  }
  return undefined;
}

export function providerIssues(cf: ConfigFile<ProviderInstance>, catalog: Catalog, environments: readonly string[]): ConfigIssue[] {
  const { value: p, file, path } = cf;
  const out: ConfigIssue[] = [];
  const at = (...segments: (string | number)[]) => file.at(segments);

  if (!environments.includes(p.environment)) {
    out.push(issue(path, at('environment'), 'SIL_CONFIG_ENVIRONMENT', `environment "${p.environment}" is not declared in sil.yaml${didYouMean(p.environment, environments)}`, `use one of ${environments.join(', ')} or add it to environments: in sil.yaml`));
  }
  if (p.template && p.definition) {
    out.push(issue(path, at('definition'), 'SIL_CONFIG_SCHEMA', 'a provider has either `template` or `definition`, not both', 'remove `definition` to use the catalog template, or remove `template` for a custom provider'));
    return out;
  }
  if (!p.template && !p.definition) {
    out.push(issue(path, at(), 'SIL_CONFIG_SCHEMA', 'missing `template` (a catalog template id) or `definition` (a custom provider)', 'add e.g. `template: openai`; `sil catalog` lists the templates'));
    return out;
  }
  if (p.template && !catalog.has(p.template)) {
    out.push(issue(path, at('template'), 'SIL_CONFIG_UNKNOWN_TEMPLATE', `unknown template "${p.template}"${didYouMean(p.template, catalog.keys())}`));
    return out;
  }
  if (p.definition) out.push(...templateIssues({ ...p.definition, id: p.definition.id ?? p.id }, file, ['definition']));
  const def = definitionOf(p, catalog)!;

  const fields = def.connection ?? {};
  const given = p.connection ?? {};
  for (const [name, value] of Object.entries(given)) {
    if (name === 'baseUrl') continue;
    const spec = fields[name];
    if (!spec) {
      const known = Object.keys(fields);
      out.push(issue(path, file.at(['connection', name], true), 'SIL_CONFIG_UNKNOWN_FIELD', `unknown connection field "${name}"${didYouMean(name, known)}`, known.length ? `the ${p.template ?? 'custom'} provider takes: baseUrl, ${known.join(', ')}` : 'this provider takes only connection.baseUrl'));
      continue;
    }
    const problem = fieldProblem(spec, value);
    if (problem) out.push(issue(path, at('connection', name), 'SIL_CONFIG_SCHEMA', `connection.${name} ${problem}`, spec.description ?? `see the ${p.template ?? 'custom'} template`));
  }
  for (const [name, spec] of Object.entries(fields)) {
    if (!spec.optional && spec.default === undefined && given[name] === undefined) {
      out.push(issue(path, at('connection'), 'SIL_CONFIG_SCHEMA', `missing connection field "${name}"${spec.title ? ` (${spec.title})` : ''}`, spec.example !== undefined ? `e.g. ${name}: ${spec.example}` : `add connection.${name}`));
    }
  }
  const serviceIds = def.services.map((s) => s.id);
  for (const id of Object.keys(p.services ?? {})) {
    if (!serviceIds.includes(id)) {
      out.push(issue(path, file.at(['services', id], true), 'SIL_CONFIG_REFERENCE', `unknown service "${id}"${didYouMean(id, serviceIds)}`, `services of this provider: ${serviceIds.join(', ')}`));
    }
  }
  if (p.authOption && !def.authOptions?.[p.authOption]) {
    const options = Object.keys(def.authOptions ?? {});
    out.push(issue(path, at('authOption'), 'SIL_CONFIG_REFERENCE', `unknown auth option "${p.authOption}"`, options.length ? `options: ${options.join(', ')}` : 'this provider has a single auth scheme: remove authOption'));
  }
  return out;
}
