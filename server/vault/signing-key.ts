// The hub's Ed25519 SSH key that signs its commits: DATA/keys/signing (mode 0600) in OpenSSH's
// own private key format (openssh-key-v1, unencrypted, so `ssh-keygen -Y sign -f` can use it
// too) and DATA/keys/signing.pub (`ssh-ed25519 AAAA... sil@<host>`). Created on first run.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SilError } from '../errors.ts';
import { ED25519, WireError, WireReader, ed25519Blob, sshString, u32, unarmor, wrapBase64 } from '../config/ssh-wire.ts';
import { parsePublicKey } from '../config/allowed-signers.ts';
import { signPayload, type Ed25519Key } from '../config/ssh-signature.ts';

export interface SigningKey extends Ed25519Key {
  path: string;
  comment: string;
  /** `ssh-ed25519 AAAA... comment`, the content of signing.pub. */
  publicLine: string;
}

/** The GitWriter signer (CommitSigner) for a key: an SSH signature, namespace git, sha512. */
export function commitSigner(key: Ed25519Key): (payload: string) => Promise<string> {
  return async (payload) => signPayload(payload, key);
}

const LABEL = 'OPENSSH PRIVATE KEY';
const MAGIC = Buffer.from('openssh-key-v1\0', 'binary');

export const signingKeyPath = (keysDir: string) => join(keysDir, 'signing');

function keyError(path: string, message: string, hint?: string, cause?: unknown): SilError {
  return new SilError('SIL_SIGNING_KEY', `${path}: ${message}`, { hint, cause });
}

/** openssh-key-v1 text for an Ed25519 key (seed = the 32-byte private scalar seed). */
export function encodeOpenSshKey(seed: Uint8Array, publicKey: Uint8Array, comment: string): string {
  const check = randomBytes(4);
  let secret = Buffer.concat([check, check, sshString(ED25519), sshString(publicKey), sshString(Buffer.concat([seed, publicKey])), sshString(comment)]);
  const pad = (8 - (secret.length % 8)) % 8;
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([MAGIC, sshString('none'), sshString('none'), sshString(''), u32(1), sshString(ed25519Blob(publicKey)), sshString(secret)]);
  return `-----BEGIN ${LABEL}-----\n${wrapBase64(body, 70)}\n-----END ${LABEL}-----\n`;
}

/** Seed, public key and comment of an unencrypted openssh-key-v1 Ed25519 key; throws WireError. */
export function decodeOpenSshKey(text: string): { seed: Buffer; publicKey: Buffer; comment: string } {
  const body = unarmor(text, LABEL);
  if (!body) throw new WireError(`not an OpenSSH private key (no -----BEGIN ${LABEL}----- block)`);
  const r = new WireReader(body);
  if (!r.bytes(MAGIC.length).equals(MAGIC)) throw new WireError('not an openssh-key-v1 key');
  const cipher = r.text();
  r.text(); // kdf name
  r.string(); // kdf options
  if (cipher !== 'none') throw new WireError(`the key is encrypted (${cipher}); the hub needs an unencrypted key`);
  if (r.u32() !== 1) throw new WireError('the file must hold exactly one key');
  const outerPublic = r.string();
  const s = new WireReader(r.string());
  if (s.u32() !== s.u32()) throw new WireError('check numbers differ (corrupt file)');
  const type = s.text();
  if (type !== ED25519) throw new WireError(`key type ${type} is not ${ED25519}`);
  const publicKey = s.string();
  const secret = s.string();
  const comment = s.text();
  if (publicKey.length !== 32 || secret.length !== 64 || !secret.subarray(32).equals(publicKey) || !ed25519Blob(publicKey).equals(outerPublic)) {
    throw new WireError('the public and private halves of the key do not match');
  }
  return { seed: Buffer.from(secret.subarray(0, 32)), publicKey: Buffer.from(publicKey), comment };
}

function keyObject(seed: Uint8Array, publicKey: Uint8Array): KeyObject {
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: Buffer.from(seed).toString('base64url'), x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
  const derived = createPublicKey(privateKey).export({ format: 'jwk' }).x;
  if (derived !== Buffer.from(publicKey).toString('base64url')) throw new WireError('the public key does not belong to the private key');
  return privateKey;
}

const publicLine = (publicKey: Uint8Array, comment: string) => `${ED25519} ${ed25519Blob(publicKey).toString('base64')}${comment ? ` ${comment}` : ''}`;

/** Reads the key file, refusing one that others may read or that is not an unencrypted Ed25519 key. */
export async function loadSigningKey(path: string): Promise<SigningKey> {
  let text: string;
  try {
    const info = await stat(path);
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw keyError(path, `the signing key may be read by other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')})`, `run \`chmod 600 ${path}\`: the key signs the hub's commits and must stay private`);
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof SilError) throw err;
    throw keyError(path, `cannot read the signing key: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, err);
  }
  try {
    const { seed, publicKey, comment } = decodeOpenSshKey(text);
    return { path, privateKey: keyObject(seed, publicKey), publicKey, comment, publicLine: publicLine(publicKey, comment) };
  } catch (err) {
    throw keyError(path, `malformed signing key: ${(err as Error).message}`, undefined, err);
  }
}

/** The hub's signing key, created (with signing.pub) when there is none. */
export async function loadOrCreateSigningKey(keysDir: string, comment = `sil@${hostname() || 'sil'}`): Promise<SigningKey & { created: boolean }> {
  const path = signingKeyPath(keysDir);
  const exists = await stat(path).then(() => true, () => false);
  let created = false;
  if (!exists) {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    const seed = Buffer.from(jwk.d!, 'base64url');
    const publicKey = Buffer.from(jwk.x!, 'base64url');
    try {
      await writeFile(path, encodeOpenSshKey(seed, publicKey, comment), { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (err) {
      // Another process created it first: use that one.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw keyError(path, `cannot create the signing key: ${(err as Error).message}`, undefined, err);
    }
  }
  const key = await loadSigningKey(path);
  const pubPath = `${path}.pub`;
  const pub = await readFile(pubPath, 'utf8').catch(() => null);
  if (pub?.trim() !== key.publicLine) await writeFile(pubPath, `${key.publicLine}\n`, { mode: 0o644 });
  return { ...key, created };
}

/**
 * The hub's public key without touching the private one when signing.pub is there (the push
 * hook runs as whoever pushes); null when this data directory has no signing key.
 */
export async function readHubPublicKey(keysDir: string): Promise<Buffer | null> {
  const path = signingKeyPath(keysDir);
  const pub = await readFile(`${path}.pub`, 'utf8').catch(() => null);
  if (pub !== null) {
    const [type = '', base64 = ''] = pub.trim().split(/\s+/);
    try {
      return parsePublicKey(type, base64);
    } catch (err) {
      throw keyError(`${path}.pub`, `malformed public key: ${(err as Error).message}`, `delete ${path}.pub: sil writes it again from ${path} on start`, err);
    }
  }
  if (!(await stat(path).then(() => true, () => false))) return null;
  return Buffer.from((await loadSigningKey(path)).publicKey);
}
