// The latency histogram: which bucket a latency falls in (a binary search over
// LATENCY_BOUNDS_MS, cheap enough for every request) and percentiles read back from the counts.
import { LATENCY_BOUNDS_MS } from './types.ts';

const BOUNDS = LATENCY_BOUNDS_MS;
/** Buckets per histogram: one per bound plus the open one above the last bound. */
export const LATENCY_BUCKETS = BOUNDS.length + 1;

/** Index of the bucket `ms` is counted in: the first bound >= ms, or the last (open) bucket. */
export function latencyBucket(ms: number): number {
  let lo = 0;
  let hi = BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (BOUNDS[mid] < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The p-th percentile (0..100) of a histogram of LATENCY_BOUNDS_MS counts, in ms, interpolated
 * linearly within the bucket it falls in (the first bucket starts at 0; the open bucket above
 * the last bound answers that bound, as nothing is known of its width). null when empty.
 */
export function percentile(latencyCounts: readonly number[], p: number): number | null {
  let total = 0;
  for (const n of latencyCounts) total += n;
  if (total === 0) return null;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * total;
  let below = 0;
  for (let i = 0; i < latencyCounts.length; i++) {
    const n = latencyCounts[i];
    if (n === 0) continue;
    if (below + n >= rank) {
      if (i >= BOUNDS.length) return BOUNDS[BOUNDS.length - 1];
      const lower = i === 0 ? 0 : BOUNDS[i - 1];
      const upper = BOUNDS[i];
      return lower + ((rank - below) / n) * (upper - lower);
    }
    below += n;
  }
  return BOUNDS[BOUNDS.length - 1];
}
