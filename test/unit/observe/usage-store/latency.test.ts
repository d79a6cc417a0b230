import { describe, it, expect } from 'vitest';
import { latencyBucket, percentile, LATENCY_BUCKETS } from '../../../../server/observe/usage-store/latency.ts';
import { LATENCY_BOUNDS_MS } from '../../../../server/observe/usage-store/types.ts';

const histogram = (entries: Record<number, number>) => {
  const h = new Array<number>(LATENCY_BUCKETS).fill(0);
  for (const [i, n] of Object.entries(entries)) h[Number(i)] = n;
  return h;
};

describe('latency histogram', () => {
  it('counts a latency in the first bucket whose bound is at least it, the open bucket above the last', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(1)).toBe(0);
    expect(latencyBucket(1.01)).toBe(1);
    expect(latencyBucket(50)).toBe(LATENCY_BOUNDS_MS.indexOf(50));
    expect(latencyBucket(51)).toBe(LATENCY_BOUNDS_MS.indexOf(75));
    expect(latencyBucket(120_000)).toBe(LATENCY_BOUNDS_MS.length - 1);
    expect(latencyBucket(120_001)).toBe(LATENCY_BOUNDS_MS.length);
    for (let ms = 0; ms < 130_000; ms += 37) {
      const i = latencyBucket(ms);
      const lower = i === 0 ? -Infinity : LATENCY_BOUNDS_MS[i - 1];
      const upper = i === LATENCY_BOUNDS_MS.length ? Infinity : LATENCY_BOUNDS_MS[i];
      expect(ms > lower && ms <= upper).toBe(true);
    }
  });

  it('reads percentiles back, interpolating within the bucket', () => {
    const i100 = LATENCY_BOUNDS_MS.indexOf(100); // (75, 100]
    const h = histogram({ [i100]: 100 });
    expect(percentile(h, 50)).toBe(87.5);
    expect(percentile(h, 100)).toBe(100);
    expect(percentile(h, 0)).toBe(75);
    const two = histogram({ 0: 90, [i100]: 10 }); // 90 at ≤1 ms, 10 at 75..100 ms
    expect(percentile(two, 50)).toBeCloseTo(50 / 90, 10);
    expect(percentile(two, 95)).toBe(87.5);
    expect(percentile(two, 99)).toBeCloseTo(97.5, 10);
  });

  it('has no percentile without requests, and answers the last bound for the open bucket', () => {
    expect(percentile(histogram({}), 50)).toBeNull();
    expect(percentile(histogram({ [LATENCY_BOUNDS_MS.length]: 3 }), 99)).toBe(120_000);
  });
});
