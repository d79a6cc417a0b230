// The keys of the access tokens the hub's instances share in Redis, derived with HKDF-SHA256
// from the hub's age identity (data/keys/age.key: the same file on every instance of one
// deployment, never in Redis nor in the config repository):
// - seal: AES-256-GCM of a token and its times, bound to its Redis key (additional data), so a
//   value copied under another key does not open;
// - name: HMAC-SHA256 of a cache key and of a token, so that Redis key names and values tell
//   nothing of providers, clients or tokens;
// - fingerprint: the key of the credential fingerprints in cache keys (token-cache.ts).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { TimedToken } from '../auth-schemes/token-cache.ts';

export interface TokenKeys {
  seal: Buffer;
  name: Buffer;
  fingerprint: Buffer;
}

/** The keys of one deployment, from its age identity (`AGE-SECRET-KEY-1...`). */
export function tokenKeysOf(identity: string): TokenKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', identity, 'sil cluster', info, 32));
  return {
    seal: derive('sil shared tokens: AES-256-GCM v1'),
    name: derive('sil shared tokens: names v1'),
    fingerprint: derive('sil shared tokens: credential fingerprints v1'),
  };
}

/** The Redis name of a cache key's token (without the prefix). */
export function tokenName(keys: TokenKeys, cacheKey: string): string {
  return createHmac('sha256', keys.name).update(`key\0${cacheKey}`, 'utf8').digest('base64url').slice(0, 32);
}

/** The head of a sealed value: what a compare-and-delete of a refused token matches. */
export function sealedHead(keys: TokenKeys, token: string): string {
  return `v1.${createHmac('sha256', keys.name).update(`token\0${token}`, 'utf8').digest('base64url').slice(0, 22)}.`;
}

/** `v1.<token digest>.<iv>.<ciphertext>.<tag>`, base64url parts; `redisKey` is authenticated. */
export function sealToken(keys: TokenKeys, redisKey: string, t: TimedToken): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, iv);
  cipher.setAAD(Buffer.from(redisKey, 'utf8'));
  const plain = JSON.stringify({ t: t.token, r: t.refreshAt, e: t.expiresAt });
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${sealedHead(keys, t.token)}${iv.toString('base64url')}.${ct.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/** The token sealed in `text` under `redisKey`, or null when it does not open with these keys. */
export function openToken(keys: TokenKeys, redisKey: string, text: string): TimedToken | null {
  const parts = text.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.seal, Buffer.from(parts[2], 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(redisKey, 'utf8'));
    decipher.setAuthTag(Buffer.from(parts[4], 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(parts[3], 'base64url')), decipher.final()]).toString('utf8');
    const o = JSON.parse(plain) as { t?: unknown; r?: unknown; e?: unknown };
    if (typeof o.t !== 'string' || typeof o.r !== 'number' || typeof o.e !== 'number') return null;
    return { token: o.t, refreshAt: o.r, expiresAt: o.e };
  } catch {
    return null;
  }
}
