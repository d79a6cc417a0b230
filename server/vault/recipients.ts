// The owner's extra age recipients: `vault.recipients` of sil.yaml, the `age:` list of
// .sops.yaml and the `sops.age` entries of every secrets file, changed together in one commit.
// Adding a recipient wraps each file's data key for it and changes nothing else in the file
// (as `sops updatekeys` does); removing one gives every file a new data key, because the
// removed party may hold the old one.
import git from 'isomorphic-git';
import { isMap, isScalar, isSeq, parse, parseDocument, Scalar, YAMLMap, type Document, type YAMLSeq } from 'yaml';
import type { HubSettings } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { gitFs } from '../config/git-fs.ts';
import { headCommit, readTextAt } from '../config/git-read.ts';
import { sopsRules } from '../config/initial-files.ts';
import { decryptSops } from './sops/sops-file.ts';
import { wrapDataKey } from './sops/data-key.ts';
import { openSecrets, sealSecrets } from './secrets-file.ts';
import type { VaultContext } from './key-ops.ts';

export const RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;
export const SOPS_CONFIG = '.sops.yaml';
const SETTINGS_PATHS = ['sil.yaml', 'sil.yml', 'sil.json'] as const;
const SECRETS_EXT = /\.(ya?ml|json)$/;
const YAML_OUT = { lineWidth: 0, flowCollectionPadding: false } as const;
/** How sil (and sops) write SOPS files; a file sil wrote reads back and writes out unchanged. */
const SOPS_OUT = { indent: 4, lineWidth: 0, indentSeq: true } as const;

/** `age1abc…xyz`, for commit messages and listings. */
export const shortRecipient = (r: string) => `${r.slice(0, 7)}…${r.slice(-3)}`;

export interface RecipientChange { add?: string[]; remove?: string[] }

export interface RecipientsFileResult {
  path: string;
  /** rewrapped: the data key was wrapped for new recipients, values untouched; rekeyed: new data key. */
  action: 'rewrapped' | 'rekeyed' | 'unchanged';
}

export interface RecipientsResult {
  commit: string;
  message: string;
  /** The recipients every secrets file is now encrypted to: the hub's first. */
  recipients: string[];
  added: string[];
  removed: string[];
  files: RecipientsFileResult[];
}

export interface FileRecipients {
  path: string;
  recipients: string[];
  missing: string[];
  extra: string[];
  inSync: boolean;
  /** Set when the file's recipients cannot be read (not a SOPS file, not parseable). */
  error?: string;
}

export interface RecipientsStatus {
  hub: string;
  /** The owner recipients of sil.yaml (`vault.recipients`), in file order. */
  owners: string[];
  /** What every secrets file should be encrypted to. */
  expected: string[];
  /** `.sops.yaml`'s first creation rule; recipients null when the file or rule is missing. */
  sopsConfig: Omit<FileRecipients, 'recipients'> & { recipients: string[] | null };
  files: FileRecipients[];
}

interface SettingsFile { path: string; text: string }

const recipientError = (message: string, hint?: string) => new SilError('SIL_VAULT_RECIPIENT', message, hint ? { hint } : {});

async function head(ctx: VaultContext): Promise<string> {
  const commit = await headCommit(ctx.gitdir);
  if (!commit) throw new SilError('SIL_GIT_NOT_FOUND', 'the config repository has no main branch');
  return commit;
}

async function readSettingsFile(gitdir: string, commit: string): Promise<SettingsFile> {
  for (const path of SETTINGS_PATHS) {
    const text = await readTextAt(gitdir, commit, path);
    if (text !== null) return { path, text };
  }
  throw new SilError('SIL_CONFIG_MISSING', 'the config repository has no sil.yaml');
}

