// `sil backup` on a real data directory, opened with the real age and tar tools: what the
// archive holds (every ref, the keys, the owner, a manifest whose SHA-256s match), its mode, and
// the command's refusals.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sil } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { ageKeygen, gitRun, makeHubData, silOk } from './hub-data-fixture.ts';
import type { BackupManifest } from '../../../server/backup/manifest.ts';

const tmp = tempDir('sil-backup-');
const DATA = join(tmp.path, 'data');
const KEY_A = join(tmp.path, 'a.key');
const KEY_B = join(tmp.path, 'b.key');
let recipients: string[];

beforeAll(async () => {
  await makeHubData(DATA, join(tmp.path, 'work'), 'http://127.0.0.1:9');
  // A second branch: the bundle holds every ref, not only main.
  gitRun(['push', '--quiet', 'origin', 'main:refs/heads/staging'], join(tmp.path, 'work'));
  recipients = [ageKeygen(KEY_A), ageKeygen(KEY_B)];
}, 120_000);
afterAll(() => tmp.cleanup());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('sil backup', () => {
  it('writes a 0600 age file any owner key opens; tar lists the manifest, bundle, keys and owner', () => {
    const file = join(tmp.path, 'one.age');
    const out = silOk(['backup', '--data', DATA, '--out', file, '--recipient', recipients[0], '-r', recipients[1]]);
    expect(out.split('\n')[0]).toMatch(new RegExp(`^wrote ${file} \\(\\d+ bytes, mode 0600\\)$`));
    expect(out).toContain('2 ref(s)');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(tmp.path).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    for (const key of [KEY_A, KEY_B]) {
      const tar = execFileSync('age', ['-d', '-i', key, file]);
      const dir = join(tmp.path, `x-${key.endsWith('a.key') ? 'a' : 'b'}`);
      mkdirSync(dir);
      execFileSync('tar', ['-x', '-C', dir], { input: tar });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
      expect(manifest.files.map((f) => f.path)).toEqual(['config.bundle', 'keys/age.key', 'keys/signing', 'keys/signing.pub', 'state/owner.json']);
      for (const f of manifest.files) expect(sha(readFileSync(join(dir, f.path))), f.path).toBe(f.sha256);
      for (const f of ['keys/age.key', 'keys/signing', 'state/owner.json']) expect(readFileSync(join(dir, f))).toEqual(readFileSync(join(DATA, f)));
      const main = gitRun(['--git-dir', join(DATA, 'config.git'), 'rev-parse', 'main']).trim();
      expect(manifest).toMatchObject({ format: 'sil-backup', version: 1, commit: main, recipients });
      expect(manifest.refs).toMatchObject({ 'refs/heads/main': main, 'refs/heads/staging': expect.stringMatching(/^[0-9a-f]{40}$/) });
      const heads = gitRun(['bundle', 'list-heads', join(dir, 'config.bundle')]);
      expect(heads).toContain('refs/heads/staging');
    }
  });

  it('--out DIR/ names the file by its UTC time; output names no secret', () => {
    const dir = join(tmp.path, 'dir');
    mkdirSync(dir, { mode: 0o700 });
    const out = silOk(['backup', '--data', DATA, '--out', dir, '--recipient', recipients[0]]);
    const [name] = readdirSync(dir);
    expect(name).toMatch(/^sil-backup-\d{8}T\d{6}Z\.age$/);
    expect(out).toContain(join(dir, name));
    const secrets = [readFileSync(join(DATA, 'keys/age.key'), 'utf8').match(/AGE-SECRET-KEY-\S+/)![0], 'OPENSSH PRIVATE KEY', 'sk-proj-'];
    for (const s of secrets) expect(out).not.toContain(s);
  });

  it('refuses without a recipient, with a non-age recipient, or without a config repository', () => {
    const none = sil(['backup', '--data', DATA, '--out', join(tmp.path, 'n.age')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no recipient: the archive must be encrypted to at least one offline key of the owner [SIL_USAGE]');
    const bad = sil(['backup', '--data', DATA, '--out', join(tmp.path, 'n.age'), '--recipient', 'ssh-ed25519 AAAAC3']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not an age recipient');
    const empty = sil(['backup', '--data', join(tmp.path, 'nothing'), '--out', join(tmp.path, 'n.age'), '--recipient', recipients[0]]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('no config repository at');
    expect(readdirSync(tmp.path).filter((f) => f.startsWith('n.age') || f.endsWith('.tmp'))).toEqual([]);
  });
});
