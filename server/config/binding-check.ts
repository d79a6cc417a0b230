// Cross-checks of a binding: its targets exist, share its environment and speak its protocol;
// its policy exists.
import type { Binding, ProviderInstance, ProviderTemplate } from '../../schemas/types.gen.ts';
import { issue, type ConfigIssue } from './issues.ts';
import { didYouMean } from '../core/suggest.ts';
import { canServe } from '../protocols/compatibility.ts';
import type { ConfigFile, ConfigModel } from './config-model.ts';

export interface BindingContext {
  model: ConfigModel;
  environments: readonly string[];
  definitions: ReadonlyMap<string, ProviderTemplate>;
}

function serviceEnabled(p: ProviderInstance, id: string): boolean {
  return p.services?.[id]?.enabled !== false;
}

export function bindingIssues(cf: ConfigFile<Binding>, ctx: BindingContext): ConfigIssue[] {
  const { value: b, file, path } = cf;
  const out: ConfigIssue[] = [];
  const at = (...segments: (string | number)[]) => file.at(segments);
  if (!ctx.environments.includes(b.environment)) {
    out.push(issue(path, at('environment'), 'SIL_CONFIG_ENVIRONMENT', `environment "${b.environment}" is not declared in sil.yaml${didYouMean(b.environment, ctx.environments)}`, `use one of ${ctx.environments.join(', ')}`));
  }
  if (b.policy && !ctx.model.policies.has(b.policy) && !ctx.model.broken.has(`policies/${b.policy}`)) {
    out.push(issue(path, at('policy'), 'SIL_CONFIG_REFERENCE', `policy "${b.policy}" does not exist${didYouMean(b.policy, ctx.model.policies.keys())}`, `create policies/${b.policy}.yaml or fix the name`));
  }
  b.targets.forEach((t, i) => {
    const provider = ctx.model.providers.get(t.provider);
    const def = ctx.definitions.get(t.provider);
    if (!provider) {
      if (ctx.model.broken.has(`providers/${t.provider}`)) return;
      out.push(issue(path, at('targets', i, 'provider'), 'SIL_CONFIG_REFERENCE', `target provider "${t.provider}" does not exist${didYouMean(t.provider, ctx.model.providers.keys())}`, `create providers/${t.provider}.yaml or fix the name`));
      return;
    }
    const p = provider.value;
    if (p.environment !== b.environment) {
      out.push(issue(path, at('targets', i, 'provider'), 'SIL_CONFIG_ENVIRONMENT', `target provider "${t.provider}" is in environment "${p.environment}", this binding is in "${b.environment}"`, `bindings use providers of their own environment: add a ${b.environment} provider, or move the binding`));
    }
    if (!def) return; // the provider's own errors are reported on its file
    const candidates = def.services.filter((s) => (!t.service || s.id === t.service));
    if (t.service && candidates.length === 0) {
      out.push(issue(path, at('targets', i, 'service'), 'SIL_CONFIG_REFERENCE', `provider "${t.provider}" has no service "${t.service}"${didYouMean(t.service, def.services.map((s) => s.id))}`, `services: ${def.services.map((s) => s.id).join(', ')}`));
      return;
    }
    const speaking = candidates.filter((s) => canServe(b.protocol, s.protocol));
    if (speaking.length === 0) {
      const spoken = [...new Set(candidates.map((s) => s.protocol))].join(', ');
      out.push(issue(path, at('targets', i, 'provider'), 'SIL_CONFIG_PROTOCOL', `target provider "${t.provider}" does not speak ${b.protocol} (it speaks ${spoken})`));
      return;
    }
    if (!speaking.some((s) => serviceEnabled(p, s.id))) {
      out.push(issue(path, at('targets', i, 'provider'), 'SIL_CONFIG_PROTOCOL', `the ${b.protocol} service of provider "${t.provider}" is switched off`, `enable it under services: in providers/${t.provider}.yaml`, 'warning'));
    }
    if (p.enabled === false) {
      out.push(issue(path, at('targets', i, 'provider'), 'SIL_CONFIG_REFERENCE', `target provider "${t.provider}" is disabled; requests skip it`, `set enabled: true in providers/${t.provider}.yaml`, 'warning'));
    }
    const models = speaking.flatMap((s) => s.models ?? []).map((m) => m.id);
    if (t.model && models.length > 0 && !models.includes(t.model)) {
      out.push(issue(path, at('targets', i, 'model'), 'SIL_CONFIG_REFERENCE', `model "${t.model}" is not in the ${def.id ?? t.provider} catalog${didYouMean(t.model, models)}; its cost cannot be computed`, `catalog models: ${models.slice(0, 8).join(', ')}${models.length > 8 ? ', ...' : ''}`, 'warning'));
    }
  });
  if (b.strategy === 'weighted' && !b.targets.some((t) => (t.weight ?? 1) > 0)) {
    out.push(issue(path, at('strategy'), 'SIL_CONFIG_SCHEMA', 'strategy weighted: every target has weight 0, so none would take traffic', 'give at least one target a weight above 0 (a target without weight weighs 1)'));
  }
  return out;
}
