import { describe, it, expect } from 'vitest';
import { EventEmitter } from 'node:events';
import { RequestMetrics } from '../../../../server/observe/metrics/request-metrics.ts';
import { hubRegistry, type ReloadCounts } from '../../../../server/observe/metrics/exposition.ts';
import { circuitLevels } from '../../../../server/observe/metrics/circuit-levels.ts';
import { limitRejections } from '../../../../server/observe/metrics/limit-rejections.ts';
import { createHubMetrics } from '../../../../server/observe/metrics/index.ts';
import { CircuitRegistry, circuitKey } from '../../../../server/core/circuit-registry.ts';
import type { LiveConfig } from '../../../../server/config/live-config.ts';
import type { LimitStatusSource } from '../../../../server/limits/limit-status.ts';
import type { RequestOutcome, UsageRecord } from '../../../../server/observe/usage-recorder.ts';
import { parseExposition } from '../../../integration/metrics/prom-text.ts';
import { fakeSnapshot } from './fake-snapshot.ts';

const snapshot = fakeSnapshot({
  providers: { a: { chat: ['gpt-4o-mini'] }, b: { chat: ['gpt-4o-mini'], api: [] } },
  bindings: { chat: ['gpt-4o-mini'] },
  policies: ['ai-default'],
});

function outcome(over: Partial<RequestOutcome> = {}): RequestOutcome {
  return { requestId: crypto.randomUUID(), at: 0, client: 'web', binding: 'chat', door: 'unified', provider: 'a', model: 'gpt-4o-mini', status: 200, latencyMs: 40, attempts: 1, failovers: 0, attemptRecords: [{ provider: 'a', service: 'chat', keyId: 'k1', outcome: '200', status: 200, ms: 38 }], answered: true, ...over };
}
function record(over: Partial<UsageRecord> = {}): UsageRecord {
  return { requestId: 'r', at: 0, client: 'web', binding: 'chat', provider: 'a', model: 'gpt-4o-mini', keyId: 'k1', status: 200, latencyMs: 40, attempts: 1, usage: { inputTokens: 5, outputTokens: 3 }, cost: 0.002, currency: 'USD', ...over };
}

async function scrape(metrics: RequestMetrics, reloads: ReloadCounts = { loaded: 1, rejected: 0 }, extra: { limiter?: LimitStatusSource; circuits?: CircuitRegistry } = {}) {
  const registry = hubRegistry({ requests: metrics, reloads, snapshot: () => snapshot, limiter: () => extra.limiter, circuits: () => extra.circuits?.states() ?? [] });
  expect(registry.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await registry.metrics());
}

