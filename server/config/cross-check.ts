// Checks that run across files: environments, templates, references between providers,
// bindings, policies and clients.
import type { ProviderTemplate } from '../../schemas/types.gen.ts';
import { issue, type ConfigIssue } from './issues.ts';
import { didYouMean } from '../core/suggest.ts';
import { providerIssues, definitionOf } from './provider-check.ts';
import { baseUrlIssues } from './base-url-check.ts';
import { bindingIssues } from './binding-check.ts';
import { secretsIssues } from './secrets-check.ts';
import { cidrIssues } from './cidr-check.ts';
import { channelIssues } from './channel-check.ts';
import { isTimeZone } from '../core/time-zone.ts';
import { catalogKeyFormats, plaintextSecretIssues } from './plaintext-secret-check.ts';
import type { ConfigModel } from './config-model.ts';
import type { Catalog } from './catalog.ts';

export interface CrossCheckResult {
  issues: ConfigIssue[];
  /** The definition each valid provider runs on. */
  definitions: Map<string, ProviderTemplate>;
}

export function crossCheck(model: ConfigModel, catalog: Catalog): CrossCheckResult {
  const issues: ConfigIssue[] = [];
  const definitions = new Map<string, ProviderTemplate>();
  if (!model.settings && !model.broken.has('/sil')) {
    issues.push(issue('sil.yaml', { line: 1, column: 1 }, 'SIL_CONFIG_MISSING', 'sil.yaml is missing at the root of the repository'));
  }
  const environments = model.settings?.value.environments ?? ['dev', 'prod'];

  for (const cf of model.providers.values()) {
    const found = providerIssues(cf, catalog, environments);
    issues.push(...found);
    const def = definitionOf(cf.value, catalog);
    if (def && !found.some((i) => i.severity === 'error')) {
      definitions.set(cf.value.id, def);
      issues.push(...baseUrlIssues(cf, def, model.settings?.value.security?.allowPrivateBaseUrls === true));
    }
    const policy = cf.value.policy;
    if (policy && !model.policies.has(policy) && !model.broken.has(`policies/${policy}`)) {
      issues.push(issue(cf.path, cf.file.at(['policy']), 'SIL_CONFIG_REFERENCE', `policy "${policy}" does not exist${didYouMean(policy, model.policies.keys())}`, `create policies/${policy}.yaml or fix the name`));
    }
  }
  for (const cf of model.bindings.values()) issues.push(...bindingIssues(cf, { model, environments, definitions }));

  if (model.settings) {
    const { value, file } = model.settings;
    issues.push(...cidrIssues(file, value.security?.consoleIpAllowlist ?? [], ['security', 'consoleIpAllowlist']));
    issues.push(...cidrIssues(file, value.security?.trustedProxies ?? [], ['security', 'trustedProxies']));
    issues.push(...cidrIssues(file, value.metrics?.allowlist ?? [], ['metrics', 'allowlist']));
    if (value.timeZone !== undefined && !isTimeZone(value.timeZone)) {
      issues.push(issue(file.path, file.at(['timeZone']), 'SIL_CONFIG_SCHEMA', `time zone "${value.timeZone}" is not an IANA time zone this Node knows`, 'use a name such as UTC, Europe/Berlin or Asia/Riyadh'));
    }
  }
  for (const { value: c, file, path } of model.clients.values()) {
    const at = (...s: (string | number)[]) => file.at(s);
    issues.push(...cidrIssues(file, c.ipAllowlist ?? [], ['ipAllowlist']));
    if (!environments.includes(c.environment)) {
      issues.push(issue(path, at('environment'), 'SIL_CONFIG_ENVIRONMENT', `environment "${c.environment}" is not declared in sil.yaml`, `use one of ${environments.join(', ')}`));
    }
    if (c.policy && !model.policies.has(c.policy) && !model.broken.has(`policies/${c.policy}`)) {
      issues.push(issue(path, at('policy'), 'SIL_CONFIG_REFERENCE', `policy "${c.policy}" does not exist${didYouMean(c.policy, model.policies.keys())}`));
    }
    (c.bindings ?? []).forEach((name, i) => {
      if (name === '*') return;
      const b = model.bindings.get(name);
      if (!b) {
        if (!model.broken.has(`bindings/${name}`)) issues.push(issue(path, at('bindings', i), 'SIL_CONFIG_REFERENCE', `binding "${name}" does not exist${didYouMean(name, model.bindings.keys())}`));
      } else if (b.value.environment !== c.environment) {
        issues.push(issue(path, at('bindings', i), 'SIL_CONFIG_ENVIRONMENT', `binding "${name}" is in environment "${b.value.environment}", this client is in "${c.environment}"`, 'a client reaches only bindings of its own environment'));
      }
    });
  }
  for (const { value: p, file, path } of model.policies.values()) {
    if (p.scope && p.rateLimit?.scope && p.scope !== p.rateLimit.scope) {
      issues.push(issue(path, file.at(['rateLimit', 'scope']), 'SIL_CONFIG_SCHEMA', `rateLimit.scope "${p.rateLimit.scope}" differs from the policy's scope "${p.scope}"`, 'the scope applies to every limit of the policy: keep one of the two (scope: at the top)'));
    }
  }
  for (const { value: w, file, path } of model.webhooks.values()) {
    if (w.environment && !environments.includes(w.environment)) {
      issues.push(issue(path, file.at(['environment']), 'SIL_CONFIG_ENVIRONMENT', `environment "${w.environment}" is not declared in sil.yaml`));
    }
    if (!model.secrets.has(`webhook-${w.name}`) && w.enabled !== false) {
      issues.push(issue(path, { line: 1, column: 1 }, 'SIL_CONFIG_REFERENCE', `webhook "${w.name}" has no signing secret (secrets/webhook-${w.name}.yaml): nothing is sent until it has one`, `make one with POST /api/webhooks/${w.name}/secret/rotate (the console's Webhooks page does it)`, 'warning'));
    }
  }
  if (model.settings) issues.push(...channelIssues(model));
  for (const [name, cf] of model.secrets) {
    // secrets/webhook-<name>.yaml holds a webhook's signing secrets (server/webhooks/secrets.ts).
    const ownedByWebhook = name.startsWith('webhook-') && (model.webhooks.has(name.slice(8)) || model.broken.has(`webhooks/${name.slice(8)}`));
    if (!model.providers.has(name) && !model.broken.has(`providers/${name}`) && !ownedByWebhook) {
      issues.push(issue(cf.path, { line: 1, column: 1 }, 'SIL_CONFIG_REFERENCE', `secrets for provider "${name}", which does not exist`, `name the file after a provider: secrets/<provider-id>.yaml`, 'warning'));
    }
    issues.push(...secretsIssues(cf, name, definitions.get(name), model.providers.get(name)?.value.authOption));
  }
  const formats = catalogKeyFormats(catalog.values());
  const plainFiles = [model.settings, ...model.providers.values(), ...model.bindings.values(), ...model.policies.values(), ...model.clients.values(), ...model.webhooks.values()];
  for (const cf of plainFiles) if (cf) issues.push(...plaintextSecretIssues(cf.file, formats));
  return { issues, definitions };
}

