// A key's fingerprint: `sha256:` and the first 12 hex digits of the hash of its secret, then
// `...` and the last 4 characters of its main credential. Lets an owner check "is this the key
// I hold?" without decrypting; reveals too little to help guess a random key.
import { createHash } from 'node:crypto';

export type SecretValues = Readonly<Record<string, string>>;

/** The fields in a stable order, so the same secret always hashes the same. */
export function canonical(secret: SecretValues): string {
  return JSON.stringify(Object.keys(secret).sort().map((k) => [k, secret[k]]));
}

export function fingerprint(secret: SecretValues, mainField: string): string {
  const hash = createHash('sha256').update(canonical(secret)).digest('hex').slice(0, 12);
  const main = secret[mainField] ?? Object.values(secret)[0] ?? '';
  return main.length >= 12 ? `sha256:${hash}...${main.slice(-4)}` : `sha256:${hash}`;
}
