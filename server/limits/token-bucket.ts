// The token bucket of a rateLimit, kept as its fill level: every admitted request adds 1, and the
// level drains at `requests` per `per` (so a full bucket refills in capacity / rate). A request
// fits while level + 1 <= capacity (`burst`, default `requests`). Keeping the level (not the
// tokens left) lets a changed policy keep its count: the same level under new numbers. Pure.

export interface BucketShape {
  capacity: number;
  /** Drain rate, requests per millisecond. */
  refillPerMs: number;
}

/** The level at `now` of a bucket that was at `level` at instant `at`. */
export function levelAt(level: number, at: number, shape: BucketShape, now: number): number {
  return Math.max(0, level - Math.max(0, now - at) * shape.refillPerMs);
}

/** Whether `amount` more fits at this level. */
export function bucketFits(level: number, amount: number, shape: BucketShape): boolean {
  return level + amount <= shape.capacity + 1e-9;
}

/** Milliseconds until `amount` more fits (0 when it fits now; Infinity when it never will). */
export function msUntilFits(level: number, amount: number, shape: BucketShape): number {
  const over = level + amount - shape.capacity;
  if (over <= 1e-9) return 0;
  if (amount > shape.capacity) return Infinity;
  return over / shape.refillPerMs;
}

/** Milliseconds until the bucket is empty (full capacity available again). */
export function msUntilEmpty(level: number, shape: BucketShape): number {
  return level <= 0 ? 0 : level / shape.refillPerMs;
}

const PER_MS = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type RatePer = keyof typeof PER_MS;

/** The bucket of `requests` per `per` with an optional burst (default: `requests`). */
export function bucketShape(requests: number, per: RatePer, burst?: number): BucketShape {
  return { capacity: burst ?? requests, refillPerMs: requests / PER_MS[per] };
}
