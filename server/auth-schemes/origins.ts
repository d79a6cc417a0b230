// providers/<id>.yaml `origins:`: an instance sends the requests it builds for one origin to
// another (a sandbox or private endpoint, an egress proxy, a regional or sovereign cloud, a mock).
// Applied to every URL the instance builds — service base URLs, the health check, OAuth2 and
// Google token URLs, rotation recipes — before any signing, so SigV4 signs the host it talks to.
// What is signed as an identity rather than sent to (a Google JWT's audience) keeps the original.

export type OriginMap = Readonly<Record<string, string>>;

/** `scheme://host[:port]` as the URL parser writes it (lower case, default port dropped); undefined for anything else. */
export function normalOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return undefined;
  if (!/^https?:\/\/[^/?#]+\/?$/i.test(text)) return undefined;
  return url.origin;
}

/** The map with both sides normalised (entries that are not origins are left out: the schema refused them). */
export function compileOrigins(origins: Readonly<Record<string, string>> | undefined): OriginMap | undefined {
  if (!origins) return undefined;
  const out: Record<string, string> = {};
  for (const [from, to] of Object.entries(origins)) {
    const a = normalOrigin(from);
    const b = normalOrigin(to);
    if (a && b) out[a] = b;
  }
  return Object.keys(out).length > 0 ? Object.freeze(out) : undefined;
}

/** `url` with its origin replaced when the map names it (a new URL), else `url` itself. */
export function redirectOrigin(url: URL, origins: OriginMap | undefined): URL {
  const to = origins?.[url.origin];
  if (to === undefined) return url;
  const target = new URL(to);
  const out = new URL(url.href);
  out.protocol = target.protocol;
  out.host = target.host;
  return out;
}
