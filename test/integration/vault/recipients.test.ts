// Owner recipients on a real config repository: `sil recipients add` wraps each secrets file's
// data key for the owner's offline key in one commit (values untouched), `sil recipients remove`
// gives every file a new data key; checked with the independent reference decryptor and, when
// installed, the age CLI.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { loadHubIdentity } from '../../../server/vault/identity.ts';
import { changeRecipients, type RecipientChange } from '../../../server/vault/recipients.ts';
import type { VaultContext } from '../../../server/vault/key-ops.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { gitRun } from '../../helpers/git.ts';
import { sil } from '../../helpers/cli.ts';
import { MINIMAL } from '../../helpers/config-files.ts';
import { referenceDecrypt } from '../../helpers/sops-reference.ts';
import { ageDecryptArmored, ensureAgeCli } from '../../helpers/age-cli.ts';

const KEY = `sk-proj-${'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN'}`;
const SECRETS = 'secrets/openai-main.yaml';
const SETTINGS = `# Hub settings, with comments the edit keeps.\n${MINIMAL['sil.yaml']}defaults:\n  timeoutMs: 30000 # thirty seconds\n`;
const author = { name: 'Owner', email: 'owner@example.test' };
const ENC = /ENC\[AES256_GCM,[^\]]+\]/g;

