// What the API shows of a key: metadata copied field by field (never the secret), a mask built
// from the fingerprint's last characters, and when the key is due for rotation.
import type { ProviderKey } from '../../../schemas/types.gen.ts';
import { rotationDueInDays } from '../../vault/keyring.ts';
import type { KeyCounts, KeyMeta } from './answers.ts';

export type { KeyCounts, KeyMeta } from './answers.ts';

/** The mask of a key, from its fingerprint (`sha256:<hash>...<last 4>`); no decryption needed. */
export function maskOf(fingerprint: string): string {
  const m = /\.\.\.(.{1,4})$/.exec(fingerprint);
  return m ? `••••${m[1]}` : '••••';
}

const OPTIONAL = ['label', 'updated', 'rotated', 'expires', 'retireAt', 'revokedAt', 'replaces', 'providerKeyId'] as const;

export function keyMeta(k: Readonly<ProviderKey>, rotationDays: number, now: Date): KeyMeta {
  const out: KeyMeta = { id: k.id, status: k.status, default: k.default === true, created: k.created, fingerprint: k.fingerprint, mask: maskOf(k.fingerprint) };
  for (const f of OPTIONAL) if (typeof k[f] === 'string') out[f] = k[f];
  if (k.status === 'active') out.rotationDueInDays = rotationDueInDays(k as ProviderKey, rotationDays, now);
  return out;
}


export function keyCounts(keys: readonly Readonly<ProviderKey>[]): KeyCounts {
  return {
    total: keys.length,
    active: keys.filter((k) => k.status === 'active').length,
    default: keys.find((k) => k.default && k.status === 'active')?.id ?? null,
  };
}