function ownersOf(file: SettingsFile): string[] {
  let settings: HubSettings | undefined;
  try {
    settings = (file.path.endsWith('.json') ? JSON.parse(file.text) : parse(file.text)) as HubSettings | undefined;
  } catch (err) {
    throw new SilError('SIL_CONFIG_YAML', `${file.path}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const list = settings?.vault?.recipients;
  return Array.isArray(list) ? list.map(String) : [];
}

/** The secrets files at a commit (direct children of secrets/ with a config extension). */
async function secretsFiles(gitdir: string, commit: string): Promise<string[]> {
  try {
    const { tree } = await git.readTree({ fs: gitFs(gitdir), gitdir, oid: commit, filepath: 'secrets' });
    return tree.filter((e) => e.type === 'blob' && SECRETS_EXT.test(e.path)).map((e) => `secrets/${e.path}`).sort();
  } catch (err) {
    if ((err as { code?: string }).code === 'NotFoundError') return [];
    throw err;
  }
}

/** The recipients of a SOPS file's `sops.age`, read without decrypting. */
function fileRecipients(text: string): string[] {
  const data = parse(text) as { sops?: { age?: { recipient?: unknown }[] } } | null;
  const age = data?.sops?.age;
  if (!data?.sops) throw new Error('no sops: block (not encrypted)');
  return Array.isArray(age) ? age.map((a) => String(a?.recipient ?? '')) : [];
}

/** `creation_rules[0].age` of .sops.yaml, or null when there is none. */
function sopsConfigRecipients(text: string): string[] | null {
  const data = parse(text) as { creation_rules?: { age?: unknown }[] } | null;
  const age = Array.isArray(data?.creation_rules) ? data.creation_rules[0]?.age : undefined;
  if (typeof age === 'string') return age.split(',').map((r) => r.trim()).filter(Boolean);
  if (Array.isArray(age)) return age.map(String);
  return null;
}

function compare(path: string, recipients: string[], expected: string[]): FileRecipients {
  const missing = expected.filter((r) => !recipients.includes(r));
  const extra = recipients.filter((r) => !expected.includes(r));
  return { path, recipients, missing, extra, inSync: missing.length === 0 && extra.length === 0 };
}

/** Who can open the vault, and whether .sops.yaml and every secrets file agree with sil.yaml. */
export async function listRecipients(ctx: VaultContext): Promise<RecipientsStatus> {
  const commit = await head(ctx);
  const owners = ownersOf(await readSettingsFile(ctx.gitdir, commit));
  const expected = [...new Set([ctx.hub.recipient, ...owners])];
  const sopsText = await readTextAt(ctx.gitdir, commit, SOPS_CONFIG);
  let sopsConfig: RecipientsStatus['sopsConfig'];
  try {
    const listed = sopsText === null ? null : sopsConfigRecipients(sopsText);
    sopsConfig = listed === null
      ? { path: SOPS_CONFIG, recipients: null, missing: expected, extra: [], inSync: false, error: sopsText === null ? 'missing' : 'no creation_rules[0].age' }
      : compare(SOPS_CONFIG, listed, expected);
  } catch (err) {
    sopsConfig = { path: SOPS_CONFIG, recipients: null, missing: expected, extra: [], inSync: false, error: (err as Error).message.split('\n')[0] };
  }
  const files: FileRecipients[] = [];
  for (const path of await secretsFiles(ctx.gitdir, commit)) {
    const text = (await readTextAt(ctx.gitdir, commit, path)) ?? '';
    try {
      files.push(compare(path, fileRecipients(text), expected));
    } catch (err) {
      files.push({ path, recipients: [], missing: expected, extra: [], inSync: false, error: (err as Error).message.split('\n')[0] });
    }
  }
  return { hub: ctx.hub.recipient, owners, expected, sopsConfig, files };
}

/** Checks a change against the current owners; returns the owners after it. */
function applyChange(hub: string, owners: string[], change: RecipientChange): { add: string[]; remove: string[]; owners: string[] } {
  const add = [...new Set((change.add ?? []).map((r) => r.trim()))];
  const remove = [...new Set((change.remove ?? []).map((r) => r.trim()))];
  if (add.length === 0 && remove.length === 0) throw recipientError('no recipient to add or remove');
  for (const r of [...add, ...remove]) {
    if (!RECIPIENT.test(r)) {
      throw recipientError(`"${r.length > 80 ? `${r.slice(0, 80)}…` : r}" is not an age recipient`, 'an age recipient is age1 followed by 58 lowercase bech32 characters; `age-keygen -y KEYFILE` prints the one of a key file');
    }
  }
  for (const r of remove) {
    if (r === hub) {
      throw recipientError(`${r} is the hub's own recipient (data/keys/age.key): it cannot be removed`, 'the hub must be able to decrypt its keys; remove only owner recipients (`sil recipients list`)');
    }
    if (!owners.includes(r)) throw recipientError(`${r} is not a recipient of the vault`, 'run `sil recipients list` for the current recipients');
    if (add.includes(r)) throw recipientError(`${r} is both added and removed`);
  }
  for (const r of add) {
    if (r === hub) throw recipientError(`${r} is the hub's own recipient: every secrets file is already encrypted to it`);
    if (owners.includes(r)) throw recipientError(`${r} is already a recipient of the vault`, 'run `sil recipients list` for the current recipients');
  }
  return { add, remove, owners: [...owners.filter((r) => !remove.includes(r)), ...add] };
}

