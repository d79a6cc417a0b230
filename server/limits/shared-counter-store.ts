// The limiter's counter store when the hub may share its counters (server/cluster): without
// sil.yaml `redis:` every call goes straight to the in-memory store, synchronously, as on a
// single hub. With Redis up, counts go to RedisCounterStore. While Redis is configured but cannot
// answer (down, a command that fails or times out), each op follows its
// failMode (fallback-check.ts) and this store reports the problem (the hub raises the alert
// `shared-state-unavailable:redis`) until Redis answers again. Right after start (or a new
// `redis:`), requests wait for the first connection, at most connectTimeoutMs. Never rejects.
import type { Redis } from 'ioredis';
import type { AddOptions, CheckResult, CounterEntry, CounterOp, CounterStore, FailMode } from './counter-store.ts';
import type { MemoryCounterStore } from './memory-counter-store.ts';
import { RedisCounterStore } from './redis-counter-store.ts';
import { fallbackCheck } from './fallback-check.ts';
import { seedCounters } from './seed-counters.ts';

/** What this store needs of server/cluster's RedisConnection. */
export interface SharedConnection {
  readonly client: Redis;
  readonly state: 'connecting' | 'up' | 'down';
  readonly settings: { url: string; connectTimeoutMs: number };
  readonly lastError: string | null;
  key(name: string): string;
  onState(listener: (state: 'connecting' | 'up' | 'down') => void): () => void;
}

/** What this store needs of server/cluster's Cluster. */
export interface CounterCluster {
  connection(): SharedConnection | null;
  failMode(): FailMode;
  onConnection(listener: (conn: SharedConnection | null) => void): () => void;
}

/** Why the shared counters cannot be used; null when they can (or without Redis). */
export interface SharedStateProblem {
  url: string;
  error: string;
}

/** After a command failed, requests skip Redis for this long (no wait on a hung Redis per request). */
const RETRY_AFTER_FAILURE_MS = 1_000;

interface Shared {
  conn: SharedConnection;
  store: RedisCounterStore;
  off: () => void;
  /** Settles when the first connection attempt has ended (or after connectTimeoutMs). */
  connected?: Promise<void>;
}

export class SharedCounterStore implements CounterStore {
  readonly #memory: MemoryCounterStore;
  readonly #cluster: CounterCluster;
  readonly #onProblem: (p: SharedStateProblem | null) => void;
  readonly #off: () => void;
  #shared: Shared | null = null;
  #failedAt = -Infinity;
  #problem: SharedStateProblem | null = null;

  constructor(memory: MemoryCounterStore, cluster: CounterCluster, onProblem: (p: SharedStateProblem | null) => void = () => {}) {
    this.#memory = memory;
    this.#cluster = cluster;
    this.#onProblem = onProblem;
    this.#off = cluster.onConnection((c) => this.#use(c));
    this.#use(cluster.connection());
  }

  /** The shared store's trouble as it stands (null: fine, or no Redis). */
  get problem(): SharedStateProblem | null {
    return this.#problem;
  }

  checkAndAdd(ops: readonly CounterOp[], now: number): CheckResult | Promise<CheckResult> {
    const shared = this.#shared;
    if (shared === null) return this.#memory.checkAndAdd(ops, now);
    if (shared.conn.state === 'connecting') return this.#connected(shared).then(() => this.#check(shared, ops, now));
    return this.#check(shared, ops, now);
  }

