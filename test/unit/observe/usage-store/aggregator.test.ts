import { describe, it, expect } from 'vitest';
import { UsageAggregator, type PendingEntry } from '../../../../server/observe/usage-store/aggregator.ts';
import { OTHER } from '../../../../server/observe/usage-store/dims.ts';
import { latencyBucket } from '../../../../server/observe/usage-store/latency.ts';
import type { RequestOutcome, UsageRecord } from '../../../../server/observe/usage-recorder.ts';
import type { ConfigSnapshot } from '../../../../server/config/snapshot.ts';
import { fakeSnapshot } from './fake-snapshot.ts';

const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const outcome = (o: Partial<RequestOutcome> = {}): RequestOutcome => ({ requestId: 'r', at: T0, client: 'web', binding: 'chat', door: 'unified', provider: 'openai', model: 'gpt-4o', keyId: 'k1', status: 200, latencyMs: 40, attempts: 1, failovers: 0, attemptRecords: [], answered: true, ...o });
const record = (r: Partial<UsageRecord> = {}): UsageRecord => ({ requestId: 'r', at: T0, client: 'web', binding: 'chat', provider: 'openai', model: 'gpt-4o', keyId: 'k1', status: 200, latencyMs: 40, attempts: 1, usage: { inputTokens: 10, outputTokens: 4 }, cost: 0.5, currency: 'USD', ...r });

function pending(agg: UsageAggregator): { t: number; e: PendingEntry }[] {
  const out: { t: number; e: PendingEntry }[] = [];
  agg.forEachPending((t, e) => out.push({ t, e }));
  return out;
}

