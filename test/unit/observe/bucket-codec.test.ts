// The usage stream's message format: buckets survive encode → decode with every counter, and
// anything malformed is refused (a stream entry of another program must not poison the store).
import { describe, expect, it } from 'vitest';
import { UsageAggregator } from '../../../server/observe/usage-store/aggregator.ts';
import { decodeBuckets, encodeBuckets } from '../../../server/observe/usage-store/bucket-codec.ts';

describe('bucket codec', () => {
  it('round-trips the counters of every entry', () => {
    const agg = new UsageAggregator({ snapshot: () => null });
    const at = Date.UTC(2026, 11, 7, 1, 30, 12);
    agg.outcome({ at, client: 'web', binding: 'chat', provider: 'openai', keyId: 'k1', model: 'gpt-4o-mini', status: 200, attempts: 2, failovers: 1, latencyMs: 42 } as never);
    agg.outcome({ at: at + 70_000, client: 'web', binding: 'chat', provider: 'openai', keyId: 'k1', model: 'gpt-4o-mini', status: 503, attempts: 1, failovers: 0, latencyMs: 900 } as never);
    agg.record({ at, client: 'web', binding: 'chat', provider: 'openai', keyId: 'k1', model: 'gpt-4o-mini', usage: { inputTokens: 5, outputTokens: 3 }, cost: 0.25, currency: 'EUR' } as never);
    const buckets = agg.take();
    const back = decodeBuckets(encodeBuckets(buckets));
    expect(back.map((b) => b.t)).toEqual(buckets.map((b) => b.t));
    const flat = (bs: typeof buckets) => bs.flatMap((b) => [...b.entries.values(), ...b.retired].map((e) => ({ t: b.t, ...e.dims, ...e.c })));
    expect(flat(back)).toEqual(flat(buckets));
    expect(flat(back).find((e) => e.currency === 'EUR')?.cost).toBe(0.25);
  });

  it('refuses what is not a usage message', () => {
    expect(() => decodeBuckets('{"v":2,"b":[]}')).toThrow(/version 1/);
    expect(() => decodeBuckets('{"v":1,"b":[{"t":12345,"e":[]}]}')).toThrow(/minute/);
    expect(() => decodeBuckets('{"v":1,"b":[{"t":60000,"e":[[["a"],[1]]]}]}')).toThrow(/dims, counters/);
    expect(() => decodeBuckets('{"v":1,"b":[{"t":60000,"e":[[["a","b","c","d","e","f","g"],[1,"x"]]]}]}')).toThrow(/dims, counters/);
  });
});
