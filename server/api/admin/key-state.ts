// The vault side of the key routes: a provider's key metadata at a commit (no decryption), and
// a key lifecycle change (the CLI's pure keyring functions) applied to the secrets file as it
// was at the client's base, re-encrypted and committed with that base.
import { parse } from 'yaml';
import type { HubSettings, ProviderInstance, ProviderKey } from '../../../schemas/types.gen.ts';
import { SilError } from '../../errors.ts';
import { readTextAt } from '../../config/git-read.ts';
import { definitionOf } from '../../config/provider-check.ts';
import { openSecrets, sealSecrets, secretsPath } from '../../vault/secrets-file.ts';
import { recipientsFor } from '../../vault/identity.ts';
import { mainField, parseSecretInput, type SecretInput } from '../../vault/secret-input.ts';
import type { ProviderState } from '../../vault/key-ops.ts';
import type { Keyring, KeyringChange, KeyringContext } from '../../vault/keyring.ts';
import { isObject } from './yaml-edit.ts';
import type { Repo, WriteAnswer } from './repo.ts';

/** The provider's file at a commit, parsed; 404 when it has none. */
export async function providerAt(repo: Repo, commit: string, id: string): Promise<ProviderInstance> {
  const file = await repo.file(commit, 'providers', id);
  if (!file) throw new SilError('SIL_API_NOT_FOUND', `provider "${id}" does not exist`, { hint: 'GET /api/providers lists the providers' });
  return parse(file.text) as ProviderInstance;
}

export async function settingsAt(repo: Repo, commit: string): Promise<HubSettings | undefined> {
  const file = await repo.file(commit, null, 'sil');
  return file ? (parse(file.text) as HubSettings) : undefined;
}

/** Key metadata from secrets/<id>.yaml at a commit: the metadata is in clear, secrets are not read. */
export async function keysAt(repo: Repo, commit: string, id: string): Promise<ProviderKey[]> {
  const text = await readTextAt(repo.deps.gitdir, commit, secretsPath(id));
  if (text === null) return [];
  const data = parse(text) as { keys?: unknown };
  return Array.isArray(data?.keys) ? (data.keys as ProviderKey[]).filter((k) => isObject(k)) : [];
}

/** What the CLI's providerState reads, at a given commit instead of the branch head. */
export async function providerStateAt(repo: Repo, id: string, commit: string): Promise<ProviderState> {
  const provider = await providerAt(repo, commit, id);
  const definition = definitionOf(provider, repo.deps.catalog);
  if (!definition) throw new SilError('SIL_CONFIG_UNKNOWN_TEMPLATE', `provider "${id}" uses template "${provider.template}", which is not in the catalog`);
  const settings = await settingsAt(repo, commit);
  const text = await readTextAt(repo.deps.gitdir, commit, secretsPath(id));
  const opened = text === null ? null : await openSecrets(text, repo.deps.vault.hub.identities);
  return { head: commit, provider, definition, settings, opened, keyring: opened?.keyring ?? { keys: [] } };
}

/** The secret of an API body: a string (single-credential providers) or an object of fields. */
export function secretFromBody(secret: unknown, state: ProviderState, partial = false): SecretInput {
  const option = state.provider.authOption;
  const own = Object.keys((option && state.definition.authOptions?.[option]?.credentials) || state.definition.credentials || {});
  let json: string;
  if (typeof secret === 'string') {
    if (own.length !== 1) throw new SilError('SIL_KEY_INPUT', `this provider has ${own.length} credential fields (${own.join(', ')}); send "secret" as an object naming each`);
    json = JSON.stringify({ [own[0]]: secret });
  } else if (isObject(secret) && Object.values(secret).every((v) => typeof v === 'string')) {
    json = JSON.stringify(secret);
  } else {
    throw new SilError('SIL_API_INPUT', '"secret" must be a string, or an object whose values are strings', { hint: `credential fields of this provider: ${own.join(', ') || 'none'}` });
  }
  return parseSecretInput(json, state.definition, { partial, option });
}

export interface KeyChangeResult { answer: WriteAnswer; change: KeyringChange; state: ProviderState }

/** Applies `op` to the keys as they were at `base` and commits the re-encrypted file. */
export async function changeKeysAt(
  repo: Repo,
  id: string,
  base: string,
  op: (keyring: Keyring, k: KeyringContext, state: ProviderState) => KeyringChange,
): Promise<KeyChangeResult> {
  await repo.checkBase(base);
  const { deps } = repo;
  const state = await providerStateAt(repo, id, base);
  const change = op(state.keyring, { provider: id, now: deps.now(), mainField: mainField(state.definition) }, state);
  const text = await sealSecrets(change.keyring, recipientsFor(deps.vault.hub.recipient, state.settings), deps.now(), state.opened?.previous);
  const answer = await repo.commit(base, { [secretsPath(id)]: text }, change.message);
  return { answer: { ...answer, warnings: change.warnings }, change, state };
}
