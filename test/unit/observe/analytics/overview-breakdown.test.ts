import { describe, it, expect } from 'vitest';
import { overview } from '../../../../server/observe/analytics/overview.ts';
import { breakdown } from '../../../../server/observe/analytics/breakdown.ts';
import { SilError } from '../../../../server/errors.ts';
import { FakeUsage, sources, T0 } from './fake-usage.ts';

const MIN = 60_000;

function traffic(): FakeUsage {
  return new FakeUsage().add(
    { t: T0 - 10 * MIN, requests: 15, provider: 'a', keyId: 'k1', fingerprint: 'sha256:aaaa...1111', inputTokens: 75, outputTokens: 45, cost: 0.3, latencyMs: 100 },
    { t: T0 - 10 * MIN, requests: 5, failed: 5, provider: 'a', keyId: 'k1', fingerprint: 'sha256:aaaa...1111', latencyMs: 30 },
    { t: T0 - 3 * MIN, requests: 4, provider: 'b', keyId: 'k9', fingerprint: 'sha256:bbbb...2222', model: 'm2', client: 'batch', inputTokens: 8, outputTokens: 4, cost: 0.02, latencyMs: 200 },
    { t: T0 - 3 * MIN, requests: 2, limited: 2, provider: '', keyId: '', fingerprint: '', model: '', client: 'batch' },
    { t: T0 - 3 * MIN, requests: 1, provider: 'c', keyId: 'k1', model: 'm3', cost: 9, currency: 'EUR' },
    { t: T0 - 2 * 3_600_000, requests: 100 }, // before the hour
  );
}

describe('GET /api/analytics/overview', () => {
  it('answers the totals of the period and a point per step, zeros and nulls where nothing happened', async () => {
    const usage = traffic();
    const a = await overview(sources(usage), { period: '1h' });
    expect(a).toMatchObject({ period: '1h', step: 'minute', stepMs: MIN, timeZone: 'UTC', currency: 'USD', filter: {}, otherCurrencies: [{ currency: 'EUR', cost: 9 }] });
    expect(a.totals).toMatchObject({ requests: 27, ok: 20, errors: 7, limited: 2, successRate: 0.7407, inputTokens: 83, outputTokens: 49, cost: 0.32 });
    expect(a.series.t).toHaveLength(60);
    const at = (t: number) => a.series.t.indexOf(t);
    const i10 = at(T0 - 10 * MIN);
    const i3 = at(T0 - 3 * MIN);
    expect(a.series.requests[i10]).toBe(20);
    expect(a.series.errors[i10]).toBe(5);
    expect(a.series.successRate[i10]).toBe(0.75);
    expect(a.series.requests[i3]).toBe(7);
    expect(a.series.cost[i3]).toBe(0.02);
    expect(a.series.requests.reduce((x, y) => x + y, 0)).toBe(27);
    const quiet = at(T0 - 5 * MIN);
    expect([a.series.requests[quiet], a.series.errors[quiet], a.series.inputTokens[quiet], a.series.cost[quiet]]).toEqual([0, 0, 0, 0]);
    expect([a.series.successRate[quiet], a.series.p50Ms[quiet], a.series.p95Ms[quiet], a.series.p99Ms[quiet]]).toEqual([null, null, null, null]);
    for (const k of Object.keys(a.series) as (keyof typeof a.series)[]) expect(a.series[k], k).toHaveLength(60);
  });

  it('reads the rollup of the step and passes the filters to the store', async () => {
    const usage = traffic();
    const a = await overview(sources(usage), { period: '7d', provider: 'a' });
    expect(usage.calls.at(-1)).toMatchObject({ granularity: 'hour', filter: { provider: 'a' } });
    expect(a.totals.requests).toBe(120);
    expect(a.series.t).toHaveLength(168);
  });
});

describe('GET /api/analytics/breakdown', () => {
  it('per provider, most requests first; unknown values are (none)', async () => {
    const a = await breakdown(sources(traffic()), { period: '1h', by: 'provider' });
    expect(a.by).toBe('provider');
    expect(a.rows.map((r) => [r.key, r.label, r.requests, r.ok, r.cost])).toEqual([
      ['a', 'a', 20, 15, 0.3],
      ['b', 'b', 4, 4, 0.02],
      ['', '(none)', 2, 0, 0],
      ['c', 'c', 1, 1, 0], // EUR: not added to USD
    ]);
  });

  it('per key: provider/keyId labelled with the fingerprint', async () => {
    const a = await breakdown(sources(traffic()), { period: '1h', by: 'key' });
    expect(a.rows.map((r) => [r.key, r.label])).toEqual([
      ['a/k1', 'a/k1 (sha256:aaaa...1111)'],
      ['b/k9', 'b/k9 (sha256:bbbb...2222)'],
      ['', '(none)'],
      ['c/k1', 'c/k1 (sha256:abcd...wxyz)'],
    ]);
  });

  it('per client, binding and model', async () => {
    const s = sources(traffic());
    expect((await breakdown(s, { period: '1h', by: 'client' })).rows.map((r) => [r.key, r.requests])).toEqual([['web', 21], ['batch', 6]]);
    expect((await breakdown(s, { period: '1h', by: 'binding' })).rows.map((r) => [r.key, r.requests])).toEqual([['chat', 27]]);
    expect((await breakdown(s, { period: '1h', by: 'model' })).rows.map((r) => [r.key, r.requests])).toEqual([['m1', 20], ['m2', 4], ['', 2], ['m3', 1]]);
  });

  it('refuses a missing or unknown dimension', async () => {
    for (const by of [undefined, 'region']) {
      await expect(breakdown(sources(traffic()), { period: '1h', by })).rejects.toThrow(SilError);
      try {
        await breakdown(sources(traffic()), { period: '1h', by });
      } catch (e) {
        expect((e as SilError).code).toBe('SIL_ANALYTICS_QUERY');
        expect((e as SilError).message).toMatch(/^by: /);
      }
    }
  });
});