describe('owner recipients', () => {
  let tmp: ReturnType<typeof tempDir>;
  let data: string;
  let bare: string;
  let hubIdentity: string;
  let hubRecipient: string;
  let owner: { identity: string; recipient: string };

  const run = (args: string[], input = '') => sil([...args, '--data', data], { input, env: { SIL_AUTHOR_NAME: 'Owner', SIL_AUTHOR_EMAIL: 'owner@example.test' } });
  const head = () => gitRun(bare, ['rev-parse', 'refs/heads/main']);
  const show = (path: string, rev = 'main') => gitRun(bare, ['show', `${rev}:${path}`]);
  const changed = (rev: string) => gitRun(bare, ['diff-tree', '--no-commit-id', '--name-only', '-r', rev]).split('\n').sort();
  const subject = (rev = 'main') => gitRun(bare, ['log', '-1', '--format=%s', rev]);
  const encValues = (text: string) => text.match(ENC) ?? [];
  const keyValues = (text: string) => encValues(text.slice(0, text.indexOf('\nsops:')));
  const sopsAge = (text: string) => (parse(text) as { sops: { age: { recipient: string; enc: string }[] } }).sops.age;
  const sopsConfigAge = () => (parse(show('.sops.yaml')) as { creation_rules: { age: string }[] }).creation_rules[0].age;
  const vaultCtx = async (): Promise<VaultContext> => {
    const catalog = projectCatalog().catalog;
    return { gitdir: bare, writer: new GitWriter({ gitdir: bare, catalog }), catalog, hub: await loadHubIdentity(join(data, 'keys', 'age.key')), author, now: () => new Date() };
  };
  const owners = () => (parse(show('sil.yaml')) as { vault?: { recipients?: string[] } }).vault?.recipients;

  beforeEach(async () => {
    tmp = tempDir('sil-recipients-');
    data = join(tmp.path, 'data');
    const init = await initDataDir(data);
    bare = init.paths.gitdir;
    hubIdentity = readFileSync(init.paths.ageKey, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
    hubRecipient = await identityToRecipient(hubIdentity);
    const writer = new GitWriter({ gitdir: bare, catalog: projectCatalog().catalog });
    await writer.commit({ base: null, changes: { 'sil.yaml': SETTINGS, 'providers/openai-main.yaml': MINIMAL['providers/openai-main.yaml'] }, message: 'openai-main', author });
    const added = run(['keys', 'add', 'openai-main'], KEY);
    expect(added.status, added.stderr).toBe(0);
    const identity = await generateX25519Identity();
    owner = { identity, recipient: await identityToRecipient(identity) };
  });
  afterEach(() => tmp.cleanup());

  it('add: one commit to sil.yaml, .sops.yaml and the secrets file; the owner key alone opens it, values unchanged', async () => {
    const before = head();
    const fileBefore = show(SECRETS);
    await expect(referenceDecrypt(fileBefore, 'yaml', [owner.identity])).rejects.toThrow(/no identity unwraps/);

    const r = run(['recipients', 'add', owner.recipient]);
    expect(r.status, r.stderr).toBe(0);
    const short = `${owner.recipient.slice(0, 7)}…${owner.recipient.slice(-3)}`;
    expect(r.stdout.trim()).toBe(`${head().slice(0, 7)} vault: add recipient ${short} (re-wrapped 1 secrets file)`);
    expect(gitRun(bare, ['rev-parse', 'main^'])).toBe(before);
    expect(subject()).toBe(`vault: add recipient ${short} (re-wrapped 1 secrets file)`);
    expect(gitRun(bare, ['log', '-1', '--format=%an <%ae>'])).toBe('Owner <owner@example.test>');
    expect(changed('main')).toEqual(['.sops.yaml', SECRETS, 'sil.yaml']);

    // sil.yaml: the list appended, comments and the rest kept.
    expect(show('sil.yaml')).toBe(`${SETTINGS}vault:\n  recipients:\n    - ${owner.recipient}`); // show() trims the last newline
    expect(owners()).toEqual([owner.recipient]);
    // .sops.yaml: hub first, then the owner; its comments kept.
    expect(sopsConfigAge()).toBe(`${hubRecipient},${owner.recipient}`);
    expect(show('.sops.yaml')).toContain('# Creation rules for the sops CLI');
    expect(show('.sops.yaml')).toContain('encrypted_regex: ^secret$');

    // The secrets file: only a new age entry; every ENC value (and the MAC) as before.
    const fileAfter = show(SECRETS);
    expect(encValues(fileAfter)).toEqual(encValues(fileBefore));
    expect(sopsAge(fileAfter).map((a) => a.recipient)).toEqual([hubRecipient, owner.recipient]);
    expect(sopsAge(fileAfter)[0]).toEqual(sopsAge(fileBefore)[0]);
    const diff = gitRun(bare, ['diff', 'main^', 'main', '--', SECRETS]).split('\n').filter((l) => /^[+-](?![+-])/.test(l));
    expect(diff.every((l) => l.startsWith('+')), diff.join('\n')).toBe(true);
    expect(diff[0]).toBe(`+        - recipient: ${owner.recipient}`);
    expect(diff[1]).toBe('+          enc: |');

    // The owner's identity alone decrypts it, to the same data key and plaintext as the hub's.
    const asOwner = await referenceDecrypt(fileAfter, 'yaml', [owner.identity]);
    const asHub = await referenceDecrypt(fileAfter, 'yaml', [hubIdentity]);
    expect(asOwner.macOk).toBe(true);
    expect(asOwner.data).toMatchObject({ keys: [{ secret: { apiKey: KEY } }] });
    expect(Buffer.from(asOwner.dataKey)).toEqual(Buffer.from(asHub.dataKey));
    expect(Buffer.from((await referenceDecrypt(fileBefore, 'yaml', [hubIdentity])).dataKey)).toEqual(Buffer.from(asHub.dataKey));

    // An independent age implementation unwraps the data key with the owner's key file.
    if (ensureAgeCli()) {
      const keyFile = join(tmp.path, 'owner.key');
      writeFileSync(keyFile, `${owner.identity}\n`, { mode: 0o600 });
      const entry = sopsAge(fileAfter).find((a) => a.recipient === owner.recipient)!;
      expect(ageDecryptArmored(entry.enc, keyFile)).toEqual(Buffer.from(asOwner.dataKey));
    }

    expect(gitRun(bare, ['show', 'main'])).not.toContain(KEY);
    expect(gitRun(bare, ['show', 'main'])).not.toContain(KEY.slice(8));
    const list = run(['keys', 'list', 'openai-main']);
    expect(list.status, list.stderr).toBe(0);
    const validate = run(['validate']);
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
  });

  it('remove: a new data key for every file; the owner key no longer opens it, the hub key does', async () => {
    expect(run(['recipients', 'add', owner.recipient]).status).toBe(0);
    const withOwner = show(SECRETS);
    const before = head();

    const r = run(['recipients', 'remove', owner.recipient]);
    expect(r.status, r.stderr).toBe(0);
    const short = `${owner.recipient.slice(0, 7)}…${owner.recipient.slice(-3)}`;
    expect(subject()).toBe(`vault: remove recipient ${short} (new data keys for 1 secrets file)`);
    expect(r.stdout.trim()).toBe(`${head().slice(0, 7)} ${subject()}`);
    expect(r.stderr).toContain('sil keys rotate');
    expect(gitRun(bare, ['rev-parse', 'main^'])).toBe(before);
    expect(changed('main')).toEqual(['.sops.yaml', SECRETS, 'sil.yaml']);

    expect(show('sil.yaml')).toBe(SETTINGS.trimEnd());
    expect(sopsConfigAge()).toBe(hubRecipient);
    const after = show(SECRETS);
    expect(sopsAge(after).map((a) => a.recipient)).toEqual([hubRecipient]);
    await expect(referenceDecrypt(after, 'yaml', [owner.identity])).rejects.toThrow(/no identity unwraps/);
    const asHub = await referenceDecrypt(after, 'yaml', [hubIdentity]);
    expect(asHub.macOk).toBe(true);
    expect(asHub.data).toMatchObject({ keys: [{ secret: { apiKey: KEY } }] });
    const old = await referenceDecrypt(withOwner, 'yaml', [owner.identity]);
    expect(Buffer.from(asHub.dataKey).equals(Buffer.from(old.dataKey))).toBe(false);
    // Every encrypted value changed: none was kept under the old data key.
    const oldValues = keyValues(withOwner);
    const newValues = keyValues(after);
    expect(newValues.length).toBe(oldValues.length);
    expect(newValues.length).toBeGreaterThan(0);
    for (const v of newValues) expect(oldValues).not.toContain(v);

    for (const rev of ['main', 'main^']) {
      expect(gitRun(bare, ['show', rev])).not.toContain(KEY);
      expect(gitRun(bare, ['show', rev])).not.toContain(KEY.slice(8));
    }
    const list = run(['keys', 'list', 'openai-main']);
    expect(list.status, list.stderr).toBe(0);
  });

  it('refuses removing the hub recipient, unknown or duplicate recipients and malformed ones, changing nothing', async () => {
    expect(run(['recipients', 'add', owner.recipient]).status).toBe(0);
    const tip = head();
    // Through the command: exit 1 with the message and a hint.
    for (const [args, message] of [
      [['remove', hubRecipient], /hub's own recipient .*cannot be removed \[SIL_VAULT_RECIPIENT\]/],
      [['add', owner.recipient], /is already a recipient of the vault \[SIL_VAULT_RECIPIENT\]/],
    ] as const) {
      const r = run(['recipients', ...args]);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^hint: /m);
    }
    // The module: every refusal before anything is written.
    const ctx = await vaultCtx();
    const other = await identityToRecipient(await generateX25519Identity());
    const cases: [RecipientChange, RegExp][] = [
      [{ remove: [hubRecipient] }, /hub's own recipient .*cannot be removed/],
      [{ add: [hubRecipient] }, /hub's own recipient/],
      [{ add: [owner.recipient] }, /is already a recipient of the vault/],
      [{ remove: [other] }, /is not a recipient of the vault/],
      [{ add: ['age1notarecipient'] }, /is not an age recipient/],
      [{ add: [owner.recipient.toUpperCase()] }, /is not an age recipient/],
      [{ add: [other], remove: [other] }, /is not a recipient of the vault/],
      [{}, /no recipient to add or remove/],
    ];
    for (const [change, message] of cases) {
      await expect(changeRecipients(ctx, change), JSON.stringify(change)).rejects.toMatchObject({ code: 'SIL_VAULT_RECIPIENT', message: expect.stringMatching(message) });
    }
    expect(head()).toBe(tip);
    expect(owners()).toEqual([owner.recipient]);
  });

  it('edits an existing vault block in place and takes several recipients in one commit', async () => {
    const ctx = await vaultCtx();
    const [a, b] = await Promise.all([0, 1].map(async () => identityToRecipient(await generateX25519Identity())));
    const settings = `${SETTINGS}vault:\n  # Offline keys of the owner.\n  recipients:\n    - ${owner.recipient} # laptop\n`;
    await ctx.writer.commit({ base: null, changes: { 'sil.yaml': settings }, message: 'owner key by hand', author });

    const added = await changeRecipients(ctx, { add: [a, b] });
    expect(added.message).toBe(`vault: add recipients ${a.slice(0, 7)}…${a.slice(-3)}, ${b.slice(0, 7)}…${b.slice(-3)} (re-wrapped 1 secrets file)`);
    expect(added.recipients).toEqual([hubRecipient, owner.recipient, a, b]);
    expect(show('sil.yaml')).toBe(`${settings}    - ${a}\n    - ${b}`);
    expect(sopsConfigAge()).toBe([hubRecipient, owner.recipient, a, b].join(','));
    // The file was not encrypted to the hand-added owner yet: all three entries were added.
    expect(sopsAge(show(SECRETS)).map((e) => e.recipient)).toEqual([hubRecipient, owner.recipient, a, b]);
    expect((await referenceDecrypt(show(SECRETS), 'yaml', [owner.identity])).macOk).toBe(true);

    const removed = await changeRecipients(ctx, { remove: [owner.recipient, b] });
    expect(removed).toMatchObject({ commit: head(), removed: [owner.recipient, b], files: [{ path: SECRETS, action: 'rekeyed' }] });
    expect(show('sil.yaml')).toBe(`${SETTINGS}vault:\n  # Offline keys of the owner.\n  recipients:\n    - ${a}`);
    expect(sopsAge(show(SECRETS)).map((e) => e.recipient)).toEqual([hubRecipient, a]);
    await expect(referenceDecrypt(show(SECRETS), 'yaml', [owner.identity])).rejects.toThrow(/no identity unwraps/);
  });

  it('list: the hub and owner recipients, and whether each file is in sync', async () => {
    let r = run(['recipients', 'list']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`hub    ${hubRecipient}`);
    expect(r.stdout).toContain('no owner recipients');
    expect(r.stdout).toMatch(/^\.sops\.yaml\s+in sync$/m);
    expect(r.stdout).toMatch(/^secrets\/openai-main\.yaml\s+in sync$/m);

    expect(run(['recipients', 'add', owner.recipient]).status).toBe(0);
    r = run(['recipients', 'list']);
    expect(r.stdout).toContain(`owner  ${owner.recipient}`);
    expect(r.stdout).toMatch(/^secrets\/openai-main\.yaml\s+in sync$/m);

    // sil.yaml edited by hand: the files now lack the new recipient.
    const other = await identityToRecipient(await generateX25519Identity());
    const writer = new GitWriter({ gitdir: bare, catalog: projectCatalog().catalog });
    await writer.commit({ base: null, changes: { 'sil.yaml': `${show('sil.yaml')}\n    - ${other}\n` }, message: 'by hand', author });
    r = run(['recipients', 'list', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout) as { hub: string; owners: string[]; files: { path: string; inSync: boolean; missing: string[]; extra: string[] }[]; sopsConfig: { inSync: boolean; missing: string[] } };
    expect(status.hub).toBe(hubRecipient);
    expect(status.owners).toEqual([owner.recipient, other]);
    expect(status.files).toEqual([expect.objectContaining({ path: SECRETS, inSync: false, missing: [other], extra: [] })]);
    expect(status.sopsConfig).toMatchObject({ inSync: false, missing: [other] });
    r = run(['recipients', 'list']);
    expect(r.stdout).toMatch(new RegExp(`^secrets/openai-main\\.yaml\\s+missing ${other.slice(0, 7)}…${other.slice(-3)}$`, 'm'));
  });

  it('--help and usage errors', () => {
    const help = sil(['recipients', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('sil recipients add <age1...>');
    for (const args of [['recipients'], ['recipients', 'nope'], ['recipients', 'remove'], ['recipients', 'add', 'a', 'b']]) {
      const r = run(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('[SIL_USAGE]');
    }
  });
});