describe('the exposition', () => {
  it('counts requests, failovers, attempts, tokens and cost under bounded labels', async () => {
    const m = new RequestMetrics(() => snapshot);
    m.outcome(outcome());
    m.outcome(outcome({ latencyMs: 1200 }));
    m.outcome(outcome({ provider: 'b', failovers: 1, attempts: 2, attemptRecords: [
      { provider: 'a', service: 'chat', keyId: 'k1', outcome: '503', status: 503, ms: 20 },
      { provider: 'b', service: 'chat', keyId: 'k1', outcome: '200', status: 200, ms: 30 },
    ] }));
    m.outcome(outcome({ binding: 'no-such-binding', provider: undefined, status: 404, errorCode: 'SIL_PROXY_UNKNOWN_BINDING', attemptRecords: [], answered: false }));
    m.outcome(outcome({ binding: '', provider: undefined, status: 401, attemptRecords: [], answered: false }));
    m.outcome(outcome({ status: 429, errorCode: 'SIL_LIMIT_RATE', provider: undefined, attemptRecords: [], answered: false }));
    m.record(record());
    m.record(record({ model: 'gpt-4o-mini-2024-07-18' }));
    m.record(record({ provider: 'b', model: 'made-up', usage: { inputTokens: 7 }, cost: undefined }));

    const p = await scrape(m);
    expect(p.sum('sil_requests_total')).toBe(6);
    expect(p.sum('sil_requests_total', { binding: 'chat', provider: 'a', status_class: '2xx', door: 'unified' })).toBe(2);
    expect(p.sum('sil_requests_total', { binding: 'chat', provider: 'b' })).toBe(1);
    expect(p.sum('sil_requests_total', { binding: 'other', provider: 'none', status_class: '4xx' })).toBe(1);
    expect(p.sum('sil_requests_total', { binding: 'none', status_class: '4xx' })).toBe(1);
    expect(p.sum('sil_failovers_total', { binding: 'chat' })).toBe(1);

    const chat2xx = p.histograms('sil_request_duration_seconds', { binding: 'chat', door: 'unified', status_class: '2xx' });
    expect(chat2xx).toHaveLength(1);
    expect(chat2xx[0].count).toBe(3);
    expect(chat2xx[0].sum).toBeCloseTo(0.04 + 1.2 + 0.04, 6);
    expect(chat2xx[0].buckets['0.05']).toBe(2);
    expect(chat2xx[0].buckets['1']).toBe(2);
    expect(chat2xx[0].buckets['2.5']).toBe(3);
    expect(chat2xx[0].buckets['+Inf']).toBe(3);

    const upstream = p.histograms('sil_upstream_request_duration_seconds');
    expect(upstream.map((h) => [h.labels.provider, h.labels.outcome, h.count]).sort()).toEqual([['a', '2xx', 2], ['a', '5xx', 1], ['b', '2xx', 1]]);

    expect(p.sum('sil_tokens_total', { provider: 'a', model: 'gpt-4o-mini', direction: 'input' })).toBe(10);
    expect(p.sum('sil_tokens_total', { provider: 'a', model: 'gpt-4o-mini', direction: 'output' })).toBe(6);
    expect(p.sum('sil_tokens_total', { provider: 'b', model: 'other', direction: 'input' })).toBe(7);
    expect(p.sum('sil_cost_total', { provider: 'a', model: 'gpt-4o-mini', currency: 'USD' })).toBeCloseTo(0.004, 9);
    expect(p.samples('sil_cost_total', { provider: 'b' })).toEqual([]);

    expect(p.samples('sil_limit_rejections_total')).toEqual([{ labels: { policy: 'unknown', limit: 'rate' }, value: 1 }]);
    expect(p.samples('sil_config_reloads_total').map((s) => [s.labels.result, s.value])).toEqual([['loaded', 1], ['rejected', 0]]);
  });

  it('shows the same figures on every scrape (collecting does not add twice)', async () => {
    const m = new RequestMetrics(() => snapshot);
    m.outcome(outcome());
    m.record(record());
    const first = await scrape(m);
    const second = await scrape(m);
    expect(second.sum('sil_requests_total')).toBe(1);
    expect(second.sum('sil_tokens_total')).toBe(first.sum('sil_tokens_total'));
  });

  it('reads limit refusals from the limiter once there is one, with policy names bounded by the config', async () => {
    const limiter: LimitStatusSource = { status: () => [], rejections: () => new Map([['ai-default|rate', 4], ['ai-default|budget', 1], ['deleted-policy|quota.tokens', 2], ['gone|quota.requests', 3]]) };
    const m = new RequestMetrics(() => snapshot);
    m.outcome(outcome({ status: 429, errorCode: 'SIL_LIMIT_RATE', attemptRecords: [] }));
    const p = await scrape(m, undefined, { limiter });
    expect(p.samples('sil_limit_rejections_total').map((s) => [s.labels.policy, s.labels.limit, s.value])).toEqual([
      ['ai-default', 'rate', 4], ['ai-default', 'budget', 1], ['other', 'quota.tokens', 2], ['other', 'quota.requests', 3],
    ]);
    expect(limitRejections(snapshot, undefined, new Map([['SIL_LIMIT_QUOTA_TOKENS', 2], ['SIL_LIMIT_NEW_KIND', 1]]))).toEqual([
      { labels: { policy: 'unknown', limit: 'quota.tokens' }, value: 2 },
      { labels: { policy: 'unknown', limit: 'other' }, value: 1 },
    ]);
  });

  it('reports each configured service\'s circuit: the worst of its keys, configured services only', async () => {
    let now = 1_000_000;
    const breakers = new CircuitRegistry(() => now);
    const trip = (key: string) => {
      const b = breakers.get(key, { minRequests: 2, errorRate: 0.5, cooldownSeconds: 10 });
      b.record(false);
      b.record(false);
    };
    breakers.get(circuitKey('a', 'chat', 'k1')).record(true);
    trip(circuitKey('a', 'chat', 'k2'));
    trip(circuitKey('b', 'api', null));
    trip(circuitKey('removed', 'chat', 'k1'));
    let p = await scrape(new RequestMetrics(() => snapshot), undefined, { circuits: breakers });
    expect(p.samples('sil_circuit_state').map((s) => [s.labels.provider, s.labels.service, s.value])).toEqual([
      ['a', 'chat', 2], ['b', 'chat', 0], ['b', 'api', 2],
    ]);
    now += 11_000;
    p = await scrape(new RequestMetrics(() => snapshot), undefined, { circuits: breakers });
    expect(p.sum('sil_circuit_state', { provider: 'a', service: 'chat' })).toBe(1);
    expect(circuitLevels(null, breakers.states())).toEqual([]);
  });

  it('caps the series of a metric however many distinct values arrive', async () => {
    const m = new RequestMetrics(() => snapshot, 5);
    const many = fakeSnapshot({ providers: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { chat: ['m'] }])), bindings: { chat: ['m'] } });
    const wide = new RequestMetrics(() => many, 5);
    for (let i = 0; i < 50; i++) {
      wide.outcome(outcome({ provider: `p${i}`, attemptRecords: [{ provider: `p${i}`, service: 'chat', keyId: 'k', outcome: '200', status: 200, ms: 1 }] }));
      m.outcome(outcome({ binding: `b${i}` }));
    }
    expect(wide.requests.size).toBe(6);
    expect(wide.upstream.size).toBe(6);
    expect(m.requests.size).toBe(1); // every unknown binding is "other" already
    const p = await scrape(wide);
    expect(p.sum('sil_requests_total')).toBe(50);
    expect(p.sum('sil_requests_total', { binding: 'other', provider: 'other', status_class: 'other', door: 'other' })).toBe(45);
  });
});

describe('createHubMetrics', () => {
  it('counts config loads and rejections from the live config until closed, and renders process metrics first', async () => {
    const live = new EventEmitter() as unknown as LiveConfig;
    (live as { snapshot: unknown }).snapshot = snapshot;
    const metrics = createHubMetrics({ live });
    live.emit('loaded', snapshot);
    live.emit('loaded', snapshot);
    live.emit('rejected', { commit: 'c', at: '', errors: [] });
    metrics.close();
    live.emit('rejected', { commit: 'c', at: '', errors: [] });
    expect(metrics.reloads).toEqual({ loaded: 2, rejected: 1 });
    const text = await metrics.render();
    const p = await parseExposition(text);
    expect(p.sum('sil_config_reloads_total', { result: 'rejected' })).toBe(1);
    expect(p.family('process_cpu_seconds_total').type).toBe('counter');
    expect(p.family('nodejs_eventloop_lag_seconds').type).toBe('gauge');
    expect(text.indexOf('process_cpu_seconds_total')).toBeLessThan(text.indexOf('sil_requests_total'));
    const bare = await createHubMetrics({ live, processMetrics: false }).render();
    expect(bare).not.toContain('process_cpu_seconds_total');
  });
});
