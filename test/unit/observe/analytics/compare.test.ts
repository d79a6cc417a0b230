import { describe, it, expect } from 'vitest';
import { compare } from '../../../../server/observe/analytics/compare.ts';
import { costPerRequest, quality, FULL_WEIGHT_SCORES } from '../../../../server/observe/analytics/quality.ts';
import { SilError } from '../../../../server/errors.ts';
import { FakeUsage, snapshotWith, sources, T0 } from './fake-usage.ts';

const MIN = 60_000;

describe('quality and cost per request', () => {
  it('is the success rate without feedback', async () => {
    expect(quality({ successRate: 0.75, score: null, scoreCount: 0 })).toBe(0.75);
    expect(quality({ successRate: null, score: null, scoreCount: 0 })).toBeNull();
  });

  it('blends in the average score with a weight growing to one half at FULL_WEIGHT_SCORES', async () => {
    // 2 scores: w = 0.5 × 2/20 = 0.05.
    expect(quality({ successRate: 0.75, score: 0.2, scoreCount: 2 })).toBe(0.7225);
    expect(quality({ successRate: 1, score: 0, scoreCount: FULL_WEIGHT_SCORES })).toBe(0.5);
    expect(quality({ successRate: 1, score: 0, scoreCount: 10 * FULL_WEIGHT_SCORES })).toBe(0.5);
    expect(quality({ successRate: null, score: 0.9, scoreCount: 1 })).toBe(0.9);
  });

  it('divides cost by requests, keeping 6 significant digits', async () => {
    expect(costPerRequest({ requests: 20, cost: 0.0006375 })).toBe(0.000031875);
    expect(costPerRequest({ requests: 3, cost: 1 })).toBe(0.333333);
    expect(costPerRequest({ requests: 0, cost: 0 })).toBeNull();
  });
});

describe('GET /api/analytics/compare', () => {
  const snapshot = snapshotWith([{ name: 'chat', targets: [{ provider: 'a', model: 'm1' }, { provider: 'b', model: 'm2' }, { provider: 'c' }] }]);

  it('answers the binding\'s targets in order, then former targets, with cost per request and quality', async () => {
    const usage = new FakeUsage().add(
      { t: T0 - 5 * MIN, provider: 'a', model: 'm1', requests: 20, failed: 5, cost: 0.002, latencyMs: 300, scores: [0.2, 0.2] },
      { t: T0 - 5 * MIN, provider: 'b', model: 'm2', requests: 4, cost: 0.0001, latencyMs: 30 },
      { t: T0 - 5 * MIN, provider: 'c', model: 'whatever', requests: 2 },
      { t: T0 - 5 * MIN, provider: 'c', model: 'other', requests: 1 },
      { t: T0 - 5 * MIN, provider: 'd', model: 'm9', requests: 3 }, // no longer a target
      { t: T0 - 5 * MIN, provider: '', keyId: '', model: '', requests: 2, limited: 2 }, // refused before an attempt: no target
      { t: T0 - 5 * MIN, binding: 'other', provider: 'a', model: 'm1', requests: 50 },
    );
    const a = await compare(sources(usage, { snapshot }), { period: '1h', binding: 'chat' });
    expect(a.binding).toBe('chat');
    expect(a.filter).toEqual({ binding: 'chat' });
    expect(a.targets.map((t) => [t.provider, t.model, t.order, t.requests, t.successRate, t.costPerRequest, t.quality])).toEqual([
      ['a', 'm1', 0, 20, 0.75, 0.0001, 0.7225],
      ['b', 'm2', 1, 4, 1, 0.000025, 1],
      ['c', '', 2, 3, 1, 0, 1],
      ['d', 'm9', null, 3, 1, 0, 1],
    ]);
    expect(a.targets[0]).toMatchObject({ score: 0.2, scoreCount: 2, errors: 5 });
    expect(a.targets[1].p95Ms).toBeLessThan(a.targets[0].p95Ms!);
  });

  it('lists targets without traffic with empty figures', async () => {
    const a = await compare(sources(new FakeUsage(), { snapshot }), { period: '24h', binding: 'chat' });
    expect(a.targets.map((t) => [t.provider, t.requests, t.successRate, t.costPerRequest, t.quality])).toEqual([['a', 0, null, null, null], ['b', 0, null, null, null], ['c', 0, null, null, null]]);
  });

  it('compares a binding removed from the config by what served it', async () => {
    const usage = new FakeUsage().add({ t: T0 - MIN, binding: 'gone', provider: 'a', requests: 2 });
    expect((await compare(sources(usage, { snapshot }), { period: '1h', binding: 'gone' })).targets.map((t) => [t.provider, t.order])).toEqual([['a', null]]);
  });

  it('needs a binding that exists or served something', async () => {
    for (const binding of [undefined, 'nope']) {
      try {
        await compare(sources(new FakeUsage(), { snapshot }), { period: '1h', binding });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(SilError);
        expect((e as SilError).code).toBe('SIL_ANALYTICS_QUERY');
        expect((e as SilError).message).toMatch(/^binding: /);
      }
    }
  });
});
