// The whole key lifecycle on a real config repository through `sil keys`, each step a commit
// whose diff shows the metadata in clear and never the secret; then the hub and the push hook
// reading what was written.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { readFileSync } from 'node:fs';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { sil } from '../../helpers/cli.ts';
import { tempDir, writeFiles } from '../../helpers/tmp.ts';
import { clone, commitFiles, commitPastHook, gitRun, gitTry } from '../../helpers/git.ts';
import { MINIMAL, OPENAI_MAIN } from '../../helpers/config-files.ts';
import { referenceDecrypt } from '../../helpers/sops-reference.ts';
import { startHub } from '../../../server/main.ts';

const KEY1 = `sk-proj-${'A'.repeat(36)}k1k1`;
const KEY2 = `sk-proj-${'B'.repeat(36)}k2k2`;
const KEY3 = `sk-proj-${'C'.repeat(36)}k3k3`;

describe('key lifecycle on a real config repository', () => {
  const tmp = tempDir('sil-keys-');
  const data = join(tmp.path, 'data');
  const bare = join(data, 'config.git');
  let work: string;
  const keys = (args: string[], input = '') => sil(['keys', ...args, '--data', data], { input, env: { SIL_AUTHOR_NAME: 'Owner', SIL_AUTHOR_EMAIL: 'owner@example.test' } });
  const file = () => gitRun(bare, ['show', 'main:secrets/openai-main.yaml']);
  const lastDiff = () => gitRun(bare, ['show', '--format=%s', 'main', '--', 'secrets/openai-main.yaml']);
  const status = (id: string) => new RegExp(`- id: "${id}"\\n(?:\\s+[a-zA-Z]+: .*\\n)*?\\s+status: "([a-z]+)"`).exec(file())?.[1];

  beforeAll(() => {
    expect(sil(['init', '--data', data]).status).toBe(0);
    work = clone(bare, join(tmp.path, 'work'));
    commitFiles(work, { 'providers/openai-main.yaml': MINIMAL['providers/openai-main.yaml'], 'bindings/chat.yaml': MINIMAL['bindings/chat.yaml'] });
    expect(gitTry(work, ['push', 'origin', 'main']).status).toBe(0);
  });
  afterAll(() => tmp.cleanup());

  it('add: the first key is active and the default; the diff shows metadata, not the secret', () => {
    const r = keys(['add', 'openai-main', '--label', 'prod key'], KEY1);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{7} keys: add openai-main\/primary$/m);
    const diff = lastDiff();
    expect(diff).toMatch(/^keys: add openai-main\/primary/);
    expect(diff).toMatch(/\+ +status: "active"/);
    expect(diff).toMatch(/\+ +default: true/);
    expect(diff).toMatch(/\+ +fingerprint: "sha256:[0-9a-f]{12}\.\.\.k1k1"/);
    expect(diff).toMatch(/\+ +apiKey: ENC\[AES256_GCM,/);
    expect(diff).not.toContain(KEY1);
    expect(gitRun(bare, ['log', '-1', '--format=%an <%ae>'])).toBe('Owner <owner@example.test>');
  });

  it('add --staged, default refused while staged, activate, default', () => {
    expect(keys(['add', 'openai-main', '--id', 'backup', '--staged'], KEY2).status).toBe(0);
    expect(status('backup')).toBe('staged');
    const refused = keys(['default', 'openai-main', 'backup']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/key "backup" is staged; only an active key can be the default \[SIL_KEY_STATE\]/);
    expect(keys(['activate', 'openai-main', 'backup']).status).toBe(0);
    expect(keys(['default', 'openai-main', 'backup']).status).toBe(0);
    expect(file()).toMatch(/- id: "backup"\n(?:.*\n)*? +default: true/);
    expect(lastDiff()).toMatch(/^keys: default openai-main\/backup/);
  });

  it('rotate: the new key is live and the default, the old one retires after the grace period', () => {
    const r = keys(['rotate', 'openai-main', 'backup', '--grace-days', '7'], KEY3);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/keys: rotate openai-main\/backup -> backup-2 \(backup retires \d{4}-\d\d-\d\dT/);
    expect(status('backup')).toBe('retiring');
    expect(status('backup-2')).toBe('active');
    expect(file()).toMatch(/- id: "backup-2"\n(?:.*\n)*? +default: true/);
    expect(file()).toMatch(/retireAt: "/);
    const list = JSON.parse(keys(['list', 'openai-main', '--json']).stdout) as { id: string; status: string; default: boolean }[];
    expect(list.map((k) => [k.id, k.status, k.default])).toEqual([['primary', 'active', false], ['backup', 'retiring', false], ['backup-2', 'active', true]]);
  });

  it('suspend, activate, revoke (the secret leaves the file), delete', () => {
    expect(keys(['suspend', 'openai-main', 'primary']).status).toBe(0);
    expect(status('primary')).toBe('suspended');
    expect(keys(['activate', 'openai-main', 'primary']).status).toBe(0);
    expect(status('primary')).toBe('active');
    expect(keys(['revoke', 'openai-main', 'backup']).status).toBe(0);
    expect(status('backup')).toBe('revoked');
    expect(lastDiff()).toMatch(/^- +apiKey: ENC\[/m);
    const undeletable = keys(['delete', 'openai-main', 'primary']);
    expect(undeletable.status).toBe(1);
    expect(keys(['delete', 'openai-main', 'backup']).status).toBe(0);
    expect(file()).not.toContain('id: "backup"\n');
  });

  it('made one commit per step, with clear messages, and no plaintext anywhere in history', () => {
    const log = gitRun(bare, ['log', '--format=%s', '--', 'secrets/']).split('\n');
    expect(log).toEqual([
      'keys: delete openai-main/backup',
      'keys: revoke openai-main/backup',
      'keys: activate openai-main/primary',
      'keys: suspend openai-main/primary',
      expect.stringMatching(/^keys: rotate openai-main\/backup -> backup-2/),
      'keys: default openai-main/backup',
      'keys: activate openai-main/backup',
      'keys: add openai-main/backup (staged)',
      'keys: add openai-main/primary',
    ]);
    const history = gitRun(bare, ['log', '-p', '--all']);
    for (const k of [KEY1, KEY2, KEY3]) expect(history).not.toContain(k);
    expect(gitRun(bare, ['log', '--all', '-S', KEY1.slice(8, 30), '--format=%h'])).toBe('');
  });

  it('writes files the independent SOPS reader opens with a valid MAC', async () => {
    const identity = readFileSync(join(data, 'keys', 'age.key'), 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
    const ref = await referenceDecrypt(file(), 'yaml', [identity]);
    expect(ref.macOk).toBe(true);
    const ring = (ref.data as { keys: { id: string; secret?: { apiKey: string } }[] }).keys;
    expect(ring.find((k) => k.id === 'primary')?.secret?.apiKey).toBe(KEY1);
    expect(ring.find((k) => k.id === 'backup-2')?.secret?.apiKey).toBe(KEY3);
  });

  it('the hub decrypts the keys into memory, and never shows them', async () => {
    const hub = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: () => undefined });
    try {
      const ring = hub.live.snapshot!.keyrings.get('openai-main')!;
      expect(ring.defaultKey?.id).toBe('backup-2');
      expect(ring.secretOf('backup-2')).toEqual({ apiKey: KEY3 });
      expect(ring.usable().map((k) => k.id)).toEqual(['backup-2', 'primary']);
      const shown = [JSON.stringify(hub.live.snapshot), inspect(hub.live.snapshot, { depth: 20 }), await (await fetch(`${hub.url}/healthz`)).text()];
      for (const text of shown) for (const k of [KEY1, KEY3]) expect(text).not.toContain(k);

      // A secrets file changed without sops or sil never goes live.
      const good = hub.live.snapshot!.commit;
      const tampered = file().replace('label: "prod key"', 'label: "changed by hand"');
      const bad = commitPastHook(bare, { 'secrets/openai-main.yaml': tampered });
      const started = Date.now();
      while (hub.live.error?.commit !== bad && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
      expect(hub.live.error?.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message} [${e.code}]`)).toEqual([
        expect.stringMatching(/^secrets\/openai-main\.yaml:1:1: cannot decrypt: MAC mismatch.*\[SIL_VAULT_MAC\]$/),
      ]);
      expect(hub.live.snapshot!.commit).toBe(good);
      gitRun(bare, ['update-ref', 'refs/heads/main', good, bad]);
    } finally {
      await hub.close();
    }
  });

  it('the push hook refuses a tampered file, a file the hub cannot open, and a key in plain text', async () => {
    gitRun(work, ['pull', '-q', '--ff-only']);
    const head = gitRun(bare, ['rev-parse', 'main']);
    commitFiles(work, { 'secrets/openai-main.yaml': file().replace('status: "suspended"', 'status: "active"').replace('label: "prod key"', 'label: "x"') }, 'tamper');
    const tamper = gitTry(work, ['push', 'origin', 'main']);
    expect(tamper.output).toMatch(/remote: sil: secrets\/openai-main\.yaml:1:1: cannot decrypt: MAC mismatch/);
    gitRun(work, ['reset', '-q', '--hard', 'origin/main']);

    const stranger = await identityToRecipient(await generateX25519Identity());
    writeFiles(tmp.path, { 'plain.yaml': `keys:\n  - id: primary\n    status: active\n    default: true\n    created: "2026-01-01T00:00:00Z"\n    fingerprint: "sha256:000000000000"\n    secret:\n      apiKey: ${KEY2}\n` });
    const enc = sil(['secrets', 'encrypt', join(tmp.path, 'plain.yaml'), '--recipient', stranger, '--encrypted-regex', '^secret$']);
    expect(enc.status, enc.stderr).toBe(0);
    commitFiles(work, { 'secrets/openai-main.yaml': `${enc.stdout}\n` }, 'someone else\'s key');
    const foreign = gitTry(work, ['push', 'origin', 'main']);
    expect(foreign.output).toMatch(/remote: sil: secrets\/openai-main\.yaml:1:1: cannot decrypt: no identity opens the file \(recipients: age1[a-z0-9]+\) \[SIL_VAULT_IDENTITY\]/);
    gitRun(work, ['reset', '-q', '--hard', 'origin/main']);

    commitFiles(work, { 'providers/openai-main.yaml': `${OPENAI_MAIN}description: "${KEY2}"\n` }, 'oops');
    const plain = gitTry(work, ['push', 'origin', 'main']);
    expect(plain.output).toMatch(/remote: sil: providers\/openai-main\.yaml:9:14: this looks like an OpenAI key in plain text \[SIL_CONFIG_PLAINTEXT_SECRET\]/);
    expect(gitRun(bare, ['rev-parse', 'main'])).toBe(head);
  });
});
