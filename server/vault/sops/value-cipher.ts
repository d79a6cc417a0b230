// One SOPS value: AES-256-GCM under the file's data key, a 32-byte IV, the path as AAD, and the
// `ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]` text form.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { goFloat } from './go-format.ts';
import { SilError } from '../../errors.ts';

export type SopsType = 'str' | 'int' | 'float' | 'bool' | 'comment' | 'time' | 'bytes';
export type Plain = string | number | boolean;

const ENC = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]$/;

export interface EncParts { data: Buffer; iv: Buffer; tag: Buffer; type: string }

export function isEncrypted(text: unknown): text is string {
  return typeof text === 'string' && ENC.test(text);
}

export function parseEnc(text: string): EncParts {
  const m = ENC.exec(text);
  if (!m) throw new SilError('SIL_VAULT_FORMAT', 'not an ENC[AES256_GCM,...] value');
  return { data: Buffer.from(m[1], 'base64'), iv: Buffer.from(m[2], 'base64'), tag: Buffer.from(m[3], 'base64'), type: m[4] };
}

/** The plaintext bytes of a value, as SOPS encrypts and MACs them. */
export function plainBytes(value: Plain, type: SopsType): Buffer {
  if (type === 'bool') return Buffer.from(value ? 'True' : 'False');
  if (type === 'float') return Buffer.from(goFloat(Number(value)));
  return Buffer.from(String(value), 'utf8');
}

export function fromBytes(bytes: Buffer, type: string): Plain {
  const text = bytes.toString('utf8');
  switch (type) {
    case 'str':
    case 'comment':
    case 'time':
      return text;
    case 'bytes':
      return bytes.toString('latin1');
    case 'int':
    case 'float': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) throw new SilError('SIL_VAULT_FORMAT', `"${text}" is not a number`);
      return n;
    }
    case 'bool':
      if (text === 'True' || text === 'true') return true;
      if (text === 'False' || text === 'false') return false;
      throw new SilError('SIL_VAULT_FORMAT', `"${text}" is not a boolean`);
    default:
      throw new SilError('SIL_VAULT_FORMAT', `unknown value type "${type}"`);
  }
}

export function encryptBytes(plain: Buffer, type: SopsType, key: Uint8Array, aad: string, iv: Buffer = randomBytes(32)): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${tag.toString('base64')},type:${type}]`;
}

/** Decrypts one value; throws when the tag does not verify (wrong key, wrong place, tampered). */
export function decryptBytes(text: string, key: Uint8Array, aad: string): { bytes: Buffer; type: string } {
  const p = parseEnc(text);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, p.iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(p.tag);
    return { bytes: Buffer.concat([decipher.update(p.data), decipher.final()]), type: p.type };
  } catch (err) {
    throw new SilError('SIL_VAULT_DECRYPT', `a value at "${aad}" does not decrypt (wrong data key, moved or tampered)`, { cause: err });
  }
}
