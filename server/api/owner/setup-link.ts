// The one-time setup link of the first run: `sil start` prints it while no owner exists, and
// `sil owner reset` prints a new one. The token travels in the URL fragment (`#...`), which the
// browser never sends to a server, so it stays out of access logs and Referer headers; the
// setup page reads it and posts it to /api/setup/start and /api/setup/complete.
import { join } from 'node:path';
import { OwnerStore, SETUP_TOKEN_TTL_MS } from './owner-store.ts';

export const setupPath = (token: string): string => `/setup#${token}`;

/** `http://host:port/setup#token` for a hub URL (`http://127.0.0.1:8080`). */
export function setupLink(hubUrl: string, token: string): string {
  return `${hubUrl.replace(/\/+$/, '')}${setupPath(token)}`;
}

/**
 * When no owner exists: issues a new setup token (replacing any earlier link) and returns the
 * text to print (three lines). When an owner exists: null (nothing to print, nothing changed).
 */
export async function setupLinkLine(opts: { dataDir: string; url: string; now?: Date; ttlMs?: number }): Promise<string | null> {
  const store = new OwnerStore(join(opts.dataDir, 'state'));
  if (await store.ownerId()) return null;
  const ttlMs = opts.ttlMs ?? SETUP_TOKEN_TTL_MS;
  const token = await store.issueSetupToken(opts.now ?? new Date(), ttlMs);
  return [
    'No owner account yet. Open this one-time link to set the password and the authenticator:',
    `  ${setupLink(opts.url, token)}`,
    `(it works once, for ${Math.round(ttlMs / 3_600_000)} hours; every start prints a new one until setup is done)`,
  ].join('\n');
}
