// GET /api/analytics/overview: the period's totals and a series with one point per step
// (requests, errors, success rate, latency percentiles, tokens, cost). Steps without traffic
// are zeros, and null where a figure needs requests (success rate, percentiles).
import type { OverviewAnswer } from './types.ts';
import { pointIndex } from './period.ts';
import { addRow, emptyTally, summarize, roundCost, type Tally } from './summary.ts';
import { select, type AnalyticsQuery, type AnalyticsSources, type Selection } from './sources.ts';

export async function overview(sources: AnalyticsSources, query: AnalyticsQuery): Promise<OverviewAnswer> {
  return overviewOf(await select(sources, query));
}

export function overviewOf({ period, rows, currency, otherCurrencies, window }: Selection): OverviewAnswer {
  const total = emptyTally();
  const points: Tally[] = period.starts.map(() => emptyTally());
  for (const row of rows) {
    addRow(total, row, currency);
    const i = pointIndex(period.starts, row.t);
    if (i >= 0) addRow(points[i], row, currency);
  }
  const summaries = points.map(summarize);
  return {
    ...window,
    totals: summarize(total),
    series: {
      t: period.starts,
      requests: summaries.map((s) => s.requests),
      errors: summaries.map((s) => s.errors),
      successRate: summaries.map((s) => s.successRate),
      p50Ms: summaries.map((s) => s.p50Ms),
      p95Ms: summaries.map((s) => s.p95Ms),
      p99Ms: summaries.map((s) => s.p99Ms),
      inputTokens: summaries.map((s) => s.inputTokens),
      outputTokens: summaries.map((s) => s.outputTokens),
      cost: summaries.map((s) => roundCost(s.cost)),
    },
    otherCurrencies,
  };
}
