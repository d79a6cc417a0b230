// Client lookup by token for the request path: one hash and one map lookup per request. The
// index is built once per config snapshot from the token hashes in clients/*.yaml.
import type { Client } from '../../schemas/types.gen.ts';
import { checkTokenFormat, hashToken, tokenStatus, TOKEN_LENGTH } from '../vault/client-token.ts';
import type { ConfigSnapshot } from '../config/snapshot.ts';

interface Entry { client: Client; tokenId: string; token: NonNullable<Client['tokens']>[number] }

const indexes = new WeakMap<ConfigSnapshot, Map<string, Entry>>();

function indexOf(snapshot: ConfigSnapshot): Map<string, Entry> {
  let index = indexes.get(snapshot);
  if (!index) {
    index = new Map();
    for (const client of snapshot.clients.values()) {
      for (const token of client.tokens ?? []) index.set(token.hash, { client, tokenId: token.id, token });
    }
    indexes.set(snapshot, index);
  }
  return index;
}

export type TokenLookup = { ok: true; client: Client; tokenId: string } | { ok: false; reason: 'format' | 'unknown' | 'revoked' | 'expired' | 'disabled' };

export function lookupToken(snapshot: ConfigSnapshot, token: string, now: Date): TokenLookup {
  // The hash is what is looked up: a timing difference tells nothing about the token itself.
  // Only a string of a token's length is hashed; its checksum is checked only when it is not
  // found (every token in the index had a valid one when it was made).
  const entry = token.length === TOKEN_LENGTH ? indexOf(snapshot).get(hashToken(token)) : undefined;
  if (!entry) return { ok: false, reason: checkTokenFormat(token).ok ? 'unknown' : 'format' };
  if (entry.client.enabled === false) return { ok: false, reason: 'disabled' };
  const status = tokenStatus(entry.token, now);
  if (status !== 'active') return { ok: false, reason: status };
  return { ok: true, client: entry.client, tokenId: entry.tokenId };
}
