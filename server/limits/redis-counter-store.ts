// The counters in Redis, shared by every hub that uses the same Redis and key prefix: one Lua
// script per checkAndAdd (every op of a request, all or nothing) and per add (redis-scripts.ts),
// keys `<keyPrefix>limit:<counter key>`. Commands reject when Redis cannot answer; the
// SharedCounterStore in front of this one decides what a request then gets (failMode).
// entries() answers from what this hub last saw: its own results, and a refresh from Redis
// (at most once a second, started by a status read) that also brings the counters peers wrote.
import type { Redis } from 'ioredis';
import type { CheckResult, CounterEntry, CounterOp } from './counter-store.ts';
import { ADD, CHECK_AND_ADD } from './redis-scripts.ts';

/** What the store needs of the cluster's RedisConnection. */
export interface RedisKeyspace {
  client: Redis;
  key(name: string): string;
}

interface Scripted {
  silLimitCheckAndAdd(numKeys: number, ...args: (string | number)[]): Promise<(number | string)[]>;
  silLimitAdd(key: string, amount: string, expiresAt: string): Promise<string>;
}

const defined = new WeakSet<Redis>();
const REFRESH_MS = 1_000;
/** Keys a refresh reads at most (a status of more counters shows the rest from this hub's own results). */
const REFRESH_MAX_KEYS = 5_000;

function scripted(client: Redis): Scripted {
  if (!defined.has(client)) {
    // EVALSHA, and EVAL when Redis does not know the script (a restarted Redis).
    client.defineCommand('silLimitCheckAndAdd', { lua: CHECK_AND_ADD });
    client.defineCommand('silLimitAdd', { lua: ADD, numberOfKeys: 1 });
    defined.add(client);
  }
  return client as unknown as Scripted;
}

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

export class RedisCounterStore {
  readonly #redis: RedisKeyspace;
  readonly #prefix: string;
  readonly #seen = new Map<string, CounterEntry>();
  #refreshedAt = 0;
  #refreshing: Promise<void> | null = null;

  constructor(redis: RedisKeyspace) {
    this.#redis = redis;
    this.#prefix = redis.key('limit:');
  }

  async checkAndAdd(ops: readonly CounterOp[], now: number): Promise<CheckResult> {
    const keys: string[] = [];
    const args: string[] = [String(now)];
    for (const op of ops) {
      keys.push(this.#prefix + op.key);
      if (op.type === 'window') args.push('w', String(op.amount), String(op.max), String(op.expiresAt));
      else args.push('b', String(op.amount), String(op.capacity), String(op.refillPerMs));
    }
    const reply = await scripted(this.#redis.client).silLimitCheckAndAdd(keys.length, ...keys, ...args);
    const refused = Number(reply[0]);
    const used = new Array<number>(ops.length);
    for (let i = 1; i < reply.length; i++) used[i - 1] = Number(reply[i]);
    for (let i = 0; i < reply.length - 1; i++) this.#saw(ops[i], used[i], now);
    return { refused, used };
  }

  async add(key: string, amount: number, expiresAt: number, now: number): Promise<number> {
    if (expiresAt <= now) return 0; // a window that has ended: nothing left to settle
    const value = Number(await scripted(this.#redis.client).silLimitAdd(this.#prefix + key, String(amount), String(expiresAt)));
    if (value > 0 || this.#seen.has(key)) this.#seen.set(key, { key, value, expiresAt });
    return value;
  }

  /** The counters as last seen; starts a refresh from Redis when the last is over a second old. */
  entries(now: number): Iterable<CounterEntry> {
    if (now - this.#refreshedAt >= REFRESH_MS) void this.refresh(now);
    return this.lastSeen(now);
  }

  /** What this hub last saw (the fallback starts from it when Redis goes away). */
  lastSeen(now: number): CounterEntry[] {
    const out: CounterEntry[] = [];
    for (const [key, e] of this.#seen) {
      if (e.expiresAt <= now) this.#seen.delete(key);
      else out.push(e);
    }
    return out;
  }

  /** Reads every counter under the prefix (bounded) into what entries() answers. Never rejects. */
  refresh(now: number): Promise<void> {
    this.#refreshedAt = now;
    this.#refreshing ??= this.#refresh(now).catch(() => {}).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refresh(now: number): Promise<void> {
    const client = this.#redis.client;
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${globEscape(this.#prefix)}*`, 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0' && found.length < REFRESH_MAX_KEYS);
    const complete = cursor === '0';
    const pipe = client.pipeline();
    for (const k of found) {
      if (k.startsWith(`${this.#prefix}rate|`)) pipe.hmget(k, 'l', 't', 'e');
      else pipe.get(k).pttl(k);
    }
    const replies = (await pipe.exec()) ?? [];
    const fresh = new Map<string, CounterEntry>();
    let r = 0;
    for (const k of found) {
      const key = k.slice(this.#prefix.length);
      if (key.startsWith('rate|')) {
        const [l, t, e] = (replies[r++]?.[1] ?? []) as (string | null)[];
        if (l != null && t != null && e != null) fresh.set(key, { key, value: Number(l), at: Number(t), expiresAt: Number(e) });
      } else {
        const v = replies[r++]?.[1] as string | null;
        const ttl = replies[r++]?.[1] as number;
        if (v != null && ttl > 0) fresh.set(key, { key, value: Number(v), expiresAt: now + ttl });
      }
    }
    if (complete) this.#seen.clear();
    for (const [key, e] of fresh) this.#seen.set(key, e);
  }

  #saw(op: CounterOp, value: number, now: number): void {
    if (!Number.isFinite(value)) return;
    if (op.type === 'window') {
      if (value > 0 || this.#seen.has(op.key)) this.#seen.set(op.key, { key: op.key, value, expiresAt: op.expiresAt });
    } else if (value > 0) {
      this.#seen.set(op.key, { key: op.key, value, at: now, expiresAt: now + value / op.refillPerMs });
    } else this.#seen.delete(op.key);
  }
}
