import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signPayload, verifyPayload, keyFingerprint } from '../../../server/config/ssh-signature.ts';
import { parseAllowedSigners } from '../../../server/config/allowed-signers.ts';
import { sshString, u32, wrapBase64, unarmor } from '../../../server/config/ssh-wire.ts';
import { userKey, HAS_SSH_KEYGEN } from '../../helpers/signed-git.ts';
import { tempDir } from '../../helpers/tmp.ts';

const alice = userKey();
const mallory = userKey();
const signers = parseAllowedSigners([alice.line('alice@example.test')]).signers;
const PAYLOAD = 'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nmessage\n';

describe('SSH signatures (PROTOCOL.sshsig)', () => {
  const tmp = tempDir('sil-sshsig-');
  afterAll(() => tmp.cleanup());

  it('signs in the armored format, 70 columns, and verifies against an allowed signer', () => {
    const armored = signPayload(PAYLOAD, alice);
    const lines = armored.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN SSH SIGNATURE-----');
    expect(lines.at(-1)).toBe('-----END SSH SIGNATURE-----');
    expect(Math.max(...lines.slice(1, -1).map((l) => l.length))).toBe(70);
    expect(unarmor(armored, 'SSH SIGNATURE')!.subarray(0, 6).toString()).toBe('SSHSIG');
    expect(verifyPayload(PAYLOAD, armored, signers)).toEqual({ ok: true, signer: 'alice@example.test', fingerprint: keyFingerprint(alice.publicKey) });
    expect(verifyPayload(Buffer.from(PAYLOAD), armored, signers).ok).toBe(true);
  });

  it('calls a changed payload bad, and a key nobody allowed an unknown signer', () => {
    const armored = signPayload(PAYLOAD, alice);
    expect(verifyPayload(`${PAYLOAD}x`, armored, signers)).toMatchObject({ ok: false, status: 'bad', reason: expect.stringMatching(/does not match the commit/) });
    const forged = signPayload(PAYLOAD, mallory);
    expect(verifyPayload(PAYLOAD, forged, signers)).toMatchObject({ ok: false, status: 'unknown-signer', fingerprint: keyFingerprint(mallory.publicKey) });
    expect(verifyPayload(PAYLOAD, armored, [])).toMatchObject({ ok: false, status: 'unknown-signer' });
  });

  it('refuses other namespaces, garbage and truncated signatures without throwing', () => {
    expect(verifyPayload(PAYLOAD, signPayload(PAYLOAD, alice, 'file'), signers)).toMatchObject({ status: 'bad', reason: expect.stringMatching(/namespace "file"/) });
    expect(verifyPayload(PAYLOAD, 'not a signature', signers)).toMatchObject({ status: 'bad', reason: expect.stringMatching(/malformed/) });
    const armored = signPayload(PAYLOAD, alice);
    const blob = unarmor(armored, 'SSH SIGNATURE')!;
    const cut = `-----BEGIN SSH SIGNATURE-----\n${wrapBase64(blob.subarray(0, 60), 70)}\n-----END SSH SIGNATURE-----\n`;
    expect(verifyPayload(PAYLOAD, cut, signers)).toMatchObject({ status: 'bad', reason: expect.stringMatching(/malformed SSH signature/) });
  });

  it('reports a signature by another key type as an unknown signer (not verifiable), not a crash', () => {
    const rsaKey = Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([1, 0, 1])), sshString(Buffer.alloc(256, 7))]);
    const blob = Buffer.concat([Buffer.from('SSHSIG'), u32(1), sshString(rsaKey), sshString('git'), sshString(''), sshString('sha512'), sshString(Buffer.concat([sshString('rsa-sha2-512'), sshString(Buffer.alloc(256))]))]);
    const armored = `-----BEGIN SSH SIGNATURE-----\n${wrapBase64(blob, 70)}\n-----END SSH SIGNATURE-----\n`;
    expect(verifyPayload(PAYLOAD, armored, signers)).toMatchObject({ ok: false, status: 'unknown-signer', reason: expect.stringMatching(/ssh-rsa key; sil verifies ssh-ed25519/) });
  });

  it.skipIf(!HAS_SSH_KEYGEN)('interoperates with ssh-keygen -Y sign / verify both ways', () => {
    const keyFile = alice.writeTo(tmp.path);
    const msg = join(tmp.path, 'msg');
    writeFileSync(msg, PAYLOAD);
    execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-f', keyFile, '-n', 'git', msg], { stdio: 'pipe' });
    expect(verifyPayload(PAYLOAD, readFileSync(`${msg}.sig`, 'utf8'), signers)).toMatchObject({ ok: true, signer: 'alice@example.test' });

    const allowed = join(tmp.path, 'allowed');
    writeFileSync(allowed, `${alice.line('alice@example.test')}\n`);
    writeFileSync(`${msg}.ours`, signPayload(PAYLOAD, alice));
    const out = execFileSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', 'alice@example.test', '-n', 'git', '-s', `${msg}.ours`], { input: PAYLOAD, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    expect(out).toMatch(/Good "git" signature for alice@example.test/);
  });
});
