// Where deliveries and endpoint states go, following sil.yaml `redis:` from commit to commit:
// - no `redis:`: this instance's journal and endpoints.json, exactly as a single hub;
// - `redis:` and Redis up: Redis, shared by every instance (the local files only buffer);
// - `redis:` but Redis unreachable: the local files, so that no event is lost; `onBuffered`
//   asks for them to be moved into Redis once it is back (buffer-move.ts). Only the leader
//   claims deliveries, and only from Redis: what waits here is sent after it has moved.
import type { RedisConnection } from '../cluster/redis-connection.ts';
import type { DeliveryStore, EndpointStore, LocalDeliveryStore } from './delivery-store.ts';
import type { EndpointStates } from './endpoint-states.ts';
import type { RedisDeliveryStore } from './redis-journal.ts';
import type { RedisEndpointStates } from './redis-endpoint-states.ts';
import type { Delivery, EndpointState } from './types.ts';

export interface SwitchOptions<R> {
  /** The configured connection in whatever state (null without `redis:`). */
  connection: () => RedisConnection | null;
  /** The Redis side for a connection. */
  redis: (conn: RedisConnection) => R;
  /** Something was kept locally although `redis:` is configured. */
  onBuffered: () => void;
  log: (line: string) => void;
}

/** The Redis side while the configured connection is up, else null. */
function upSide<R>(o: SwitchOptions<R>): R | null {
  const conn = o.connection();
  return conn && conn.state === 'up' ? o.redis(conn) : null;
}

export class SwitchedDeliveryStore implements DeliveryStore {
  readonly #local: LocalDeliveryStore;
  readonly #o: SwitchOptions<RedisDeliveryStore>;
  #lastError: string | null = null;

  constructor(local: LocalDeliveryStore, opts: SwitchOptions<RedisDeliveryStore>) {
    this.#local = local;
    this.#o = opts;
  }

  get shared(): boolean {
    return this.#o.connection() !== null;
  }

  async get(id: string): Promise<Delivery | undefined> {
    return (await this.#tryRedis((r) => r.get(id))) ?? this.#local.get(id);
  }

  async list(subscription: string): Promise<Delivery[]> {
    return merge(await this.#tryRedis((r) => r.list(subscription)), await this.#local.list(subscription));
  }

  async pendingOf(subscription: string): Promise<Delivery[]> {
    return merge(await this.#tryRedis((r) => r.pendingOf(subscription)), await this.#local.pendingOf(subscription));
  }

  async save(d: Delivery, now: number): Promise<void> {
    if (!this.shared) return this.#local.save(d, now);
    const r = upSide(this.#o);
    if (r) {
      try {
        await r.save(d, now);
        this.#lastError = null;
        // A copy kept here earlier (Redis blinked) is older: it must not move over this one.
        const stale = this.#local.journal.get(d.id);
        if (stale) await this.#local.journal.remove(stale, now);
        return;
      } catch (err) {
        this.#report(err as Error);
      }
    }
    await this.#local.save(d, now);
    this.#o.onBuffered();
  }

  claimDue(now: number, max: number, exclude: ReadonlySet<string>): Delivery[] | Promise<Delivery[]> {
    if (!this.shared) return this.#local.claimDue(now, max, exclude);
    const r = upSide(this.#o);
    return r ? r.claimDue(now, max, exclude) : [];
  }

  async release(d: Delivery): Promise<void> {
    if (!this.shared) return this.#local.release();
    await upSide(this.#o)?.release(d);
  }

  nextDue(exclude: ReadonlySet<string>): number | null {
    return this.shared ? null : this.#local.nextDue(exclude);
  }

  close(): Promise<void> {
    return this.#local.close();
  }

  async #tryRedis<T>(read: (r: RedisDeliveryStore) => Promise<T>): Promise<T | undefined> {
    const r = this.shared ? upSide(this.#o) : null;
    if (!r) return undefined;
    try {
      return await read(r);
    } catch (err) {
      this.#report(err as Error);
      return undefined;
    }
  }

  #report(err: Error): void {
    if (this.#lastError !== err.message) this.#o.log(`webhooks: Redis: ${err.message}; deliveries are kept in this instance's journal until it answers`);
    this.#lastError = err.message;
  }
}

/** Redis first (it holds the newer copy of an id in both), then what waits locally; newest first. */
function merge(shared: Delivery[] | undefined, local: Delivery[]): Delivery[] {
  if (!shared) return local;
  const ids = new Set(shared.map((d) => d.id));
  return [...shared, ...local.filter((d) => !ids.has(d.id))].sort((a, b) => b.createdAt - a.createdAt || (b.id < a.id ? -1 : 1));
}

export class SwitchedEndpointStates implements EndpointStore {
  readonly #local: EndpointStates;
  readonly #o: SwitchOptions<RedisEndpointStates>;
  /** As last read from or written to Redis. */
  readonly #seen = new Map<string, EndpointState>();
  /** Changed while Redis was unreachable: written to it when it is back. */
  readonly #dirty = new Set<string>();

  constructor(local: EndpointStates, opts: SwitchOptions<RedisEndpointStates>) {
    this.#local = local;
    this.#o = opts;
  }

  get(name: string): EndpointState {
    if (!this.#o.connection()) return this.#local.get(name);
    return this.#seen.get(name) ?? this.#local.get(name);
  }

  async read(name: string): Promise<EndpointState> {
    const r = this.#o.connection() ? upSide(this.#o) : null;
    if (!r || this.#dirty.has(name)) return this.get(name);
    try {
      const s = await r.read(name);
      this.#seen.set(name, s);
      return s;
    } catch {
      return this.get(name);
    }
  }

  async update(name: string, change: (s: EndpointState) => EndpointState): Promise<EndpointState> {
    if (!this.#o.connection()) return this.#local.update(name, change);
    const after = change({ ...(await this.read(name)) });
    const r = upSide(this.#o);
    if (r && !this.#dirty.has(name)) {
      try {
        await r.write(name, after);
        this.#seen.set(name, after);
        return after;
      } catch {
        // unreachable: kept here below
      }
    }
    this.#seen.set(name, after);
    this.#dirty.add(name);
    await this.#local.update(name, () => after);
    this.#o.onBuffered();
    return after;
  }

  /** Whether states wait here for Redis. */
  get waiting(): boolean {
    return this.#dirty.size > 0 || this.#local.entries().length > 0;
  }

  /**
   * Writes the states changed while Redis was unreachable, seeds the ones this instance had
   * before `redis:` (where Redis has none), and clears them here: the local file only buffers.
   */
  async flush(r: RedisEndpointStates): Promise<void> {
    for (const [name, state] of this.#local.entries()) {
      if (this.#dirty.has(name)) await r.write(name, this.#seen.get(name) ?? state);
      else await r.seed(name, state);
      this.#dirty.delete(name);
      this.#seen.delete(name);
      await this.#local.update(name, () => ({}));
    }
    for (const name of [...this.#dirty]) {
      await r.write(name, this.#seen.get(name) ?? {});
      this.#dirty.delete(name);
    }
  }
}
