// Reads the facts of the config repository and the keys for checks-keys.ts and checks-repo.ts:
// sil.yaml at main, the recipients of .sops.yaml and the secrets files, the signing key and the
// signatures of main's recent history, the hook, the config as the hub would load it, the owner.
import { access, readFile, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLI_PATH, dataPaths } from '../config/repo-init.ts';
import { headCommit, readTextAt } from '../config/git-read.ts';
import { checkHistorySignatures } from '../config/commit-signature.ts';
import { hubSigner, signingSettingsOf } from '../config/signing-policy.ts';
import { keyFingerprint } from '../config/ssh-signature.ts';
import { loadHubIdentity } from '../vault/identity.ts';
import { listRecipients } from '../vault/recipients.ts';
import { loadSigningKey } from '../vault/signing-key.ts';
import { parseIdentityFile } from '../vault/sops/data-key.ts';
import { OwnerStore } from '../api/owner/owner-store.ts';
import { SilError } from '../errors.ts';
import { checkConfigLoads } from '../backup/config-load-check.ts';
import type { VaultContext } from '../vault/key-ops.ts';
import type { HubSettings } from '../../schemas/types.gen.ts';
import type { AgeFacts, SigningFacts } from './checks-keys.ts';
import { parseHookScript, type ConfigFacts, type HookFacts, type OwnerFacts } from './checks-repo.ts';

const message = (err: unknown) => (err as Error).message.split('\n')[0];
/** How much of main's first-parent history the signature check reads. */
const HISTORY = 50;

export interface RepoFacts {
  head: string | null;
  settings: HubSettings | null;
  age: AgeFacts;
  signing: SigningFacts;
  hook: HookFacts;
  config: ConfigFacts;
  owner: OwnerFacts;
}

async function settingsAt(gitdir: string, head: string | null): Promise<HubSettings | null> {
  if (!head) return null;
  const text = await readTextAt(gitdir, head, 'sil.yaml').catch(() => null);
  try {
    return text === null ? null : ((parse(text) ?? null) as HubSettings | null);
  } catch {
    return null;
  }
}

async function ageFacts(gitdir: string, path: string, head: string | null): Promise<AgeFacts> {
  let hub;
  try {
    hub = await loadHubIdentity(path);
  } catch (err) {
    return { path, error: message(err), sopsRecipients: null, secretsFiles: [] };
  }
  if (!head) return { path, recipient: hub.recipient, sopsRecipients: null, secretsFiles: [] };
  // listRecipients reads only the repository and the hub's recipient.
  const status = await listRecipients({ gitdir, hub } as unknown as VaultContext);
  return {
    path,
    recipient: hub.recipient,
    sopsRecipients: status.sopsConfig.recipients,
    secretsFiles: status.files.map((f) => ({ path: f.path, recipients: f.recipients })),
  };
}

async function signingFacts(gitdir: string, path: string, head: string | null, settings: HubSettings | null): Promise<SigningFacts> {
  const security = signingSettingsOf(settings);
  const required = security?.requireSignedCommits === true;
  let key;
  try {
    key = await loadSigningKey(path);
  } catch (err) {
    // The loader's hint fits a key others may read (the chmod); a missing or broken key is restored instead.
    const hint = err instanceof SilError && /may be read by other users/.test(err.message) ? err.hint : undefined;
    return { path, error: message(err), ...(hint ? { hint } : {}), pubMatches: null, required, history: [] };
  }
  const pub = await readFile(`${path}.pub`, 'utf8').catch(() => null);
  const words = (t: string) => t.trim().split(/\s+/).slice(0, 2).join(' ');
  const history = head ? await checkHistorySignatures(gitdir, head, [hubSigner(key.publicKey), ...(security?.allowedSigners ?? [])], { limit: HISTORY }) : [];
  return {
    path,
    fingerprint: keyFingerprint(key.publicKey),
    pubMatches: pub === null ? null : words(pub) === words(key.publicLine),
    required,
    history: history.map((h) => ({ commit: h.commit, status: h.status })),
  };
}

async function hookFacts(gitdir: string): Promise<HookFacts> {
  const path = join(gitdir, 'hooks', 'pre-receive');
  const [text, info] = await Promise.all([readFile(path, 'utf8').catch(() => null), stat(path).catch(() => null)]);
  const target = text ? parseHookScript(text) : null;
  const can = (p: string | undefined, mode: number) => (p ? access(p, mode).then(() => true, () => false) : Promise.resolve(false));
  return { path, text, mode: info?.mode ?? 0, nodeRuns: await can(target?.node, constants.X_OK), cliExists: await can(target?.cli, constants.R_OK), thisCli: CLI_PATH };
}

async function configFacts(gitdir: string, ageKey: string, head: string | null): Promise<ConfigFacts> {
  if (!head) return { error: `${gitdir} has no main branch` };
  try {
    const identities = parseIdentityFile(await readFile(ageKey, 'utf8').catch(() => ''));
    const r = await checkConfigLoads(gitdir, identities, head);
    return { commit: r.commit, errors: r.errors, warnings: r.warnings, providers: r.providers, bindings: r.bindings, secretsFiles: r.secretsFiles, keys: r.keys };
  } catch (err) {
    return { error: message(err) };
  }
}

async function ownerFacts(stateDir: string, now: number): Promise<OwnerFacts> {
  try {
    const file = await new OwnerStore(stateDir).read();
    return { owner: file.owner ? { createdAt: file.owner.createdAt } : null, setupPending: !!file.setup && Date.parse(file.setup.expiresAt) > now };
  } catch (err) {
    return { error: message(err) };
  }
}

export async function gatherRepo(dataDir: string, now: number): Promise<RepoFacts> {
  const paths = dataPaths(dataDir);
  const head = await headCommit(paths.gitdir);
  const settings = await settingsAt(paths.gitdir, head);
  const [age, signing, hook, config, owner] = await Promise.all([
    ageFacts(paths.gitdir, paths.ageKey, head).catch((err) => ({ path: paths.ageKey, error: message(err), sopsRecipients: null, secretsFiles: [] })),
    signingFacts(paths.gitdir, paths.signingKey, head, settings).catch((err) => ({ path: paths.signingKey, error: message(err), pubMatches: null, required: false, history: [] })),
    hookFacts(paths.gitdir),
    configFacts(paths.gitdir, paths.ageKey, head),
    ownerFacts(paths.state, now),
  ]);
  return { head, settings, age, signing, hook, config, owner };
}