  #check(shared: Shared, ops: readonly CounterOp[], now: number): CheckResult | Promise<CheckResult> {
    if (!this.#usable(shared, now)) return fallbackCheck(ops, now, this.#memory, this.#cluster.failMode());
    return shared.store.checkAndAdd(ops, now).then(
      (r) => {
        this.#answered(shared);
        return r;
      },
      (err: unknown) => {
        this.#failed(shared, err, now);
        return fallbackCheck(ops, now, this.#memory, this.#cluster.failMode());
      },
    );
  }

  add(key: string, amount: number, expiresAt: number, now: number, opts?: AddOptions): number | Promise<number> {
    const shared = this.#shared;
    if (shared === null || opts?.local) return this.#memory.add(key, amount, expiresAt, now);
    if (shared.conn.state === 'connecting') return this.#connected(shared).then(() => this.#add(shared, key, amount, expiresAt, now, opts));
    return this.#add(shared, key, amount, expiresAt, now, opts);
  }

  #add(shared: Shared, key: string, amount: number, expiresAt: number, now: number, opts: AddOptions | undefined): number | Promise<number> {
    if (!this.#usable(shared, now)) return this.#fallbackAdd(key, amount, expiresAt, now, opts);
    return shared.store.add(key, amount, expiresAt, now).then(
      (v) => {
        this.#answered(shared);
        return v;
      },
      (err: unknown) => {
        this.#failed(shared, err, now);
        return this.#fallbackAdd(key, amount, expiresAt, now, opts);
      },
    );
  }

  /** Redis's counters (as last seen) while it answers; this instance's own while it does not. */
  entries(now: number): Iterable<CounterEntry> {
    const shared = this.#shared;
    return shared && this.#usable(shared, now) ? shared.store.entries(now) : this.#memory.entries(now);
  }

  close(): void {
    this.#off();
    this.#shared?.off();
    this.#shared = null;
  }

  /** A local fallback counts a cost or a settlement; open and closed drop it (nothing was counted). */
  #fallbackAdd(key: string, amount: number, expiresAt: number, now: number, opts: AddOptions | undefined): number {
    const mode = opts?.failMode ?? this.#cluster.failMode();
    return mode === 'local' ? this.#memory.add(key, amount, expiresAt, now) : 0;
  }

  #connected(shared: Shared): Promise<void> {
    shared.connected ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(done, shared.conn.settings.connectTimeoutMs);
      timer.unref();
      const off = shared.conn.onState((state) => {
        if (state !== 'connecting') done();
      });
    });
    return shared.connected;
  }

  #usable(shared: Shared, now: number): boolean {
    return shared.conn.state === 'up' && now - this.#failedAt >= RETRY_AFTER_FAILURE_MS;
  }

  #use(conn: SharedConnection | null): void {
    this.#shared?.off();
    this.#shared = null;
    this.#failedAt = -Infinity;
    if (!conn) {
      this.#report(null);
      return;
    }
    const shared: Shared = { conn, store: new RedisCounterStore(conn), off: () => {} };
    shared.off = conn.onState((state) => {
      if (this.#shared !== shared) return;
      if (state === 'up') this.#answered(shared);
      else if (state === 'down') this.#down(shared, conn.lastError ?? 'connection lost', Date.now());
    });
    this.#shared = shared;
    if (conn.state === 'down') this.#down(shared, conn.lastError ?? 'cannot connect', Date.now());
    else this.#report(null);
  }

  #answered(shared: Shared): void {
    if (this.#shared !== shared) return;
    this.#failedAt = -Infinity;
    this.#report(null);
  }

  #failed(shared: Shared, err: unknown, now: number): void {
    if (this.#shared !== shared) return;
    this.#failedAt = now;
    this.#down(shared, (err as Error)?.message ?? String(err), now);
  }

  /** Redis went away: the local fallback starts from the counts last seen there, not from zero. */
  #down(shared: Shared, error: string, now: number): void {
    if (this.#problem === null) seedCounters(this.#memory, shared.store.lastSeen(now), now);
    this.#report({ url: shared.conn.settings.url, error });
  }

  #report(p: SharedStateProblem | null): void {
    const was = this.#problem;
    this.#problem = p;
    if ((was === null) === (p === null)) return;
    try {
      this.#onProblem(p);
    } catch {
      // A failing listener must not break counting.
    }
  }
}
