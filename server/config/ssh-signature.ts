// SSH signatures (OpenSSH PROTOCOL.sshsig) of commit payloads: what `git commit -S` writes with
// gpg.format=ssh and what `git verify-commit` checks. Pure: keys and payloads in, text out.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ED25519, WireError, WireReader, ed25519Blob, parseEd25519Blob, sshString, u32, unarmor, wrapBase64 } from './ssh-wire.ts';
import { findSigner, type ParsedSigner } from './allowed-signers.ts';

export const SIGNATURE_LABEL = 'SSH SIGNATURE';
const MAGIC = Buffer.from('SSHSIG');
const HASHES = new Set(['sha512', 'sha256']);

export interface Ed25519Key {
  privateKey: KeyObject;
  /** The raw 32-byte public key. */
  publicKey: Uint8Array;
}

export type VerifyResult =
  | { ok: true; signer: string; fingerprint: string }
  | { ok: false; status: 'bad' | 'unknown-signer'; reason: string; fingerprint?: string };

const bytesOf = (payload: string | Uint8Array) => (typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload));

/** `SHA256:<base64>` of the key blob, as `ssh-keygen -l` prints it. */
export function keyFingerprint(publicKey: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(ed25519Blob(publicKey)).digest('base64').replace(/=+$/, '')}`;
}

/** The bytes a signature is made over: magic, namespace, reserved, hash algorithm, H(message). */
function signedData(namespace: string, hash: string, digest: Uint8Array): Buffer {
  return Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(hash), sshString(digest)]);
}

/** The armored `-----BEGIN SSH SIGNATURE-----` block for a payload (namespace git, sha512). */
export function signPayload(payload: string | Uint8Array, key: Ed25519Key, namespace = 'git'): string {
  const digest = createHash('sha512').update(bytesOf(payload)).digest();
  const signature = sign(null, signedData(namespace, 'sha512', digest), key.privateKey);
  const blob = Buffer.concat([
    MAGIC, u32(1), sshString(ed25519Blob(key.publicKey)), sshString(namespace), sshString(''), sshString('sha512'),
    sshString(Buffer.concat([sshString(ED25519), sshString(signature)])),
  ]);
  return `-----BEGIN ${SIGNATURE_LABEL}-----\n${wrapBase64(blob, 70)}\n-----END ${SIGNATURE_LABEL}-----\n`;
}

interface SigBlob { publicKey: Buffer; namespace: string; hash: string; signature: Buffer }

function parseBlob(armored: string): SigBlob {
  const blob = unarmor(armored, SIGNATURE_LABEL);
  if (!blob) throw new WireError('not an armored SSH signature');
  const r = new WireReader(blob);
  if (!r.bytes(6).equals(MAGIC)) throw new WireError('no SSHSIG magic');
  const version = r.u32();
  if (version !== 1) throw new WireError(`signature version ${version} is not supported`);
  const publicKey = r.string();
  const namespace = r.text();
  r.string(); // reserved
  const hash = r.text();
  const signature = r.string();
  if (!r.done) throw new WireError('trailing data after the signature');
  return { publicKey, namespace, hash, signature };
}

/**
 * Checks an armored signature over `payload`: well-formed, namespace, a valid Ed25519 signature,
 * and a key that one of `signers` allows for that namespace. 'bad' means the signature is broken
 * or does not match the payload; 'unknown-signer' that it may be fine but no allowed key made it.
 */
export function verifyPayload(payload: string | Uint8Array, armored: string, signers: readonly ParsedSigner[], namespace = 'git'): VerifyResult {
  let sig: SigBlob;
  try {
    sig = parseBlob(armored);
  } catch (err) {
    return { ok: false, status: 'bad', reason: `malformed SSH signature: ${(err as Error).message}` };
  }
  if (sig.namespace !== namespace) return { ok: false, status: 'bad', reason: `the signature is for namespace "${sig.namespace}", not "${namespace}"` };
  if (!HASHES.has(sig.hash)) return { ok: false, status: 'bad', reason: `unsupported hash algorithm "${sig.hash}"` };
  let key: Buffer;
  let raw: Buffer;
  try {
    const type = new WireReader(sig.publicKey).text();
    if (type !== ED25519) return { ok: false, status: 'unknown-signer', reason: `signed with a ${type} key; sil verifies ssh-ed25519 signatures only` };
    key = parseEd25519Blob(sig.publicKey);
    const r = new WireReader(sig.signature);
    const sigType = r.text();
    raw = r.string();
    if (sigType !== ED25519 || raw.length !== 64 || !r.done) throw new WireError('malformed ssh-ed25519 signature');
  } catch (err) {
    return { ok: false, status: 'bad', reason: `malformed SSH signature: ${(err as Error).message}` };
  }
  const fingerprint = keyFingerprint(key);
  const digest = createHash(sig.hash).update(bytesOf(payload)).digest();
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') }, format: 'jwk' });
  if (!verify(null, signedData(namespace, sig.hash, digest), publicKey, raw)) {
    return { ok: false, status: 'bad', reason: `the signature by ${fingerprint} does not match the commit (changed after signing, or a wrong signature)`, fingerprint };
  }
  const signer = findSigner(signers, key, namespace);
  if (!signer) return { ok: false, status: 'unknown-signer', reason: `signed by ${fingerprint}, which is not an allowed signer`, fingerprint };
  return { ok: true, signer: signer.principals, fingerprint };
}
