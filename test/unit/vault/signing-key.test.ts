import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeOpenSshKey, encodeOpenSshKey, loadOrCreateSigningKey, loadSigningKey, readHubPublicKey, signingKeyPath,
} from '../../../server/vault/signing-key.ts';
import { parseAllowedSigners } from '../../../server/config/allowed-signers.ts';
import { signPayload, verifyPayload } from '../../../server/config/ssh-signature.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { HAS_SSH_KEYGEN, userKey } from '../../helpers/signed-git.ts';
import { caught } from '../../helpers/caught.ts';

describe('the hub signing key (DATA/keys/signing)', () => {
  const tmp = tempDir('sil-signkey-');
  afterAll(() => tmp.cleanup());
  let n = 0;
  const keysDir = () => {
    const dir = join(tmp.path, `keys${n++}`);
    mkdirSync(dir, { mode: 0o700 });
    return dir;
  };

  it('is created once, mode 0600, with signing.pub, and loads back as the same key', async () => {
    const dir = keysDir();
    const first = await loadOrCreateSigningKey(dir, 'sil@test-host');
    expect(first.created).toBe(true);
    expect(statSync(signingKeyPath(dir)).mode & 0o777).toBe(0o600);
    const text = readFileSync(signingKeyPath(dir), 'utf8');
    expect(text).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
    expect(readFileSync(`${signingKeyPath(dir)}.pub`, 'utf8')).toBe(`${first.publicLine}\n`);
    expect(first.publicLine).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=* sil@test-host$/);

    const again = await loadOrCreateSigningKey(dir);
    expect(again.created).toBe(false);
    expect(Buffer.from(again.publicKey).equals(Buffer.from(first.publicKey))).toBe(true);
    expect(again.comment).toBe('sil@test-host');
    const signers = parseAllowedSigners([`sil@localhost ${first.publicLine}`]).signers;
    expect(verifyPayload('payload', signPayload('payload', again), signers)).toMatchObject({ ok: true });
    expect(Buffer.from((await readHubPublicKey(dir))!).equals(Buffer.from(first.publicKey))).toBe(true);
  });

  it('round-trips the openssh-key-v1 encoding', () => {
    const k = userKey();
    const decoded = decodeOpenSshKey(encodeOpenSshKey(k.seed, k.publicKey, 'me@host'));
    expect(decoded.seed.equals(k.seed)).toBe(true);
    expect(decoded.publicKey.equals(Buffer.from(k.publicKey))).toBe(true);
    expect(decoded.comment).toBe('me@host');
  });

  it('refuses a key file other users may read', async () => {
    const dir = keysDir();
    await loadOrCreateSigningKey(dir);
    chmodSync(signingKeyPath(dir), 0o644);
    const err = await caught(loadOrCreateSigningKey(dir));
    expect(err).toMatchObject({ code: 'SIL_SIGNING_KEY', message: expect.stringMatching(/may be read by other users \(mode 0644\)/), hint: expect.stringMatching(/chmod 600/) });
  });

  it('refuses malformed, encrypted and mismatched key files with a clear message', async () => {
    const cases: [string, string, RegExp][] = [
      ['garbage', 'hello\n', /no -----BEGIN OPENSSH PRIVATE KEY----- block/],
      ['truncated', encodeOpenSshKey(userKey().seed, userKey().publicKey, 'x').replace(/\n[^\n]+\n-----END/, '\n-----END'), /malformed signing key/],
      ['mismatched', encodeOpenSshKey(userKey().seed, userKey().publicKey, 'x'), /public key does not belong to the private key/],
    ];
    const encrypted = encodeOpenSshKey(userKey().seed, userKey().publicKey, 'x');
    const body = Buffer.from(encrypted.split('\n').slice(1, -2).join(''), 'base64');
    const patched = Buffer.concat([body.subarray(0, 15), Buffer.from([0, 0, 0, 4]), Buffer.from('none').fill('a'), body.subarray(23)]);
    cases.push(['encrypted', `-----BEGIN OPENSSH PRIVATE KEY-----\n${patched.toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`, /the key is encrypted \(aaaa\)/]);
    for (const [what, text, message] of cases) {
      const dir = keysDir();
      writeFileSync(signingKeyPath(dir), text, { mode: 0o600 });
      const err = await caught(loadSigningKey(signingKeyPath(dir)));
      expect(err, what).toMatchObject({ code: 'SIL_SIGNING_KEY', message: expect.stringMatching(message) });
    }
  });

  it('has no hub key to read where none was created', async () => {
    expect(await readHubPublicKey(keysDir())).toBeNull();
  });

  it.skipIf(!HAS_SSH_KEYGEN)('is a key file ssh-keygen reads (ssh-keygen -y prints the same public key)', async () => {
    const dir = keysDir();
    const key = await loadOrCreateSigningKey(dir, 'sil@kg');
    const out = execFileSync('ssh-keygen', ['-y', '-f', signingKeyPath(dir)], { encoding: 'utf8' }).trim();
    expect(out.split(' ').slice(0, 2).join(' ')).toBe(key.publicLine.split(' ').slice(0, 2).join(' '));
  });
});
