// The compiled, frozen configuration the runtime serves from. Built once per commit; the hot
// path reads it and never touches git, disk or YAML.
import type { OriginMap } from '../auth-schemes/origins.ts';
import type { DerivedField } from './derived-connection.ts';
import type {
  AuthScheme, Binding, Client, HealthCheck, HubSettings, Model, Policy, Pricing, ProviderInstance, ProviderTemplate,
  RateLimit, Service, Usage, WebhookSubscription,
} from '../../schemas/types.gen.ts';
import type { ConfigIssue } from './issues.ts';
import type { ProviderKeyring } from '../vault/provider-keyring.ts';

export type ConnectionValues = Readonly<Record<string, string | number | boolean>>;

export interface CompiledService {
  id: string;
  protocol: Service['protocol'];
  enabled: boolean;
  /** Base URL with connection values filled in; ${secret.x} placeholders stay for the proxy. */
  baseUrl: string;
  path: string;
  auth: AuthScheme;
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  retrySafe: boolean;
  idempotencyHeader?: string;
  models: ReadonlyMap<string, Model>;
  pricing?: Pricing;
  usage?: Usage;
}

export interface CompiledProvider {
  id: string;
  name: string;
  description?: string;
  category: ProviderTemplate['category'];
  environment: string;
  enabled: boolean;
  /** Catalog template id, or null for a custom provider. */
  template: string | null;
  definition: Readonly<ProviderTemplate>;
  connection: ConnectionValues;
  /** The provider's auth: the auth option's, else the template's (services may have their own). */
  auth: AuthScheme;
  /** Connection fields derived from a credential when the instance leaves them empty (derived-connection.ts): render with withDerived(). */
  derived?: readonly DerivedField[];
  /** providers/<id>.yaml `origins:`, normalised (server/auth-schemes/origins.ts). */
  origins?: OriginMap;
  baseUrl: string;
  services: readonly CompiledService[];
  healthCheck?: HealthCheck;
  /** providers/<id>.yaml `healthCheck:` (enabled, intervalSeconds), over the template's (server/observe/health). */
  instanceHealthCheck?: NonNullable<ProviderInstance['healthCheck']>;
  rateLimit?: RateLimit;
  /** A policy of policies/ limiting every request sent to this provider (server/limits). */
  policy?: string;
  tags: readonly string[];
  keyRotationDays: number;
}

export interface CompiledTarget {
  provider: string;
  service: string;
  model?: string;
  weight: number;
  key?: string;
}

export interface CompiledBinding {
  name: string;
  description?: string;
  environment: string;
  enabled: boolean;
  protocol: Binding['protocol'];
  strategy: NonNullable<Binding['strategy']>;
  targets: readonly CompiledTarget[];
  failover: Required<Pick<NonNullable<Binding['failover']>, 'on' | 'maxAttempts' | 'timeoutMs' | 'backoffMs'>> & NonNullable<Binding['failover']>;
  policy?: string;
}

export type Settings = HubSettings & {
  defaults: Required<NonNullable<HubSettings['defaults']>>;
  security: NonNullable<HubSettings['security']>;
};

export interface ConfigSnapshot {
  /** The commit this snapshot was built from. */
  commit: string;
  /** ISO time the snapshot went live. */
  loadedAt: string;
  settings: Readonly<Settings>;
  providers: ReadonlyMap<string, CompiledProvider>;
  bindings: ReadonlyMap<string, CompiledBinding>;
  policies: ReadonlyMap<string, Readonly<Policy>>;
  clients: ReadonlyMap<string, Readonly<Client>>;
  webhooks: ReadonlyMap<string, Readonly<WebhookSubscription>>;
  /** Paths of secrets/<provider>.yaml files, for the vault. */
  secretFiles: ReadonlyMap<string, string>;
  /** Each provider's keys, decrypted in memory (secrets behind ProviderKeyring.secretOf). */
  keyrings: ReadonlyMap<string, ProviderKeyring>;
  warnings: readonly ConfigIssue[];
}
