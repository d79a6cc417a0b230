// The usage store's contract: rollup rows per time bucket and dimensions, how they are queried,
// and what the proxy's recorders feed it. The store (this folder) implements UsageStore; the
// analytics (observe/analytics/) read through UsageQuery only.

export type Granularity = 'minute' | 'hour' | 'day';

/** Retention of each granularity (minute 48 h, hour 90 days, day 2 years). */
export const RETENTION_MS: Readonly<Record<Granularity, number>> = Object.freeze({ minute: 48 * 3_600_000, hour: 90 * 86_400_000, day: 731 * 86_400_000 });

/**
 * Upper bounds (ms, inclusive) of the latency histogram's buckets; the last bucket counts
 * everything above the last bound. Percentiles are derived from these counts.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = Object.freeze([1, 2, 5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 30_000, 60_000, 120_000]);

/** What a row is counted per. '' where not known (e.g. no attempt was made). */
export interface UsageDims {
  client: string;
  binding: string;
  provider: string;
  /** The key's id in secrets/<provider>.yaml and its fingerprint (sha256:…, …last4) when the key was known. */
  keyId: string;
  fingerprint: string;
  model: string;
  /** The currency of `cost` (the pricing's, default USD). */
  currency: string;
}

export interface UsageCounters {
  requests: number;
  /** Answers with status < 400 (provider or sil). */
  ok: number;
  clientErrors: number;
  serverErrors: number;
  /** Refused by a policy limit (SIL_LIMIT_*). */
  limited: number;
  attempts: number;
  failovers: number;
  /** Counts per LATENCY_BOUNDS_MS bucket (length LATENCY_BOUNDS_MS.length + 1). */
  latency: number[];
  latencySumMs: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  /** Caller feedback (POST /v1/feedback): sum of scores in 0..1 and how many. */
  scoreSum: number;
  scoreCount: number;
}

export interface RollupRow extends UsageDims, UsageCounters {
  /** Start of the bucket, epoch ms (day buckets start at midnight in sil.yaml's timeZone). */
  t: number;
}

export interface UsageQuery {
  /**
   * Rows whose bucket starts in [fromMs, toMs), including what is still in memory and not yet
   * flushed. Sorted by t. `filter` keeps rows whose dims equal each given value. Async: older
   * rows are read from disk when asked for (only the files that may still change stay in memory).
   */
  rows(granularity: Granularity, fromMs: number, toMs: number, filter?: Partial<UsageDims>): Promise<RollupRow[]>;
  /** The time zone day buckets were cut in (sil.yaml timeZone when the store was opened / last flushed). */
  timeZone(): string;
}

export interface UsageStore extends UsageQuery {
  /** Adds a caller's score (0..1) for a request with these dims, at `at`. */
  addScore(dims: UsageDims, score: number, at: number): void;
  /** Writes what is in memory now (atomically); resolves when it is on disk. */
  flush(): Promise<void>;
  /** Stops the flush timer after a last flush. */
  close(): Promise<void>;
}
