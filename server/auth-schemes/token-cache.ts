// A cache of access tokens (OAuth2 client credentials, Google service accounts), in memory only.
//
// - Keyed by a string that names the provider, the key, the token URL, the scope and the client
//   (tokenCacheKey: a credential is only ever fingerprinted, never kept in a key).
// - A token is refreshed ahead of its expiry: at `lifetime - refreshAheadMs` (60 s by default),
//   or half-way through a lifetime shorter than twice that, so that a short-lived token is not
//   fetched again on every request.
// - Single-flight: callers that miss at the same time share one token request; a failed request
//   is not cached (the next caller asks again). When the refresh of a token that has not yet
//   expired fails, that token is still used until it expires.
// - Bounded: at most `maxEntries` tokens, the least recently used dropped first (expired ones
//   before any other).
// - invalidate(key, token) drops a token the provider refused (an answer 401), unless it was
//   already replaced by a newer one. A token request that was already running then (a health
//   check's, a refresh ahead of expiry) may have been answered before the provider stopped taking
//   tokens: its callers still get its token, but it is no longer shared and not cached, so the
//   retry after the 401 asks for a token of its own.
// - With a second level (`tier`: the tokens shared by the hub's instances through Redis,
//   server/cluster/shared-token-cache.ts), a miss asks the tier, which hands out a peer's token
//   or shares the one fetched here; this cache stays the first level, a hit never leaves memory.
// Time is milliseconds from the injected clock (deps.now), so tests can move it.
import { createHmac, randomBytes } from 'node:crypto';

/** What a token request yields. */
export interface IssuedToken {
  token: string;
  /** Lifetime in seconds, counted from the moment the request was sent. */
  expiresInSeconds: number;
}

/** A token with the times the cache keeps it by (ms of the cache's clock). */
export interface TimedToken {
  token: string;
  /** From then on the token is fetched again (still used while that fails and it is valid). */
  refreshAt: number;
  expiresAt: number;
}
type Entry = TimedToken;

/** A running token request; `detached` once a 401 made its answer suspect. */
interface Flight {
  promise: Promise<string>;
  detached: boolean;
}

/** A second level behind this cache, shared with other instances. */
export interface TokenTier {
  /**
   * A token of `key` that need not be refreshed yet: a peer's, or `fetch()`'s, which the tier then
   * shares. `force`: `fetch()`'s, whatever the peers hold.
   */
  obtain(key: string, fetch: () => Promise<TimedToken>, options: { force: boolean; now: () => number }): Promise<TimedToken>;
  /** The provider refused `token` (an answer 401): it must not be handed out again. */
  refused(key: string, token: string): void;
}

export interface TokenCacheOptions {
  /** Default 1000. */
  maxEntries?: number;
  /** How long before its expiry a token is refreshed; default 60 000 ms. */
  refreshAheadMs?: number;
  /** The tokens shared with the hub's other instances (none: this instance's own). */
  tier?: TokenTier;
}

export class TokenCache {
  readonly maxEntries: number;
  readonly refreshAheadMs: number;
  // Map order is recency order: a hit moves its entry to the end.
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Flight>();
  readonly #tier: TokenTier | null;

