// The file's 32-byte data key, wrapped for each age X25519 recipient (one armored age file per
// recipient, as sops writes them).
import { Decrypter, Encrypter, armor } from 'age-encryption';
import { unwrapWithNative, x25519Key, type X25519Key } from './age-native.ts';

export interface AgeEntry { recipient: string; enc: string }

/** The identities of a keyring: native keys for the fast path, strings for age-encryption. */
export interface Identities { native: X25519Key[]; raw: string[] }

export function identitiesFrom(lines: readonly string[]): Identities {
  const raw = lines.map((l) => l.trim()).filter((l) => l.startsWith('AGE-SECRET-KEY-'));
  return { raw, native: raw.map(x25519Key) };
}

/** Reads identity lines from an age key file (comments and blank lines ignored). */
export function parseIdentityFile(text: string): Identities {
  return identitiesFrom(text.split('\n'));
}

export async function wrapDataKey(dataKey: Uint8Array, recipient: string): Promise<string> {
  const e = new Encrypter();
  e.addRecipient(recipient);
  return armor.encode(await e.encrypt(dataKey));
}

/** The data key from the first entry an identity opens, or null. */
export async function unwrapDataKey(entries: readonly AgeEntry[], ids: Identities): Promise<Uint8Array | null> {
  for (const entry of entries) {
    const fast = unwrapWithNative(entry.enc, ids.native);
    if (fast) return fast;
  }
  if (ids.raw.length === 0) return null;
  const d = new Decrypter();
  for (const id of ids.raw) d.addIdentity(id);
  for (const entry of entries) {
    try {
      return await d.decrypt(armor.decode(entry.enc));
    } catch {
      // Not ours (or not X25519): try the next entry.
    }
  }
  return null;
}
