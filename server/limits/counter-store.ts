// Where the limiter keeps its counters. The in-memory store (memory-counter-store.ts) is exact in
// one process; a shared store (Redis, a later issue) implements the same interface so that
// several hubs count together, without a change to the limiter or the proxy:
// - checkAndAdd is one atomic step over every limit of a request (a Lua script over the keys):
//   either every op fits and all are added, or none is added;
// - a window counter expires with its window (Redis: PEXPIREAT), a bucket is a level and the
//   instant of that level (drained by the store at `now`), and expires once drained;
// - a store may answer with a Promise (network); the in-memory one answers at once, and the
//   limiter awaits only when it gets a Promise; the Promise never rejects (a store falls back).
// With sil.yaml `redis:` the hub counts through SharedCounterStore (shared-counter-store.ts):
// RedisCounterStore while Redis answers, else each op's failMode (local, open, closed).
import type { FailMode } from '../cluster/redis-settings.ts';

export type { FailMode } from '../cluster/redis-settings.ts';

/** A counter of a fixed window (quota, budget): `used + amount <= max`, or with amount 0 `used < max`. */
export interface WindowOp {
  type: 'window';
  key: string;
  amount: number;
  max: number;
  /** When the window ends and the counter may be dropped, epoch ms. */
  expiresAt: number;
  /** What to do when the shared store cannot be reached (the policy's failMode; default sil.yaml redis.failMode). */
  failMode?: FailMode;
}

/** A token bucket (rateLimit): fits while level + amount <= capacity; drains at refillPerMs. */
export interface BucketOp {
  type: 'bucket';
  key: string;
  amount: number;
  capacity: number;
  refillPerMs: number;
  failMode?: FailMode;
}

export type CounterOp = WindowOp | BucketOp;

export interface CheckResult {
  /** Index of the first op that did not fit, or -1 when all fitted and were added. */
  refused: number;
  /**
   * Per op: the count after adding (all fitted) or as it is (refused: nothing was added). An op
   * counted nowhere (shared store unreachable, failMode open) and the ops after a refused one
   * have no entry.
   */
  used: number[];
  /** The refused op was refused because the shared store cannot be reached and its failMode is closed. */
  unavailable?: boolean;
  /** Counted in this instance's memory because the shared store could not be reached (failMode local). */
  local?: boolean;
}

/** How an add() is to be counted: the policy's failMode, or in this instance's memory (where its reservation was counted). */
export interface AddOptions {
  failMode?: FailMode;
  local?: boolean;
}

/** One counter as the store holds it: a window's count, or a bucket's level at `at`. */
export interface CounterEntry {
  key: string;
  value: number;
  /** Window: when it ends. Bucket: when it will have drained to empty. */
  expiresAt: number;
  /** Bucket only: the instant of `value` (a bucket's level drains from there). */
  at?: number;
}

export interface CounterStore {
  /** Adds every op's amount when all fit (atomically), else none. */
  checkAndAdd(ops: readonly CounterOp[], now: number): CheckResult | Promise<CheckResult>;
  /**
   * Adds to a window counter without a limit (settling a reservation to the real count, a cost,
   * releasing a reservation with a negative amount; never below 0). Answers the new count.
   */
  add(key: string, amount: number, expiresAt: number, now: number, opts?: AddOptions): number | Promise<number>;
  /** The live counters this process knows (for status; a shared store answers from what it last saw). */
  entries(now: number): Iterable<CounterEntry>;
}

/** A result that may come now or later, handled without a Promise when it comes now. */
export function andThen<T, U>(value: T | Promise<T>, fn: (v: T) => U): U | Promise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