/** sil.yaml with the new owner list; comments, order and the other fields are kept. */
function editSettings(file: SettingsFile, add: string[], remove: string[]): string {
  if (file.path.endsWith('.json')) {
    const data = JSON.parse(file.text) as HubSettings & { vault?: { recipients?: string[] } };
    const owners = [...(data.vault?.recipients ?? []).filter((r) => !remove.includes(r)), ...add];
    if (owners.length) data.vault = { ...data.vault, recipients: owners };
    else if (data.vault) {
      delete data.vault.recipients;
      if (Object.keys(data.vault).length === 0) delete data.vault;
    }
    return `${JSON.stringify(data, null, 2)}\n`;
  }
  const doc = parseDocument(file.text, { uniqueKeys: true });
  if (doc.errors.length) throw new SilError('SIL_CONFIG_YAML', `${file.path}: ${doc.errors[0].message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new SilError('SIL_CONFIG_NOT_MAPPING', `${file.path} is not a mapping`);
  const empty = (n: unknown) => n === undefined || n === null || (isScalar(n) && n.value === null);
  let vault: unknown = doc.get('vault', true);
  if (empty(vault)) {
    if (add.length === 0) return file.text;
    vault = new YAMLMap();
    doc.set('vault', vault);
  }
  if (!isMap(vault)) throw new SilError('SIL_CONFIG_SCHEMA', `${file.path}: vault must be a mapping`);
  let list: unknown = vault.get('recipients', true);
  if (empty(list)) {
    list = doc.createNode([]) as YAMLSeq;
    vault.set('recipients', list);
  }
  if (!isSeq(list)) throw new SilError('SIL_CONFIG_SCHEMA', `${file.path}: vault.recipients must be a list`);
  const seq = list;
  for (const r of remove) {
    const i = seq.items.findIndex((item) => (isScalar(item) ? item.value : item) === r);
    if (i >= 0) seq.items.splice(i, 1);
  }
  for (const r of add) seq.add(doc.createNode(r));
  if (seq.items.length === 0) {
    vault.delete('recipients');
    if (vault.items.length === 0) doc.delete('vault');
  }
  return doc.toString(YAML_OUT);
}

/** .sops.yaml with `creation_rules[0].age` set to the recipients; the rest of the file kept. */
function editSopsConfig(text: string | null, recipients: string[]): string {
  if (text === null) return sopsRules(recipients);
  const doc = parseDocument(text);
  if (doc.errors.length) throw new SilError('SIL_CONFIG_YAML', `${SOPS_CONFIG}: ${doc.errors[0].message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new SilError('SIL_CONFIG_NOT_MAPPING', `${SOPS_CONFIG} is not a mapping`);
  const joined = recipients.join(',');
  const rules = doc.get('creation_rules', true);
  const first = isSeq(rules) ? rules.items[0] : undefined;
  if (!isMap(first)) {
    // No rule to edit: add sil's rule (first, so `sops` picks it for secrets/).
    const rule = (parseDocument(sopsRules(recipients)).get('creation_rules', true) as YAMLSeq).items[0];
    if (isSeq(rules)) rules.items.unshift(rule);
    else doc.set('creation_rules', doc.createNode([rule]));
    return doc.toString(YAML_OUT);
  }
  const age = first.get('age', true);
  if (isScalar(age)) age.value = joined;
  else first.set('age', joined);
  return doc.toString(YAML_OUT);
}

/** Adds `sops.age` entries for the missing recipients; values, MAC and lastmodified stay. */
async function rewrap(ctx: VaultContext, path: string, text: string, recipients: readonly string[]): Promise<string> {
  // Opening the file checks its MAC and gives the data key.
  const file = await decryptSops(text, 'yaml', ctx.hub.identities).catch((err: unknown) => {
    throw err instanceof SilError ? new SilError(err.code, `${path}: ${err.message}`, { hint: err.hint, cause: err }) : err;
  });
  const have = file.metadata.age.map((a) => a.recipient);
  const missing = recipients.filter((r) => !have.includes(r));
  if (missing.length === 0) return text;
  const doc: Document = parseDocument(text);
  const age = doc.getIn(['sops', 'age'], true);
  if (!isSeq(age)) throw new SilError('SIL_VAULT_FORMAT', `${path}: sops.age is not a list`);
  for (const recipient of missing) {
    const enc = new Scalar(await wrapDataKey(file.dataKey, recipient));
    enc.type = 'BLOCK_LITERAL';
    const entry = new YAMLMap();
    entry.set('recipient', recipient);
    entry.set('enc', enc);
    age.add(entry);
  }
  return doc.toString(SOPS_OUT);
}

/** Re-encrypts the file's keys under a new data key. */
async function rekey(ctx: VaultContext, path: string, text: string, recipients: readonly string[]): Promise<string> {
  const opened = await openSecrets(text, ctx.hub.identities).catch((err: unknown) => {
    throw err instanceof SilError ? new SilError(err.code, `${path}: ${err.message}`, { hint: err.hint, cause: err }) : err;
  });
  return sealSecrets(opened.keyring, recipients, ctx.now());
}

const plural = (n: number) => `${n} secrets file${n === 1 ? '' : 's'}`;

function describe(added: string[], removed: string[], rewrapped: number, rekeyed: number): string {
  const parts: string[] = [];
  const list = (rs: string[]) => rs.map(shortRecipient).join(', ');
  if (added.length) parts.push(`add recipient${added.length > 1 ? 's' : ''} ${list(added)}`);
  if (removed.length) parts.push(`remove recipient${removed.length > 1 ? 's' : ''} ${list(removed)}`);
  const counts = rekeyed === 0 ? `re-wrapped ${plural(rewrapped)}`
    : rewrapped === 0 ? `new data keys for ${plural(rekeyed)}`
    : `re-wrapped ${plural(rewrapped)}, new data keys for ${plural(rekeyed)}`;
  const body = [...added.map((r) => `Added: ${r}`), ...removed.map((r) => `Removed: ${r}`)].join('\n');
  return `vault: ${parts.join(', ')} (${counts})\n\n${body}\n`;
}

/**
 * Adds and removes owner recipients in one commit: sil.yaml, .sops.yaml and every secrets
 * file. On add each file keeps its data key and values (a new `sops.age` entry appears);
 * a removal, or a file encrypted to someone outside the new set, gets a new data key.
 */
export async function changeRecipients(ctx: VaultContext, change: RecipientChange): Promise<RecipientsResult> {
  const base = await head(ctx);
  const settings = await readSettingsFile(ctx.gitdir, base);
  const hub = ctx.hub.recipient;
  const { add, remove, owners } = applyChange(hub, ownersOf(settings), change);
  const recipients = [...new Set([hub, ...owners])];

  const changes: Record<string, string> = {};
  const put = (path: string, before: string | null, after: string) => { if (after !== before) changes[path] = after; };
  put(settings.path, settings.text, editSettings(settings, add, remove));
  const sopsText = await readTextAt(ctx.gitdir, base, SOPS_CONFIG);
  put(SOPS_CONFIG, sopsText, editSopsConfig(sopsText, recipients));

  const files: RecipientsFileResult[] = [];
  for (const path of await secretsFiles(ctx.gitdir, base)) {
    if (path.endsWith('.json')) {
      throw new SilError('SIL_VAULT_UNSUPPORTED', `${path} is a JSON secrets file: sil re-encrypts YAML secrets files only`, { hint: `convert it to secrets/${path.slice(8, -5)}.yaml (\`sops -d ${path}\`, then \`sil keys\` or \`sops -e\`), then try again` });
    }
    const text = (await readTextAt(ctx.gitdir, base, path)) ?? '';
    let current: string[];
    try {
      current = fileRecipients(text);
    } catch (err) {
      throw new SilError('SIL_VAULT_FORMAT', `${path}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    // A party outside the new set may hold the file's data key: only a new one shuts it out.
    const needsNewKey = remove.length > 0 || current.some((r) => !recipients.includes(r));
    const after = needsNewKey ? await rekey(ctx, path, text, recipients) : await rewrap(ctx, path, text, recipients);
    put(path, text, after);
    files.push({ path, action: after === text ? 'unchanged' : needsNewKey ? 'rekeyed' : 'rewrapped' });
  }

  const count = (a: RecipientsFileResult['action']) => files.filter((f) => f.action === a).length;
  const message = describe(add, remove, count('rewrapped'), count('rekeyed'));
  const { commit } = await ctx.writer.commit({ base, changes, message, author: ctx.author });
  return { commit, message: message.split('\n')[0], recipients, added: add, removed: remove, files };
}
