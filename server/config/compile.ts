// Builds the frozen ConfigSnapshot from a validated ConfigModel. Pure: no I/O.
import type { Binding, HubSettings, ProviderInstance, ProviderTemplate } from '../../schemas/types.gen.ts';
import { render } from '../core/template-string.ts';
import { deepFreeze } from '../core/deep-freeze.ts';
import { FrozenMap } from '../core/frozen-map.ts';
import { canServe } from '../protocols/compatibility.ts';
import { compileOrigins } from '../auth-schemes/origins.ts';
import { derivedFields } from './derived-connection.ts';
import type { ConfigModel } from './config-model.ts';
import type { ConfigIssue } from './issues.ts';
import type { ProviderKeyring } from '../vault/provider-keyring.ts';
import type {
  CompiledBinding, CompiledProvider, CompiledService, CompiledTarget, ConfigSnapshot, ConnectionValues, Settings,
} from './snapshot.ts';

export const DEFAULT_FAILOVER_ON = ['connect-error', 'timeout', '429', '5xx'];

export function compileSettings(s: HubSettings | undefined): Settings {
  return {
    ...(s ?? { version: 1, environments: ['dev', 'prod'] }),
    defaults: { keyRotationDays: 90, keyRotationGraceDays: 7, timeoutMs: 30000, maxBodyBytes: 10 * 1024 * 1024, ...s?.defaults },
    security: { requireSignedCommits: false, allowPrivateBaseUrls: false, ...s?.security },
  };
}

function connectionValues(p: ProviderInstance, def: ProviderTemplate): ConnectionValues {
  const values: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(def.connection ?? {})) if (spec.default !== undefined) values[name] = spec.default;
  return { ...values, ...(p.connection as ConnectionValues | undefined) };
}

export function compileProvider(p: ProviderInstance, def: ProviderTemplate, settings: Settings): CompiledProvider {
  const connection = connectionValues(p, def);
  const fill = (text: string) => render(text, { connection }, true);
  const option = p.authOption ? def.authOptions?.[p.authOption] : undefined;
  // Base URL order (docs/config.md): the instance's connection.baseUrl, the auth option's, the template's.
  const providerBase = p.connection?.baseUrl ?? option?.baseUrl ?? def.baseUrl;
  const baseUrl = fill(providerBase);
  const derived = derivedFields(def, p.connection);
  const origins = compileOrigins(p.origins);
  const auth = option?.auth || def.auth;
  const services: CompiledService[] = def.services.map((s) => ({
    id: s.id,
    protocol: s.protocol,
    enabled: p.services?.[s.id]?.enabled !== false,
    baseUrl: fill(p.services?.[s.id]?.baseUrl ?? s.baseUrl ?? providerBase),
    path: s.path ?? '',
    auth: s.auth ?? auth,
    headers: { ...def.headers, ...s.headers },
    query: { ...def.query, ...s.query },
    retrySafe: s.retrySafe ?? false,
    idempotencyHeader: s.idempotencyHeader,
    models: new FrozenMap((s.models ?? []).map((m) => [m.id, m])),
    pricing: s.pricing,
    usage: s.usage,
  }));
  return {
    id: p.id,
    name: p.name,
    description: p.description ?? def.description,
    category: def.category,
    environment: p.environment,
    enabled: p.enabled !== false,
    template: p.template ?? null,
    definition: def,
    connection,
    auth,
    ...(derived ? { derived } : {}),
    ...(origins ? { origins } : {}),
    baseUrl,
    services,
    healthCheck: option?.healthCheck ?? def.healthCheck,
    ...(p.healthCheck ? { instanceHealthCheck: p.healthCheck } : {}),
    rateLimit: def.rateLimit,
    ...(p.policy ? { policy: p.policy } : {}),
    tags: p.tags ?? [],
    keyRotationDays: p.keyRotationDays ?? settings.defaults.keyRotationDays,
  };
}

function compileBinding(b: Binding, providers: ReadonlyMap<string, CompiledProvider>, settings: Settings): CompiledBinding {
  const targets: CompiledTarget[] = b.targets.map((t) => {
    const services = providers.get(t.provider)?.services.filter((s) => !t.service || s.id === t.service) ?? [];
    const speaking = services.filter((s) => canServe(b.protocol, s.protocol));
    // Prefer an enabled service speaking the protocol itself, then an adapted one; a
    // switched-off one is kept (the proxy skips it) rather than one of another protocol.
    const service =
      speaking.find((s) => s.enabled && s.protocol === b.protocol) ?? speaking.find((s) => s.enabled) ?? speaking[0];
    return { provider: t.provider, service: service?.id ?? '', model: t.model, weight: t.weight ?? 1, key: t.key };
  });
  return {
    name: b.name,
    description: b.description,
    environment: b.environment,
    enabled: b.enabled !== false,
    protocol: b.protocol,
    strategy: b.strategy ?? 'priority',
    targets,
    failover: {
      ...b.failover,
      on: b.failover?.on ?? DEFAULT_FAILOVER_ON,
      maxAttempts: b.failover?.maxAttempts ?? Math.min(3, Math.max(1, targets.length)),
      timeoutMs: b.failover?.timeoutMs ?? settings.defaults.timeoutMs,
      backoffMs: b.failover?.backoffMs ?? 0,
    },
    policy: b.policy,
  };
}

export function compileSnapshot(
  model: ConfigModel,
  definitions: ReadonlyMap<string, ProviderTemplate>,
  meta: { commit: string; loadedAt: string; warnings: readonly ConfigIssue[]; keyrings?: ReadonlyMap<string, ProviderKeyring> },
): ConfigSnapshot {
  const settings = compileSettings(model.settings?.value);
  const providers = new Map<string, CompiledProvider>();
  for (const [id, cf] of model.providers) providers.set(id, compileProvider(cf.value, definitions.get(id)!, settings));
  const bindings = new Map<string, CompiledBinding>();
  for (const [name, cf] of model.bindings) bindings.set(name, compileBinding(cf.value, providers, settings));
  const values = <T>(m: Map<string, { value: T }>) => new FrozenMap([...m].map(([k, v]) => [k, v.value]));
  return deepFreeze({
    commit: meta.commit,
    loadedAt: meta.loadedAt,
    settings,
    providers: new FrozenMap(providers),
    bindings: new FrozenMap(bindings),
    policies: values(model.policies),
    clients: values(model.clients),
    webhooks: values(model.webhooks),
    secretFiles: new FrozenMap([...model.secrets].map(([k, e]) => [k, e.path])),
    keyrings: new FrozenMap(meta.keyrings ?? []),
    warnings: meta.warnings,
  });
}
