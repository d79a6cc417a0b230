import { describe, it, expect } from 'vitest';
import { addRow, emptyTally, latencyPercentile, mainCurrency, summarize } from '../../../../server/observe/analytics/summary.ts';
import { LATENCY_BOUNDS_MS } from '../../../../server/observe/usage-store/types.ts';
import { histogram, row, T0 } from './fake-usage.ts';

describe('latency percentiles from histograms', () => {
  it('interpolates inside the bucket the share is reached in', () => {
    // 20 answers in (20, 35] ms: the median is halfway, p95 at 95 % of the bucket.
    const h = histogram(new Array(20).fill(30));
    expect(latencyPercentile(h, 0.5)).toBe(27.5);
    expect(latencyPercentile(h, 0.95)).toBe(34.3);
    expect(latencyPercentile(h, 1)).toBe(35);
  });

  it('reads across buckets', () => {
    // 90 fast (≤ 1 ms), 10 slow in (750, 1000]: p50 in the first bucket, p95 and p99 in the slow one.
    const h = histogram([...new Array(90).fill(1), ...new Array(10).fill(900)]);
    expect(latencyPercentile(h, 0.5)).toBe(0.6);
    expect(latencyPercentile(h, 0.95)).toBe(875);
    expect(latencyPercentile(h, 0.99)).toBe(975);
  });

  it('is null without requests and the last bound above it', () => {
    expect(latencyPercentile(histogram([]), 0.5)).toBeNull();
    expect(latencyPercentile(histogram([500_000]), 0.99)).toBe(LATENCY_BOUNDS_MS.at(-1));
  });
});

describe('summaries of rows', () => {
  it('adds rows up: errors, success rate, average latency, tokens, cost and score', () => {
    const t = emptyTally();
    addRow(t, row({ t: T0, requests: 15, latencyMs: 100, inputTokens: 75, outputTokens: 45, cost: 0.15, scores: [1, 0.5] }), 'USD');
    addRow(t, row({ t: T0, requests: 5, failed: 4, limited: 1, latencyMs: 300 }), 'USD');
    const s = summarize(t);
    expect(s).toMatchObject({ requests: 20, ok: 15, errors: 5, limited: 1, successRate: 0.75, avgLatencyMs: 150, inputTokens: 75, outputTokens: 45, cost: 0.15, score: 0.75, scoreCount: 2, attempts: 20, failovers: 0 });
    expect(s.p50Ms).toBeGreaterThan(75);
    expect(s.p50Ms).toBeLessThanOrEqual(100);
    expect(s.p95Ms).toBeGreaterThan(200);
  });

  it('is empty with nulls where a figure needs requests', () => {
    expect(summarize(emptyTally())).toEqual({ requests: 0, ok: 0, errors: 0, limited: 0, successRate: null, p50Ms: null, p95Ms: null, p99Ms: null, avgLatencyMs: null, attempts: 0, failovers: 0, inputTokens: 0, outputTokens: 0, cost: 0, score: null, scoreCount: 0 });
  });

  it('reports cost in the main currency and never adds other currencies to it', () => {
    // EUR: most priced requests (amounts of different currencies do not compare); GBP cost nothing.
    const rows = [row({ t: T0, requests: 2, cost: 2000, currency: 'JPY' }), row({ t: T0, requests: 3, cost: 5, currency: 'EUR' }), row({ t: T0, cost: 1, currency: 'SAR' }), row({ t: T0, requests: 9, cost: 0, currency: 'GBP' })];
    expect(mainCurrency(rows)).toEqual({ currency: 'EUR', others: [{ currency: 'JPY', cost: 2000 }, { currency: 'SAR', cost: 1 }] });
    const t = emptyTally();
    for (const r of rows) addRow(t, r, 'EUR');
    expect(summarize(t).cost).toBe(5);
    expect(mainCurrency([row({ t: T0 })])).toEqual({ currency: 'USD', others: [] });
  });

  it('rounds floating-point dust off summed costs', () => {
    const t = emptyTally();
    for (let i = 0; i < 10; i++) addRow(t, row({ t: T0, cost: 0.1 }), 'USD');
    expect(summarize(t).cost).toBe(1);
  });
});