  constructor(options: TokenCacheOptions = {}) {
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 1000));
    this.refreshAheadMs = Math.max(0, options.refreshAheadMs ?? 60_000);
    this.#tier = options.tier ?? null;
  }

  /** Number of tokens held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached token of `key` while it need not be refreshed, else undefined. */
  peek(key: string, now: number): string | undefined {
    const entry = this.#entries.get(key);
    return entry && now < entry.refreshAt ? entry.token : undefined;
  }

  /**
   * The token of `key`: the cached one while it is fresh, else one from `fetchToken` (shared
   * with every caller that asks while that request runs). `force` asks for a new token even
   * when a fresh one is cached (a health check), still sharing a request already running; its
   * failure is thrown even while the cached token is valid.
   */
  get(key: string, now: () => number, fetchToken: () => Promise<IssuedToken>, options: { force?: boolean } = {}): Promise<string> {
    const entry = this.#entries.get(key);
    const at = now();
    if (!options.force && entry && at < entry.refreshAt) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return Promise.resolve(entry.token);
    }
    const running = this.#inFlight.get(key);
    if (running) return running.promise;
    const flight: Flight = { promise: Promise.resolve(''), detached: false };
    flight.promise = this.#refresh(key, now, fetchToken, options.force === true, options.force ? undefined : entry, flight);
    this.#inFlight.set(key, flight);
    const done = () => {
      if (this.#inFlight.get(key) === flight) this.#inFlight.delete(key);
    };
    flight.promise.then(done, done);
    return flight.promise;
  }

  async #refresh(key: string, now: () => number, fetchToken: () => Promise<IssuedToken>, force: boolean, previous: Entry | undefined, flight: Flight): Promise<string> {
    const fetchTimed = async (): Promise<TimedToken> => {
      const sentAt = now();
      const issued = await fetchToken();
      const lifetime = Math.max(0, issued.expiresInSeconds) * 1000;
      return { token: issued.token, refreshAt: sentAt + Math.max(lifetime - this.refreshAheadMs, lifetime / 2), expiresAt: sentAt + lifetime };
    };
    let entry: Entry;
    try {
      entry = this.#tier ? await this.#tier.obtain(key, fetchTimed, { force, now }) : await fetchTimed();
    } catch (err) {
      // A token that is still valid carries on while its refresh fails; the next caller retries.
      // Not for `force` (a health check must see the failure).
      const current = this.#entries.get(key);
      if (previous && current === previous && now() < current.expiresAt) return current.token;
      throw err;
    }
    if (flight.detached) return entry.token;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#evict(now());
    return entry.token;
  }

  #evict(now: number): void {
    if (this.#entries.size <= this.maxEntries) return;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(key);
    }
  }

  /**
   * Drops the token of `key`, so that the next caller fetches a new one. With `token`, only when
   * the cached token is that one: a 401 to a request that carried an old token does not drop the
   * new token another request already fetched. Dropping a token also detaches a token request
   * begun while it was cached (see the header). Returns whether a token was dropped.
   */
  invalidate(key: string, token?: string): boolean {
    const entry = this.#entries.get(key);
    const refused = token ?? entry?.token;
    if (this.#tier && refused !== undefined) this.#tier.refused(key, refused);
    if (!entry || (token !== undefined && entry.token !== token)) return false;
    this.#entries.delete(key);
    const running = this.#inFlight.get(key);
    if (running) {
      running.detached = true;
      this.#inFlight.delete(key);
    }
    return true;
  }

  /** Drops every token. */
  clear(): void {
    this.#entries.clear();
  }
}

// Key of the credential fingerprints: a fingerprint in a cache key tells nothing about the
// credential to whoever lacks the key. Random per process, unless the hub sets one derived from
// its age identity (useFingerprintKey), which its instances share: their cache keys, and so the
// names of the tokens they share in Redis, are then the same.
let FINGERPRINT_KEY = randomBytes(32);

/** Sets the key of the credential fingerprints (32 bytes or more), before tokens are cached. */
export function useFingerprintKey(key: Uint8Array): void {
  if (key.length < 32) throw new Error('the token fingerprint key must have at least 32 bytes');
  FINGERPRINT_KEY = Buffer.from(key);
}

/** A short keyed digest of a credential, to tell two credentials apart in a cache key. */
export function fingerprint(secret: string): string {
  return createHmac('sha256', FINGERPRINT_KEY).update(secret, 'utf8').digest('base64url').slice(0, 22);
}

/** The parts of a cache key. `credential` is fingerprinted; the others are kept as they are. */
export interface TokenKeyParts {
  /** The auth scheme type. */
  scheme: string;
  providerId?: string;
  keyId?: string;
  tokenUrl: string;
  scope?: string;
  /** The client (client id, service-account email). */
  client: string;
  /** The secret that authenticates the client: a different secret is a different token. */
  credential: string;
  /** Whatever else changes the token (extra parameters, the impersonated user). */
  extra?: readonly string[];
}

export function tokenCacheKey(parts: TokenKeyParts): string {
  return JSON.stringify([
    parts.scheme,
    parts.providerId ?? '',
    parts.keyId ?? '',
    parts.tokenUrl,
    parts.scope ?? '',
    parts.client,
    fingerprint(parts.credential),
    ...(parts.extra ?? []),
  ]);
}
