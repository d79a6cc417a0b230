// Decrypts a SOPS document that is already parsed into plain JavaScript values (the loader has
// parsed every config file once): no second YAML parse, which halves the cost of opening a
// thousand secrets files. Comments are not part of the values or the MAC, so they are skipped.
// Falls back (returns null) when key order could differ from the file's (integer-like keys).
import { createHash } from 'node:crypto';
import { SilError } from '../../errors.ts';
import { encryptsPath } from './rules.ts';
import { readMetadata, type SopsMetadata } from './metadata.ts';
import { decryptBytes, fromBytes, isEncrypted, plainBytes, type Plain } from './value-cipher.ts';
import { unwrapDataKey, type Identities } from './data-key.ts';
import { aadOf } from './document-walk.ts';

const INTEGER_KEY = /^(0|[1-9]\d*)$/;

export interface DecryptedTree { data: Record<string, unknown>; metadata: SopsMetadata; dataKey: Uint8Array }

export async function decryptSopsTree(value: Record<string, unknown>, ids: Identities): Promise<DecryptedTree | null> {
  const metadata = readMetadata(value.sops);
  const dataKey = await unwrapDataKey(metadata.age, ids);
  if (!dataKey) throw new SilError('SIL_VAULT_IDENTITY', `no identity opens the file (recipients: ${metadata.age.map((a) => a.recipient).join(', ')})`);
  const hash = createHash('sha512');
  if (metadata.macOnlyEncrypted) hash.update(createHash('sha256').update('sops').digest());
  let fallBack = false;

  const visit = (v: unknown, keys: string[]): unknown => {
    if (Array.isArray(v)) return v.map((item) => visit(item, keys));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v)) {
        if (keys.length === 0 && k === 'sops') continue;
        if (INTEGER_KEY.test(k)) fallBack = true;
        out[k] = visit(child, [...keys, k]);
      }
      return out;
    }
    if (v === null || v === undefined) return v;
    const aad = aadOf(keys);
    const place = encryptsPath(metadata.rule, keys) ?? isEncrypted(v);
    if (place && isEncrypted(v)) {
      const { bytes, type } = decryptBytes(v, dataKey, aad);
      hash.update(bytes);
      return fromBytes(bytes, type);
    }
    if (place && v !== '') throw new SilError('SIL_VAULT_FORMAT', `the value at "${aad}" should be encrypted but is not`);
    if (!metadata.macOnlyEncrypted) {
      const type = typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : 'str';
      hash.update(plainBytes(v as Plain, type));
    }
    return v;
  };
  const data = visit(value, []) as Record<string, unknown>;
  if (fallBack) return null;
  const stored = decryptBytes(metadata.mac, dataKey, metadata.lastmodified).bytes.toString('utf8');
  if (stored.toUpperCase() !== hash.digest('hex').toUpperCase()) throw new SilError('SIL_VAULT_MAC', 'MAC mismatch: the values do not match the MAC sops computed');
  return { data, metadata, dataKey };
}
