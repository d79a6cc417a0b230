// Runs a key lifecycle operation against the config repository: reads the provider and its
// secrets at the branch head, applies the pure keyring change, re-encrypts (unchanged values
// keep their ciphertext) and commits through the git writer. One operation, one commit.
import { parse } from 'yaml';
import git from 'isomorphic-git';
import { gitFs } from '../config/git-fs.ts';
import type { HubSettings, ProviderInstance, ProviderTemplate } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { headCommit, readTextAt } from '../config/git-read.ts';
import { definitionOf } from '../config/provider-check.ts';
import { openSecrets, sealSecrets, secretsPath, type OpenedSecrets } from './secrets-file.ts';
import { recipientsFor, type HubIdentity } from './identity.ts';
import { mainField } from './secret-input.ts';
import type { GitWriter, Person } from '../config/git-writer.ts';
import type { Catalog } from '../config/catalog.ts';
import type { Keyring, KeyringChange, KeyringContext } from './keyring.ts';

export interface VaultContext {
  gitdir: string;
  writer: GitWriter;
  catalog: Catalog;
  hub: HubIdentity;
  author: Person;
  now: () => Date;
}

export interface ProviderState {
  head: string;
  provider: ProviderInstance;
  definition: ProviderTemplate;
  settings: HubSettings | undefined;
  opened: OpenedSecrets | null;
  keyring: Keyring;
}

async function readYaml<T>(gitdir: string, commit: string, paths: string[]): Promise<T | undefined> {
  for (const p of paths) {
    const text = await readTextAt(gitdir, commit, p);
    if (text !== null) return parse(text) as T;
  }
  return undefined;
}

export async function providerState(ctx: VaultContext, providerId: string): Promise<ProviderState> {
  const head = await headCommit(ctx.gitdir);
  if (!head) throw new SilError('SIL_GIT_NOT_FOUND', 'the config repository has no main branch');
  const provider = await readYaml<ProviderInstance>(ctx.gitdir, head, [`providers/${providerId}.yaml`, `providers/${providerId}.yml`, `providers/${providerId}.json`]);
  if (!provider) throw new SilError('SIL_CONFIG_REFERENCE', `provider "${providerId}" does not exist`, { hint: `add providers/${providerId}.yaml first` });
  const definition = definitionOf(provider, ctx.catalog);
  if (!definition) throw new SilError('SIL_CONFIG_UNKNOWN_TEMPLATE', `provider "${providerId}" uses template "${provider.template}", which is not in the catalog`);
  const settings = await readYaml<HubSettings>(ctx.gitdir, head, ['sil.yaml', 'sil.yml', 'sil.json']);
  const text = await readTextAt(ctx.gitdir, head, secretsPath(providerId));
  const opened = text === null ? null : await openSecrets(text, ctx.hub.identities);
  return { head, provider, definition, settings, opened, keyring: opened?.keyring ?? { keys: [] } };
}

export function keyringContext(ctx: VaultContext, state: ProviderState, providerId: string): KeyringContext {
  return { provider: providerId, now: ctx.now(), mainField: mainField(state.definition) };
}

/** Applies `op` to the provider's keys and commits the result. */
export async function changeKeys(
  ctx: VaultContext,
  providerId: string,
  op: (keyring: Keyring, k: KeyringContext, state: ProviderState) => KeyringChange | null,
): Promise<{ commit: string; change: KeyringChange } | null> {
  const state = await providerState(ctx, providerId);
  const change = op(state.keyring, keyringContext(ctx, state, providerId), state);
  if (!change) return null;
  const recipients = recipientsFor(ctx.hub.recipient, state.settings);
  const text = await sealSecrets(change.keyring, recipients, ctx.now(), state.opened?.previous);
  const { commit } = await ctx.writer.commit({ base: state.head, changes: { [secretsPath(providerId)]: text }, message: change.message, author: ctx.author });
  return { commit, change };
}

/** The providers that have a secrets file at the branch head. */
export async function providersWithSecrets(gitdir: string): Promise<string[]> {
  const head = await headCommit(gitdir);
  if (!head) return [];
  try {
    const { tree } = await git.readTree({ fs: gitFs(gitdir), gitdir, oid: head, filepath: 'secrets' });
    // Only providers' files: secrets/webhook-<name>.yaml of a webhook has no provider (server/webhooks/secrets.ts).
    const providers = await git.readTree({ fs: gitFs(gitdir), gitdir, oid: head, filepath: 'providers' }).then((t) => new Set(t.tree.map((e) => e.path.replace(/\.(ya?ml|json)$/, ''))), () => new Set<string>());
    return tree.map((e) => e.path).filter((n) => /\.ya?ml$/.test(n)).map((n) => n.replace(/\.ya?ml$/, '')).filter((n) => providers.has(n));
  } catch {
    return [];
  }
}
