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
 * text to print: the link once per address in `url` (a hub on 0.0.0.0 is reached by several).
 * When an owner exists: null (nothing to print, nothing changed). With `consoleBuilt: false` the
 * link would open nothing: no token is issued (an earlier link stays valid) and the text says so.
 */
export async function setupLinkLine(opts: { dataDir: string; url: string | readonly string[]; now?: Date; ttlMs?: number; consoleBuilt?: boolean }): Promise<string | null> {
  const store = new OwnerStore(join(opts.dataDir, 'state'));
  if (await store.ownerId()) return null;
  if (opts.consoleBuilt === false) return 'No owner account yet: the one-time setup link is printed once the console is built (`npm run build:console`, then start again).';
  const ttlMs = opts.ttlMs ?? SETUP_TOKEN_TTL_MS;
  const token = await store.issueSetupToken(opts.now ?? new Date(), ttlMs);
  const urls = typeof opts.url === 'string' ? [opts.url] : opts.url;
  return [
    'No owner account yet. Open this one-time link to set the password and the authenticator:',
    ...urls.map((url) => `  ${setupLink(url, token)}`),
    `(it works once, for ${Math.round(ttlMs / 3_600_000)} hours; every start prints a new one until setup is done)`,
  ].join('\n');
}
