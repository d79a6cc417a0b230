// Access tokens (OAuth2 client credentials, Google service accounts) shared by the hub's
// instances through Redis, behind each instance's own TokenCache (docs/proxy.md, "Several
// instances"): a token one instance fetched is used by the others until its refresh time.
// - `<prefix>token:<name>`: the token and its refresh and expiry times, sealed with AES-256-GCM
//   under a key derived from the hub's age identity (token-sealing.ts), expiring with the token.
// - `<prefix>token-lock:<name>`: SET NX PX, so that one instance fetches; the others poll for its
//   token a short while (waitMs), then fetch their own rather than fail.
// - A token the provider refused (401) is deleted, only if Redis still holds that one.
// Redis unreachable, or a value that does not open (another identity): this instance fetches its own.
import { TokenCache, useFingerprintKey, type TimedToken, type TokenCacheOptions, type TokenTier } from '../auth-schemes/token-cache.ts';
import type { Cluster } from './cluster.ts';
import type { RedisConnection } from './redis-connection.ts';
import { openToken, sealedHead, sealToken, tokenKeysOf, tokenName, type TokenKeys } from './token-sealing.ts';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const DROP_IF = `local v = redis.call('GET', KEYS[1]) if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface SharedTokenTierOptions {
  cluster: Pick<Cluster, 'connection' | 'instanceId'>;
  /** The hub's age identity (`AGE-SECRET-KEY-1...`), which every instance of the deployment has. */
  identity: string;
  log: (line: string) => void;
  /** How long an instance waits for the token a peer is fetching (default 2000 ms). */
  waitMs?: number;
  /** How often it looks while it waits (default 25 ms). */
  pollMs?: number;
  /** The fetch lock's lifetime, should its holder die (default 10 000 ms). */
  lockMs?: number;
}

export class SharedTokenTier implements TokenTier {
  readonly keys: TokenKeys;
  readonly #opts: SharedTokenTierOptions;
  #warned = false;

  constructor(opts: SharedTokenTierOptions) {
    this.#opts = opts;
    this.keys = tokenKeysOf(opts.identity);
  }

  async obtain(key: string, fetch: () => Promise<TimedToken>, options: { force: boolean; now: () => number }): Promise<TimedToken> {
    const c = this.#up();
    if (!c) return fetch();
    const name = tokenName(this.keys, key);
    const valueKey = c.key(`token:${name}`);
    const lockKey = c.key(`token-lock:${name}`);
    let locked = false;
    if (!options.force) {
      const found = await this.#read(c, valueKey, options.now());
      if (found) return found;
      const reply = await c.client.set(lockKey, this.#opts.cluster.instanceId, 'PX', this.#opts.lockMs ?? 10_000, 'NX').catch(() => 'failed');
      locked = reply === 'OK';
      if (reply === null) {
        const theirs = await this.#wait(c, valueKey, lockKey, options.now);
        if (theirs) return theirs;
      }
    }
    let fetched: TimedToken;
    try {
      fetched = await fetch();
    } catch (err) {
      if (locked) void this.#release(c, lockKey);
      throw err;
    }
    void this.#share(c, valueKey, lockKey, locked, fetched, options.now());
    return fetched;
  }

  refused(key: string, token: string): void {
    const c = this.#up();
    if (!c) return;
    c.client.eval(DROP_IF, 1, c.key(`token:${tokenName(this.keys, key)}`), sealedHead(this.keys, token)).catch(() => {});
  }

  #up(): RedisConnection | null {
    const c = this.#opts.cluster.connection();
    return c?.state === 'up' ? c : null;
  }

  /** The shared token while it need not be refreshed, else null (also when Redis fails). */
  async #read(c: RedisConnection, valueKey: string, now: number): Promise<TimedToken | null> {
    const text = await c.client.get(valueKey).catch(() => null);
    if (text === null) return null;
    const t = openToken(this.keys, valueKey, text);
    if (!t) {
      if (!this.#warned) {
        this.#warned = true;
        this.#opts.log('tokens: a shared access token in Redis does not open with this hub\'s age identity (every instance must have the same data/keys/age.key); this instance fetches its own tokens');
      }
      return null;
    }
    return now < t.refreshAt ? t : null;
  }

  /** A peer holds the lock: its token once it is there, or null after waitMs or once the lock is gone without one. */
  async #wait(c: RedisConnection, valueKey: string, lockKey: string, now: () => number): Promise<TimedToken | null> {
    const pollMs = this.#opts.pollMs ?? 25;
    const rounds = Math.max(1, Math.ceil((this.#opts.waitMs ?? 2000) / pollMs));
    for (let i = 0; i < rounds && c.state === 'up'; i++) {
      await new Promise((r) => setTimeout(r, pollMs));
      // The lock first: its holder writes the token before it lets go, so a gone lock with no token means none is coming.
      const held = await c.client.exists(lockKey).catch(() => 0);
      const found = await this.#read(c, valueKey, now());
      if (found) return found;
      if (held === 0) return null;
    }
    return null;
  }

  async #share(c: RedisConnection, valueKey: string, lockKey: string, locked: boolean, t: TimedToken, now: number): Promise<void> {
    const ttl = Math.floor(t.expiresAt - now);
    try {
      if (ttl > 0) await c.client.set(valueKey, sealToken(this.keys, valueKey, t), 'PX', ttl);
    } catch {
      // Redis went away: the peers fetch their own.
    }
    if (locked) await this.#release(c, lockKey);
  }

  async #release(c: RedisConnection, lockKey: string): Promise<void> {
    await c.client.eval(RELEASE, 1, lockKey, this.#opts.cluster.instanceId).catch(() => {});
  }
}

/**
 * The hub's one token cache: the first level in memory, the tokens of its peers behind it. Sets
 * the credential fingerprint key derived from the identity, so that every instance names a
 * token alike.
 */
export function sharedTokenCache(opts: SharedTokenTierOptions & { cache?: TokenCacheOptions }): TokenCache {
  const tier = new SharedTokenTier(opts);
  useFingerprintKey(tier.keys.fingerprint);
  return new TokenCache({ ...opts.cache, tier });
}
