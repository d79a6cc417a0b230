// The parsed, schema-valid files of one config tree, before cross-checks and compilation.
import type { Binding, Client, HubSettings, Policy, ProviderInstance, SecretsFile, WebhookSubscription } from '../../schemas/types.gen.ts';
import type { ParsedFile } from './parse-file.ts';
import type { SchemaKind } from './schemas.ts';

export interface ConfigFile<T> {
  path: string;
  /** Blob id (or content stamp): equal ids mean equal content. */
  id: string;
  file: ParsedFile;
  value: T;
}

export interface ConfigModel {
  settings?: ConfigFile<HubSettings>;
  providers: Map<string, ConfigFile<ProviderInstance>>;
  bindings: Map<string, ConfigFile<Binding>>;
  policies: Map<string, ConfigFile<Policy>>;
  clients: Map<string, ConfigFile<Client>>;
  webhooks: Map<string, ConfigFile<WebhookSubscription>>;
  /** secrets/<provider-id>.yaml: key metadata in clear, secret values still encrypted. */
  secrets: Map<string, ConfigFile<SecretsFile>>;
  /** `<folder>/<name>` of files that exist but have errors: references to them are not blamed again. */
  broken: Set<string>;
}

/** Folder → schema kind, and the field that must equal the file name. */
export const FOLDERS = {
  providers: { kind: 'provider', idField: 'id' },
  bindings: { kind: 'binding', idField: 'name' },
  policies: { kind: 'policy', idField: 'name' },
  clients: { kind: 'client', idField: 'name' },
  webhooks: { kind: 'webhook', idField: 'name' },
  secrets: { kind: 'secrets', idField: null },
} as const satisfies Record<string, { kind: SchemaKind; idField: string | null }>;

export type ModelFolder = keyof typeof FOLDERS;

export function emptyModel(): ConfigModel {
  return { providers: new Map(), bindings: new Map(), policies: new Map(), clients: new Map(), webhooks: new Map(), secrets: new Map(), broken: new Set() };
}
