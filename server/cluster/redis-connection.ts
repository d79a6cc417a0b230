// One connection to the shared Redis (ioredis). Commands fail at once while it is down (no
// offline queue: the proxy must not wait on a dead Redis), and the client reconnects by itself
// with a capped back-off. State changes are logged once each, not on every retry.
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisSettings } from './redis-settings.ts';

export type RedisState = 'connecting' | 'up' | 'down';

export class RedisConnection {
  readonly client: Redis;
  readonly settings: RedisSettings;
  #state: RedisState = 'connecting';
  #since = Date.now();
  #lastError: string | null = null;
  readonly #listeners = new Set<(state: RedisState) => void>();
  readonly #log: (line: string) => void;
  #closing = false;
  /** Connections of its own made for blocking reads and subscriptions: closed with this one. */
  readonly #duplicates = new Set<Redis>();

  constructor(settings: RedisSettings, log: (line: string) => void) {
    this.settings = settings;
    this.#log = log;
    this.client = new Redis(settings.url, {
      ...(settings.username ? { username: settings.username } : {}),
      ...(settings.password ? { password: settings.password } : {}),
      connectTimeout: settings.connectTimeoutMs,
      commandTimeout: settings.connectTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
      connectionName: 'sil',
      // A closed client (and its duplicates: a blocked XREAD, a subscriber) lets go of its socket
      // soon, so that a stopping hub exits at once (ioredis waits 2 s by default).
      disconnectTimeout: 200,
    });
    this.client.on('ready', () => this.#set('up'));
    this.client.on('close', () => this.#set('down'));
    this.client.on('error', (err: Error) => {
      this.#lastError = err.message;
      if (this.#state !== 'down') this.#set('down');
    });
  }

  get state(): RedisState {
    return this.#state;
  }

  /** When the state last changed (epoch ms). */
  get since(): number {
    return this.#since;
  }

  get lastError(): string | null {
    return this.#lastError;
  }

  /** A key under the hub's prefix (sil.yaml redis.keyPrefix, default `sil:`). */
  key(name: string): string {
    return this.settings.keyPrefix + name;
  }

  /**
   * Another connection to the same Redis with the same settings (a subscriber, a blocking read),
   * which reconnects by itself like this one and is closed with it: close() ends every duplicate,
   * also one that never connected (it would otherwise retry, and keep the process alive, forever).
   */
  duplicate(options: Partial<RedisOptions> = {}): Redis {
    const dup = this.client.duplicate(options);
    // The main connection logs Redis errors; a duplicate would repeat them.
    dup.on('error', () => {});
    dup.once('end', () => this.#duplicates.delete(dup));
    this.#duplicates.add(dup);
    if (this.#closing) dup.disconnect();
    return dup;
  }

  onState(listener: (state: RedisState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(state: RedisState): void {
    if (state === this.#state || this.#closing) return;
    const was = this.#state;
    this.#state = state;
    this.#since = Date.now();
    if (state === 'up') this.#log(`redis: connected to ${this.settings.url}`);
    else if (was === 'up') this.#log(`redis: lost ${this.settings.url}${this.#lastError ? ` (${this.#lastError})` : ''}; retrying`);
    else this.#log(`redis: cannot reach ${this.settings.url}${this.#lastError ? ` (${this.#lastError})` : ''}; retrying`);
    for (const l of this.#listeners) {
      try {
        l(state);
      } catch (err) {
        this.#log(`redis: a state listener failed: ${(err as Error).message}`);
      }
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#listeners.clear();
    for (const dup of this.#duplicates) dup.disconnect();
    this.#duplicates.clear();
    try {
      if (this.client.status === 'ready') await this.client.quit();
      else this.client.disconnect();
    } catch {
      this.client.disconnect();
    }
  }
}