describe('usage aggregator', () => {
  const snap = fakeSnapshot({ openai: { keys: { k1: 'sha256:aaaaaaaaaaaa...1111', k2: 'sha256:bbbbbbbbbbbb...2222' }, models: { 'gpt-4o': undefined, 'gpt-eur': 'EUR' } } });

  it('leaves out answered requests without a binding (model lists, feedback) but counts refusals without one', () => {
    const agg = new UsageAggregator({ snapshot: () => snap });
    agg.outcome(outcome({ client: 'web', binding: '', provider: undefined, model: undefined, keyId: undefined, attempts: 0 }));
    expect(pending(agg)).toHaveLength(0);
    agg.outcome(outcome({ client: '', binding: '', provider: undefined, model: undefined, keyId: undefined, status: 401, errorCode: 'SIL_PROXY_UNAUTHENTICATED', attempts: 0 }));
    const rows = pending(agg);
    expect(rows).toHaveLength(1);
    expect([rows[0]!.e.c.requests, rows[0]!.e.c.clientErrors]).toEqual([1, 1]);
  });

  it('counts requests, outcomes by class, limits, attempts, failovers and latency per minute and dims', () => {
    const agg = new UsageAggregator({ snapshot: () => snap });
    agg.outcome(outcome());
    agg.outcome(outcome({ at: T0 + 59_999, status: 404, latencyMs: 3 }));
    agg.outcome(outcome({ at: T0 + 10, status: 429, errorCode: 'SIL_LIMIT_RATE', attempts: 0, latencyMs: 0.4 }));
    agg.outcome(outcome({ at: T0 + 20, status: 502, attempts: 3, failovers: 2, latencyMs: 1_200 }));
    agg.outcome(outcome({ at: T0 + 60_000 }));
    agg.record(record());
    agg.record(record({ usage: { inputTokens: 1 }, cost: undefined }));
    const rows = pending(agg);
    expect(rows).toHaveLength(2);
    const first = rows.find((r) => r.t === T0)!.e;
    expect(first.dims).toEqual({ client: 'web', binding: 'chat', provider: 'openai', keyId: 'k1', fingerprint: 'sha256:aaaaaaaaaaaa...1111', model: 'gpt-4o', currency: 'USD' });
    const c = first.c;
    expect([c.requests, c.ok, c.clientErrors, c.serverErrors, c.limited, c.attempts, c.failovers]).toEqual([4, 1, 2, 1, 1, 5, 2]);
    expect(c.latencySumMs).toBeCloseTo(40 + 3 + 0.4 + 1_200, 10);
    expect(c.latency[latencyBucket(40)]).toBe(1);
    expect(c.latency[latencyBucket(1_200)]).toBe(1);
    expect(c.latency.reduce((a, b) => a + b, 0)).toBe(4);
    expect([c.inputTokens, c.outputTokens, c.cost]).toEqual([11, 4, 0.5]);
    expect(rows.find((r) => r.t === T0 + 60_000)!.e.c.requests).toBe(1);
  });

  it('keeps dims apart: keys (with their fingerprints), models and currencies; a refused request has empty dims', () => {
    const agg = new UsageAggregator({ snapshot: () => snap });
    agg.outcome(outcome({ keyId: 'k2' }));
    agg.outcome(outcome({ model: 'gpt-eur' }));
    agg.record(record({ model: 'gpt-eur', currency: 'EUR', cost: 2 }));
    agg.record(record({ currency: 'GBP', cost: 3 }));
    agg.outcome(outcome({ client: '', binding: '', provider: undefined, model: undefined, keyId: undefined, status: 401, attempts: 0 }));
    const dims = pending(agg).map((r) => r.e.dims);
    expect(dims).toContainEqual(expect.objectContaining({ keyId: 'k2', fingerprint: 'sha256:bbbbbbbbbbbb...2222' }));
    const eur = pending(agg).find((r) => r.e.dims.model === 'gpt-eur')!.e;
    expect(eur.dims.currency).toBe('EUR');
    expect([eur.c.requests, eur.c.cost]).toEqual([1, 2]);
    expect(pending(agg).find((r) => r.e.dims.currency === 'GBP')!.e.c.cost).toBe(3);
    expect(dims).toContainEqual({ client: '', binding: '', provider: '', keyId: '', fingerprint: '', model: '', currency: 'USD' });
  });

  it('bounds the dims of a bucket: past the bound new models count as (other), then everything does', () => {
    const agg = new UsageAggregator({ snapshot: () => snap, maxDims: 3 });
    for (let i = 0; i < 50; i++) agg.outcome(outcome({ model: `m${i}` }));
    for (let i = 0; i < 50; i++) agg.outcome(outcome({ client: `c${i}`, model: `x${i}` }));
    const rows = pending(agg);
    expect(rows.length).toBeLessThanOrEqual(2 * 3 + 1);
    expect(rows.reduce((n, r) => n + r.e.c.requests, 0)).toBe(100);
    expect(rows.find((r) => r.e.dims.model === OTHER && r.e.dims.client === 'web')!.e.c.requests).toBe(47);
    expect(rows.find((r) => r.e.dims.client === OTHER)!.e.dims).toEqual({ client: OTHER, binding: OTHER, provider: OTHER, keyId: OTHER, fingerprint: OTHER, model: OTHER, currency: 'USD' });
    // a combination seen before the bound was reached keeps its own row
    agg.outcome(outcome({ model: 'm0' }));
    expect(pending(agg).find((r) => r.e.dims.model === 'm0')!.e.c.requests).toBe(2);
  });

  it('reads fingerprints again from a new config, and take() starts afresh', () => {
    let current: ConfigSnapshot = snap;
    const agg = new UsageAggregator({ snapshot: () => current });
    agg.outcome(outcome());
    current = fakeSnapshot({ openai: { keys: { k1: 'sha256:cccccccccccc...3333' } } });
    agg.outcome(outcome());
    const fps = pending(agg).map((r) => [r.e.dims.fingerprint, r.e.c.requests]);
    expect(fps).toEqual(expect.arrayContaining([['sha256:aaaaaaaaaaaa...1111', 1], ['sha256:cccccccccccc...3333', 1]]));
    const taken = agg.take();
    expect(taken.map((b) => b.t)).toEqual([T0]);
    expect(pending(agg)).toEqual([]);
    agg.outcome(outcome());
    expect(pending(agg)).toHaveLength(1);
  });

  it('adds scores to the bucket of their time', () => {
    const agg = new UsageAggregator({ snapshot: () => snap });
    const dims = { client: 'web', binding: 'chat', provider: 'openai', keyId: 'k1', fingerprint: 'f', model: 'gpt-4o', currency: 'USD' };
    agg.addScore(dims, 1, T0 + 5);
    agg.addScore(dims, 0.5, T0 + 6);
    const [row] = pending(agg);
    expect([row.t, row.e.c.scoreSum, row.e.c.scoreCount, row.e.c.requests]).toEqual([T0, 1.5, 2, 0]);
  });
});
