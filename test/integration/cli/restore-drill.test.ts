// The restore drill of docs/deploy/hetzner.md, command for command: a real hub data directory
// (provider, key, client, owner) backed up with `sil backup` while its hub runs, restored with
// `sil restore` into a new directory, a hub started on it serves a proxied request with the
// restored key, the history is the same and verifies with the restored signing key; a tampered
// archive and the wrong identity fail clearly and write nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sil } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { ageKeygen, chat, chatReply, gitRun, makeHubData, silOk, startSil, type StartedSil } from './hub-data-fixture.ts';

const tmp = tempDir('sil-drill-');
const SRC = join(tmp.path, 'var-lib-sil');
const BACKUPS = join(tmp.path, 'backups');
const NEW = join(tmp.path, 'drill', 'sil-drill');
const OWNER_KEY = join(tmp.path, 'owner.key');
let mock: MockUpstream;
let token: string;
let archive: string;
const hubs: StartedSil[] = [];

beforeAll(async () => {
  mock = await startMockUpstream(chatReply);
  token = await makeHubData(SRC, join(tmp.path, 'work'), mock.url);
}, 120_000);

afterAll(async () => {
  for (const h of hubs) await h.stop();
  await mock?.close();
  tmp.cleanup();
});

const mode = (p: string) => statSync(p).mode & 0o777;
const head = (data: string) => gitRun(['--git-dir', join(data, 'config.git'), 'rev-parse', 'refs/heads/main']).trim();

describe('restore drill', () => {
  it('sil backup while the hub runs: one 0600 archive, encrypted to the owner\'s key, no secret printed', async () => {
    const source = await startSil(SRC);
    hubs.push(source);
    expect((await chat(source.url, token)).status).toBe(200);
    const recipient = ageKeygen(OWNER_KEY);
    mkdirSync(BACKUPS, { mode: 0o700 }); // install -d -m 0700 /var/backups/sil
    writeFileSync(join(tmp.path, 'backup-recipients.txt'), `# the owner's offline key\n${recipient}\n`);
    const out = silOk(['backup', '--data', SRC, '--out', `${BACKUPS}/`, '--recipients-file', join(tmp.path, 'backup-recipients.txt')]);
    archive = join(BACKUPS, readdirSync(BACKUPS).find((f) => /^sil-backup-\d{8}T\d{6}Z\.age$/.test(f))!);
    expect(out).toContain(`wrote ${archive}`);
    expect(out).toContain(`main at ${head(SRC)}`);
    expect(out).not.toMatch(/AGE-SECRET-KEY|OPENSSH PRIVATE KEY|sk-proj-|argon2/);
    expect(mode(archive)).toBe(0o600);
    expect(readFileSync(archive).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    await source.stop();
  }, 120_000);

  it('a tampered archive fails with SIL_BACKUP_ARCHIVE and writes nothing', () => {
    const tampered = join(tmp.path, 'tampered.age');
    const bytes = readFileSync(archive);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(tampered, bytes);
    const r = sil(['restore', '--from', tampered, '--identity', OWNER_KEY, '--data', NEW]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^sil: ${tampered} is damaged or was changed after it was written \\(age: .*\\) \\[SIL_BACKUP_ARCHIVE\\]$`, 'm'));
    expect(existsSync(join(tmp.path, 'drill'))).toBe(false);
  });

  it('the wrong identity fails with SIL_VAULT_IDENTITY and writes nothing', () => {
    const other = join(tmp.path, 'other.key');
    ageKeygen(other);
    const r = sil(['restore', '--from', archive, '--identity', other, '--data', NEW]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/other\.key \(age1.*\) cannot open .*: the archive was encrypted to other recipients \[SIL_VAULT_IDENTITY\]/);
    expect(existsSync(join(tmp.path, 'drill'))).toBe(false);
  });

  it('sil restore into a new directory: history, keys with their modes, hook and owner', () => {
    const out = silOk(['restore', '--from', archive, '--identity', OWNER_KEY, '--data', NEW]);
    expect(out).toContain(`restored ${NEW} from a backup of`);
    expect(out).toContain(`config.git: main at ${head(SRC)}`);
    expect(out).toContain('keys/age.key, keys/signing, keys/signing.pub, state/owner.json');
    expect(out).toMatch(/config loads: 1 providers, 1 bindings, 1 clients; 1 secrets files, 1 keys decrypted with the restored identity/);
    expect(readdirSync(join(tmp.path, 'drill'))).toEqual(['sil-drill']); // no temporary folder left
    expect(head(NEW)).toBe(head(SRC));
    const count = (d: string) => gitRun(['--git-dir', join(d, 'config.git'), 'rev-list', '--count', 'main']).trim();
    expect(count(NEW)).toBe(count(SRC));
    expect([mode(NEW), mode(join(NEW, 'keys')), mode(join(NEW, 'keys/age.key')), mode(join(NEW, 'keys/signing')), mode(join(NEW, 'state/owner.json'))]).toEqual([0o700, 0o700, 0o600, 0o600, 0o600]);
    for (const f of ['keys/age.key', 'keys/signing', 'state/owner.json']) expect(readFileSync(join(NEW, f))).toEqual(readFileSync(join(SRC, f)));
    expect(mode(join(NEW, 'config.git/hooks/pre-receive')) & 0o111).not.toBe(0);
    // Refuses a directory that is not empty.
    const again = sil(['restore', '--from', archive, '--identity', OWNER_KEY, '--data', NEW]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`${NEW} is not empty`);
  });

  it('git verify-commit: main verifies with the restored signing key (sil signing allowed-signers)', () => {
    const allowed = join(tmp.path, 'allowed_signers');
    writeFileSync(allowed, silOk(['signing', 'allowed-signers', '--data', NEW]));
    expect(readFileSync(allowed, 'utf8')).toBe(silOk(['signing', 'allowed-signers', '--data', SRC]));
    const verify = gitRun(['--git-dir', join(NEW, 'config.git'), '-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${allowed}`, 'verify-commit', '--raw', 'main']);
    expect(verify).toBe(''); // exit 0; the report goes to stderr
  });

  it('a hub on the restored directory serves a proxied request with the restored key; sil doctor finds no FAIL', async () => {
    // As the drill is documented: isolated, so that it joins no Redis and pushes to no remote.
    const restored = await startSil(NEW, { SIL_ISOLATED: '1' });
    hubs.push(restored);
    const before = mock.received.length;
    const res = await chat(restored.url, token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0].message.content).toBe('auth ok');
    expect(mock.received.length).toBe(before + 1);
    const health = (await (await fetch(`${restored.url}/healthz`)).json()) as { config: { commit: string }; cluster?: { isolated?: boolean } };
    expect(health.cluster?.isolated).toBe(true);
    expect(health.config.commit).toBe(head(SRC));
    const doctor = sil(['doctor', '--data', NEW]);
    expect(doctor.stdout).toMatch(/^ok {3}hub {10}PID \d+, http:\/\/127\.0\.0\.1:\d+: ok, live at main/m);
    expect(doctor.stdout).toMatch(/^ok {3}config {7}main \(\w{7}\) is valid: 1 providers, 1 bindings, 1 secrets files \(1 keys\) decrypt/m);
    expect(doctor.stdout).not.toMatch(/^FAIL/m);
    expect(doctor.status).toBe(0);
  }, 120_000);
});
