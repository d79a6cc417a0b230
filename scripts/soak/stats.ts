// What the load measured in one interval: counts by outcome, the latencies of answered requests,
// and why requests failed. Pure.

/** How a request ended: ok (2xx, whole and well-formed), error (an answer, not 2xx), lost (no answer, a connection error, a cut stream). */
export type Outcome = 'ok' | 'error' | 'lost';

/** The p-th percentile (0–100) of ascending values, nearest rank; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Percentiles { p50: number; p95: number; p99: number }

export function percentilesOf(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

export class IntervalStats {
  requests = 0;
  ok = 0;
  errors = 0;
  lost = 0;
  /** Requests the load did not start because too many were in flight. */
  shed = 0;
  /** Latencies (ms, to the answer's last byte) of the ok requests. */
  readonly latencies: number[] = [];
  /** Why requests were not ok: reason → count. */
  readonly reasons = new Map<string, number>();

  add(outcome: Outcome, ms: number, reason?: string): void {
    this.requests++;
    this[outcome === 'ok' ? 'ok' : outcome === 'error' ? 'errors' : 'lost']++;
    if (outcome === 'ok') this.latencies.push(ms);
    else if (reason) this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  /** Adds another interval's figures (for the summary). */
  merge(other: IntervalStats): void {
    this.requests += other.requests;
    this.ok += other.ok;
    this.errors += other.errors;
    this.lost += other.lost;
    this.shed += other.shed;
    for (const ms of other.latencies) this.latencies.push(ms);
    for (const [r, n] of other.reasons) this.reasons.set(r, (this.reasons.get(r) ?? 0) + n);
  }

  /** The reasons, most frequent first: "stream cut ×3, 502 ×1". */
  reasonsText(limit = 4): string {
    const sorted = [...this.reasons].sort((a, b) => b[1] - a[1]);
    const shown = sorted.slice(0, limit).map(([r, n]) => `${r} ×${n}`);
    if (sorted.length > limit) shown.push(`${sorted.length - limit} more`);
    return shown.join(', ');
  }
}
