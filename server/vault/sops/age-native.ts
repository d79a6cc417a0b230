// Unwraps an age file encrypted to X25519 recipients with node:crypto (native X25519, HKDF,
// ChaCha20-Poly1305): about ten times faster than the pure-JavaScript path of
// age-encryption, which matters when the loader opens a thousand secrets files. Anything this
// does not handle (other stanza types, multi-chunk payloads) returns null so the caller can
// fall back to age-encryption. Follows the age v1 format (age-encryption.org/v1).
import { bech32, base64nopad } from '@scure/base';
import { createDecipheriv, createHmac, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const LABEL = Buffer.from('age-encryption.org/v1/X25519');

export interface X25519Key { privateKey: KeyObject; publicRaw: Buffer }

export function x25519Key(identity: string): X25519Key {
  const { prefix, bytes } = bech32.decodeToBytes(identity.trim());
  if (prefix.toUpperCase() !== 'AGE-SECRET-KEY-' || bytes.length !== 32) throw new Error('not an age X25519 identity');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, bytes]), format: 'der', type: 'pkcs8' });
  const publicRaw = Buffer.from(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })).subarray(-32);
  return { privateKey, publicRaw };
}

/** The bytes between the armor lines. */
export function dearmor(armored: string): Buffer {
  const body = armored.trim().replace(/^-----BEGIN AGE ENCRYPTED FILE-----/, '').replace(/-----END AGE ENCRYPTED FILE-----$/, '');
  return Buffer.from(body.replace(/\s+/g, ''), 'base64');
}

interface Parsed { stanzas: { args: string[]; body: Buffer }[]; headerNoMac: Buffer; mac: Buffer; payload: Buffer }

function parse(file: Buffer): Parsed | null {
  let at = 0;
  const line = () => {
    const nl = file.indexOf(0x0a, at);
    if (nl < 0) return null;
    const text = file.subarray(at, nl).toString('latin1');
    at = nl + 1;
    return text;
  };
  if (line() !== 'age-encryption.org/v1') return null;
  const stanzas: Parsed['stanzas'] = [];
  for (;;) {
    const start = at;
    const l = line();
    if (l === null) return null;
    if (l.startsWith('--- ')) {
      const headerNoMac = file.subarray(0, start + 3);
      return { stanzas, headerNoMac, mac: Buffer.from(base64nopad.decode(l.slice(4))), payload: file.subarray(at) };
    }
    if (!l.startsWith('-> ')) return null;
    const lines: string[] = [];
    for (;;) {
      const b = line();
      if (b === null) return null;
      lines.push(b);
      if (b.length < 64) break;
    }
    stanzas.push({ args: l.slice(3).split(' '), body: Buffer.from(base64nopad.decode(lines.join(''))) });
  }
}

function open(key: Buffer, nonce: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < 16) return null;
  try {
    const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  } catch {
    return null;
  }
}

const hkdf = (ikm: Buffer, salt: Buffer, info: string) => Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info), 32));

/** The plaintext of an armored age file, or null when no key fits or the file is not plain X25519. */
export function unwrapWithNative(armored: string, keys: readonly X25519Key[]): Buffer | null {
  const p = parse(dearmor(armored));
  if (!p) return null;
  let fileKey: Buffer | null = null;
  for (const s of p.stanzas) {
    if (s.args[0] !== 'X25519' || s.args.length !== 2 || s.body.length !== 32) continue;
    const share = Buffer.from(base64nopad.decode(s.args[1]));
    if (share.length !== 32) continue;
    const peer = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: share.toString('base64url') }, format: 'jwk' });
    for (const k of keys) {
      let secret: Buffer;
      try {
        secret = diffieHellman({ privateKey: k.privateKey, publicKey: peer });
      } catch {
        continue;
      }
      if (secret.every((b) => b === 0)) continue;
      const wrapKey = Buffer.from(hkdfSync('sha256', secret, Buffer.concat([share, k.publicRaw]), LABEL, 32));
      fileKey = open(wrapKey, Buffer.alloc(12), s.body);
      if (fileKey) break;
    }
    if (fileKey) break;
  }
  if (!fileKey) return null;
  const mac = createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header')).update(p.headerNoMac).digest();
  if (mac.length !== p.mac.length || !timingSafeEqual(mac, p.mac)) return null;
  if (p.payload.length < 16 + 16 || p.payload.length > 16 + 64 * 1024 + 16) return null;
  const payloadKey = hkdf(fileKey, p.payload.subarray(0, 16), 'payload');
  const lastChunkNonce = Buffer.alloc(12);
  lastChunkNonce[11] = 1;
  return open(payloadKey, lastChunkNonce, p.payload.subarray(16));
}
