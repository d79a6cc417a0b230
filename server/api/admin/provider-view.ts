// What the API shows of a provider: a summary with its status (enabled / disabled / error),
// the problems that make it an error, its services with their switches, and key counts.
import type { ProviderInstance, ProviderKey, ProviderTemplate } from '../../../schemas/types.gen.ts';
import type { RejectedCommit } from '../../config/live-config.ts';
import { formatIssue } from '../../config/issues.ts';
import { keyCounts } from './key-view.ts';
import type { ProviderSummary } from './answers.ts';
import type { ProviderHealth } from '../../observe/health/types.ts';
import { isObject, ordered, type JsonObject } from './yaml-edit.ts';

export type { ProviderStatus, ProviderSummary } from './answers.ts';

/** Whether requests to the provider need a key at all. */
function needsKey(p: ProviderInstance, def: ProviderTemplate): boolean {
  const auth = p.authOption ? def.authOptions?.[p.authOption]?.auth ?? def.auth : def.auth;
  return auth.type !== 'none';
}

export function providerSummary(
  p: ProviderInstance,
  def: ProviderTemplate | undefined,
  keys: readonly Readonly<ProviderKey>[],
  rejected: RejectedCommit | null,
  health?: Pick<ProviderHealth, 'status' | 'reason' | 'since'>,
): ProviderSummary {
  const problems: string[] = [];
  if (!def) problems.push(p.template ? `template "${p.template}" is not in the catalog` : 'neither a template nor a definition');
  const mine = (file: string) => file.startsWith(`providers/${p.id}.`) || file.startsWith(`secrets/${p.id}.`);
  for (const i of rejected?.errors ?? []) if (mine(i.file)) problems.push(`commit ${rejected!.commit.slice(0, 7)} was rejected: ${formatIssue(i)}`);
  const counts = keyCounts(keys);
  if (def && needsKey(p, def) && counts.active === 0) problems.push('no active key: requests to this provider fail until a key is added or activated');
  const enabled = p.enabled !== false;
  return {
    id: p.id,
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    category: def?.category ?? null,
    template: p.template ?? null,
    environment: p.environment,
    enabled,
    status: !enabled ? 'disabled' : problems.length ? 'error' : 'enabled',
    problems,
    services: (def?.services ?? []).map((s) => ({ id: s.id, ...(s.name ? { name: s.name } : {}), protocol: s.protocol, enabled: p.services?.[s.id]?.enabled !== false })),
    keys: counts,
    tags: p.tags ?? [],
    ...(p.policy ? { policy: p.policy } : {}),
    ...(health ? { health: { status: health.status, reason: health.reason, since: health.since } } : {}),
  };
}

const PROVIDER_ORDER = ['id', 'template', 'definition', 'name', 'description', 'environment', 'enabled', 'tags', 'authOption', 'connection', 'services', 'healthCheck', 'keyRotationDays', 'policy'];

/** A new provider's file content from the API input: name defaults to the template's name. */
export function newProvider(input: JsonObject, templateName: string | undefined): JsonObject {
  const definition = isObject(input.definition) ? input.definition : undefined;
  const name = input.name ?? templateName ?? (typeof definition?.name === 'string' ? definition.name : input.id);
  return ordered({ ...input, name, enabled: input.enabled ?? true }, PROVIDER_ORDER);
}

/** Sets (or clears) one service's switch; a service switched back on leaves no trace. */
export function switchService(value: JsonObject, service: string, enabled: boolean): JsonObject {
  const services: JsonObject = isObject(value.services) ? { ...value.services } : {};
  const entry: JsonObject = isObject(services[service]) ? { ...services[service] } : {};
  if (enabled) delete entry.enabled;
  else entry.enabled = false;
  if (Object.keys(entry).length) services[service] = entry;
  else delete services[service];
  const out: JsonObject = { ...value, services };
  if (Object.keys(services).length === 0) delete out.services;
  return out;
}
