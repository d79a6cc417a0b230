// Reads and writes secrets/<provider-id>.yaml: SOPS with `encrypted_regex: ^secret$`, so only
// the values under each key's `secret` are encrypted and the metadata stays readable.
import { Document } from 'yaml';
import type { ProviderKey } from '../../schemas/types.gen.ts';
import { decryptSops, encryptSops, type DecryptedFile } from './sops/sops-file.ts';
import type { Identities } from './sops/data-key.ts';
import type { Rule } from './sops/rules.ts';
import type { Keyring } from './keyring.ts';

export const SECRETS_RULE: Rule = { kind: 'encrypted_regex', value: '^secret$' };

export const secretsPath = (provider: string) => `secrets/${provider}.yaml`;

export interface OpenedSecrets {
  keyring: Keyring;
  /** What re-encryption needs to keep unchanged values' ciphertext (small diffs). */
  previous: Pick<DecryptedFile, 'dataKey' | 'ciphertexts'> & { age: DecryptedFile['metadata']['age'] };
  recipients: string[];
}

export async function openSecrets(text: string, ids: Identities): Promise<OpenedSecrets> {
  const file = await decryptSops(text, 'yaml', ids);
  const keys = (Array.isArray(file.data.keys) ? file.data.keys : []) as ProviderKey[];
  const keyring: Keyring = {
    keys: keys.map((k) => (k.secret ? { ...k, secret: Object.fromEntries(Object.entries(k.secret).map(([n, v]) => [n, String(v)])) } : k)),
  };
  return { keyring, previous: { dataKey: file.dataKey, ciphertexts: file.ciphertexts, age: file.metadata.age }, recipients: file.metadata.age.map((a) => a.recipient) };
}

/** Field order of a key entry as sil writes it. */
const ORDER: (keyof ProviderKey)[] = ['id', 'label', 'status', 'default', 'created', 'updated', 'rotated', 'expires', 'retireAt', 'revokedAt', 'replaces', 'providerKeyId', 'fingerprint', 'secret'];

export async function sealSecrets(keyring: Keyring, recipients: readonly string[], now: Date, previous?: OpenedSecrets['previous']): Promise<string> {
  const keys = keyring.keys.map((k) => Object.fromEntries(ORDER.filter((f) => k[f] !== undefined).map((f) => [f, k[f]])));
  const doc = new Document({ keys });
  // Dates as quoted strings: sops (Go) would otherwise read them as timestamps.
  const text = doc.toString({ indent: 2, lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
  return encryptSops(text, { recipients, rule: SECRETS_RULE, now, previous });
}
