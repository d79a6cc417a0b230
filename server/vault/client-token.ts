// Client tokens: what callers of the proxy present. Pure functions, no I/O.
//
// A token is `sil_` + 30 random base62 characters + a 6-character base62 CRC32 of those 30
// characters (40 characters in all). The checksum lets leak scanners tell a real sil token from
// random text without asking the hub; it is not a secret and adds no strength. The config stores
// only `sha256:<hex>` of the whole token, plus its last 4 characters as a hint.
import { randomBytes, hash, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Client } from '../../schemas/types.gen.ts';

export const TOKEN_PREFIX = 'sil_';
export const TOKEN_BODY_LENGTH = 30;
export const TOKEN_CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + TOKEN_BODY_LENGTH + TOKEN_CHECKSUM_LENGTH;
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Bytes at or above this are rejected: 248 = 4 × 62, so `byte % 62` stays uniform. */
const REJECT_FROM = 256 - (256 % 62);
const BASE62_CHAR = /^[0-9A-Za-z]$/;
const BASE62_REST = /^[0-9A-Za-z]*$/;

export type RandomSource = (size: number) => Uint8Array;

/** Base62 of an unsigned 32-bit number, most significant digit first, left-padded with '0'. */
function base62Checksum(n: number): string {
  let out = '';
  let v = n >>> 0;
  do {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  } while (v > 0);
  return out.padStart(TOKEN_CHECKSUM_LENGTH, '0');
}

/** The 6-character checksum of a token body (CRC32, IEEE, as zlib computes it). */
export function tokenChecksum(body: string): string {
  return base62Checksum(crc32(body));
}

/** A new token. `random` is injectable for tests; it must be a cryptographic source in use. */
export function generateClientToken(random: RandomSource = randomBytes): string {
  let body = '';
  while (body.length < TOKEN_BODY_LENGTH) {
    // 30 of 32 bytes are accepted on average; ask for a few more than still needed.
    const bytes = random(TOKEN_BODY_LENGTH - body.length + 8);
    for (const b of bytes) {
      if (b >= REJECT_FROM) continue;
      body += BASE62[b % 62];
      if (body.length === TOKEN_BODY_LENGTH) break;
    }
  }
  return TOKEN_PREFIX + body + tokenChecksum(body);
}

export type TokenFormat = { ok: true } | { ok: false; reason: string };

/** Checks prefix, length, alphabet and checksum. The reason never repeats the string. */
export function checkTokenFormat(s: string): TokenFormat {
  if (!s.startsWith(TOKEN_PREFIX)) return { ok: false, reason: `does not start with "${TOKEN_PREFIX}"` };
  if (s.length !== TOKEN_LENGTH) return { ok: false, reason: `${s.length} characters, a sil token has ${TOKEN_LENGTH}` };
  const rest = s.slice(TOKEN_PREFIX.length);
  // One regular expression on the proxy's hot path; the loop only names the bad character.
  if (!BASE62_REST.test(rest)) {
    for (let i = 0; i < rest.length; i++) {
      if (!BASE62_CHAR.test(rest[i])) return { ok: false, reason: `character ${TOKEN_PREFIX.length + i + 1} is not a base62 letter or digit` };
    }
  }
  const body = rest.slice(0, TOKEN_BODY_LENGTH);
  if (tokenChecksum(body) !== rest.slice(TOKEN_BODY_LENGTH)) return { ok: false, reason: 'checksum mismatch (a mistyped or made-up token)' };
  return { ok: true };
}

/** What the config stores: `sha256:` + hex SHA-256 of the token. */
export function hashToken(token: string): string {
  return `sha256:${hash('sha256', token, 'hex')}`;
}

/** Constant-time comparison of two strings' bytes (length is not secret). */
function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x); // same work either way
    return false;
  }
  return timingSafeEqual(x, y);
}

/** Whether a token has this stored hash; constant time in the content of both. */
export function tokenMatches(token: string, hash: string): boolean {
  return sameBytes(hashToken(token), hash);
}

/** The last 4 characters, stored as `hint` so owners can tell tokens apart. */
export function tokenHint(token: string): string {
  return token.slice(-4);
}

export type TokenEntry = NonNullable<Client['tokens']>[number];
export type TokenStatus = 'active' | 'revoked' | 'expired';

/** A date field at or before `now`; an unreadable date counts as passed (fail closed). */
function passed(iso: string | undefined, now: Date): boolean {
  if (iso === undefined) return false;
  const t = Date.parse(iso);
  return Number.isNaN(t) || t <= now.getTime();
}

/** Revoked when `revokedAt` has come, expired when `expiresAt` has; else active. */
export function tokenStatus(t: TokenEntry, now: Date): TokenStatus {
  if (passed(t.revokedAt, now)) return 'revoked';
  if (passed(t.expiresAt, now)) return 'expired';
  return 'active';
}

export interface TokenMatch { client: Client; tokenId: string }

/**
 * The enabled client holding an active token with this token's hash, or null. Checks the format
 * first; then compares against every active token of every enabled client without stopping at
 * a match, so the time taken does not tell where (or whether) a match was found.
 */
export function findClientByToken(token: string, clients: ReadonlyMap<string, Client>, now: Date): TokenMatch | null {
  if (!checkTokenFormat(token).ok) return null;
  const hash = hashToken(token);
  let found: TokenMatch | null = null;
  for (const client of clients.values()) {
    if (client.enabled === false) continue;
    for (const t of client.tokens ?? []) {
      if (tokenStatus(t, now) !== 'active') continue;
      if (sameBytes(hash, t.hash) && !found) found = { client, tokenId: t.id };
    }
  }
  return found;
}
