// SSH-signed commits for tests, made the way a power user's git would make them, without
// depending on ssh-keygen (which may not be installed): the signature is computed in process
// and put into the commit's gpgsig header; real `git verify-commit` checks the result.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signPayload, type Ed25519Key } from '../../server/config/ssh-signature.ts';
import { allowedSignerLine } from '../../server/config/allowed-signers.ts';
import { encodeOpenSshKey } from '../../server/vault/signing-key.ts';
import { ed25519Blob } from '../../server/config/ssh-wire.ts';
import { gitRun, gitTry } from './git.ts';

export const HAS_SSH_KEYGEN = spawnSync('ssh-keygen', ['-?'], { encoding: 'utf8' }).error === undefined;

export interface UserKey extends Ed25519Key {
  seed: Buffer;
  /** The allowed-signers line of this key. */
  line(email: string): string;
  /** Writes the key as an OpenSSH private key file (0600) plus .pub; returns the private key's path. */
  writeTo(dir: string): string;
}

export function userKey(): UserKey {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d!, 'base64url');
  const publicKey = Buffer.from(jwk.x!, 'base64url');
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: jwk.d!, x: jwk.x! }, format: 'jwk' });
  return {
    privateKey,
    publicKey,
    seed,
    line: (email) => allowedSignerLine(email, publicKey),
    writeTo(dir) {
      const path = join(dir, `id_ed25519_${publicKey.toString('hex').slice(0, 8)}`);
      writeFileSync(path, encodeOpenSshKey(seed, publicKey, 'user@test'), { mode: 0o600 });
      writeFileSync(`${path}.pub`, `ssh-ed25519 ${ed25519Blob(publicKey).toString('base64')} user@test\n`);
      return path;
    },
  };
}

/** Indents a signature as a `gpgsig` header value (continuation lines start with a space). */
function gpgsigHeader(signature: string): string {
  return `gpgsig ${signature.trim().split('\n').join('\n ')}\n`;
}

/**
 * Re-writes commit `rev` of the repository at `cwd` with an SSH signature by `key` (what
 * `git commit -S` with gpg.format=ssh produces) and returns the signed commit's id.
 */
export function signCommit(cwd: string, rev: string, key: Ed25519Key): string {
  const raw = execFileSync('git', ['cat-file', 'commit', rev], { cwd });
  const end = raw.indexOf('\n\n') + 1;
  const signature = signPayload(raw, key);
  const signed = Buffer.concat([raw.subarray(0, end), Buffer.from(gpgsigHeader(signature)), raw.subarray(end)]);
  return execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd, input: signed, encoding: 'utf8' }).trim();
}

/** Signs the work tree's HEAD commit in place (HEAD moves to the signed copy). */
export function signHead(work: string, key: Ed25519Key): string {
  const signed = signCommit(work, 'HEAD', key);
  gitRun(work, ['update-ref', 'HEAD', signed]);
  return signed;
}

/** The commit with its message changed and its signature kept (a tampered commit). */
export function tamperCommit(cwd: string, rev: string): string {
  const raw = execFileSync('git', ['cat-file', 'commit', rev], { cwd, encoding: 'utf8' });
  const changed = `${raw.trimEnd()} (tampered)\n`;
  return execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd, input: changed, encoding: 'utf8' }).trim();
}

/** Runs stock `git verify-commit` with an allowed-signers file holding `lines`. */
export function verifyCommit(gitdir: string, rev: string, lines: string[], dir: string): { status: number; output: string } {
  const file = join(dir, `allowed-signers-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return gitTry(gitdir, ['-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${file}`, 'verify-commit', '-v', rev]);
}
