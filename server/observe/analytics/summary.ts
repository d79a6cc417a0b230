// Adding up rollup rows into a Summary: counters summed, latency histograms merged and read for
// percentiles, cost kept to one currency. Pure.
import type { RollupRow, UsageCounters } from '../usage-store/types.ts';
import { addCounters, emptyCounters } from '../usage-store/counters.ts';
import { percentile } from '../usage-store/latency.ts';
import type { Summary } from './types.ts';

/** Counters of rows added together (one per point of a series, per breakdown key, ...); cost in one currency only. */
export type Tally = UsageCounters;

export const emptyTally: () => Tally = emptyCounters;

/** Adds a row; its cost counts only when it is in `currency` (or there was none). */
export function addRow(t: Tally, row: RollupRow, currency: string): void {
  const cost = t.cost;
  addCounters(t, row);
  if (row.cost !== 0 && row.currency !== currency && row.currency !== '') t.cost = cost;
}

/** The latency (ms) at or below which a share `p` (0..1) of the requests were answered, from the histogram (usage-store/latency.ts), to 0.1 ms. */
export function latencyPercentile(counts: readonly number[], p: number): number | null {
  const ms = percentile(counts, p * 100);
  return ms === null ? null : round(ms);
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
/** Rounds away floating-point dust from sums of costs (to 1e-8, as prices are: observe/usage.ts). */
export const roundCost = (n: number) => Math.round(n * 1e8) / 1e8;

export function summarize(t: Tally): Summary {
  const measured = t.latency.reduce((a, b) => a + b, 0);
  return {
    requests: t.requests,
    ok: t.ok,
    errors: t.requests - t.ok,
    limited: t.limited,
    successRate: t.requests > 0 ? round(t.ok / t.requests, 4) : null,
    p50Ms: latencyPercentile(t.latency, 0.5),
    p95Ms: latencyPercentile(t.latency, 0.95),
    p99Ms: latencyPercentile(t.latency, 0.99),
    avgLatencyMs: measured > 0 ? round(t.latencySumMs / measured) : null,
    attempts: t.attempts,
    failovers: t.failovers,
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cost: roundCost(t.cost),
    score: t.scoreCount > 0 ? round(t.scoreSum / t.scoreCount, 4) : null,
    scoreCount: t.scoreCount,
  };
}

/**
 * The currency answers report cost in: the one most priced requests were in (amounts of
 * different currencies do not compare), USD when nothing cost anything. Costs of other
 * currencies are listed apart and never added to it.
 */
export function mainCurrency(rows: readonly RollupRow[]): { currency: string; others: { currency: string; cost: number }[] } {
  const byCurrency = new Map<string, { requests: number; cost: number }>();
  for (const r of rows) {
    if (r.cost === 0 || !r.currency) continue;
    const c = byCurrency.get(r.currency);
    if (c) {
      c.requests += r.requests;
      c.cost += r.cost;
    } else byCurrency.set(r.currency, { requests: r.requests, cost: r.cost });
  }
  let currency = 'USD';
  let most = -1;
  for (const [c, { requests }] of byCurrency) {
    if (requests > most || (requests === most && c < currency)) {
      currency = c;
      most = requests;
    }
  }
  const others = [...byCurrency].filter(([c]) => c !== currency).map(([c, { cost }]) => ({ currency: c, cost: roundCost(cost) })).sort((a, b) => a.currency.localeCompare(b.currency));
  return { currency, others };
}
