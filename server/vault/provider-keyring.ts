// A provider's keys as the runtime holds them: metadata anyone may see, and the decrypted
// secrets behind a private field that no JSON, log line or inspection shows.
import { inspect } from 'node:util';
import type { ProviderKey } from '../../schemas/types.gen.ts';
import type { SecretValues } from './fingerprint.ts';

export type KeyMeta = Readonly<Omit<ProviderKey, 'secret'>>;

export class ProviderKeyring {
  readonly provider: string;
  readonly keys: readonly KeyMeta[];
  readonly #secrets: ReadonlyMap<string, SecretValues>;
  /** usable(), computed once: a keyring belongs to one snapshot and never changes. */
  readonly #usable: readonly KeyMeta[];

  constructor(provider: string, keys: readonly ProviderKey[]) {
    this.provider = provider;
    this.keys = Object.freeze(keys.map(({ secret: _s, ...meta }) => Object.freeze(meta)));
    this.#secrets = new Map(keys.filter((k) => k.secret && k.status !== 'revoked').map((k) => [k.id, Object.freeze({ ...(k.secret as Record<string, string>) })]));
    const active = this.keys.filter((k) => k.status === 'active');
    this.#usable = Object.freeze([...active.filter((k) => k.default), ...active.filter((k) => !k.default)]);
    Object.freeze(this);
  }

  /** The decrypted credential fields of a key (never for revoked keys). */
  secretOf(keyId: string): SecretValues | undefined {
    return this.#secrets.get(keyId);
  }

  get defaultKey(): KeyMeta | undefined {
    return this.keys.find((k) => k.default && k.status === 'active');
  }

  /** Keys requests may use: the default first, then other active keys (a pool). */
  usable(): readonly KeyMeta[] {
    return this.#usable;
  }

  toJSON(): { provider: string; keys: readonly KeyMeta[] } {
    return { provider: this.provider, keys: this.keys };
  }

  [inspect.custom](): string {
    return `ProviderKeyring(${this.provider}: ${this.keys.map((k) => `${k.id}=${k.status}`).join(', ')})`;
  }
}
