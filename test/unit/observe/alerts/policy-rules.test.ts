// Policy alert rules against fake minute rows and limiter counters: each metric fires at or
// above its threshold, stays quiet below it, counts only what the policy is attached to and
// only within the rule's window.
import { describe, it, expect } from 'vitest';
import { evaluatePolicyRules, longestWindow, policyAlertId, MIN_REQUESTS } from '../../../../server/observe/alerts/policy-rules.ts';
import type { LimitStatus } from '../../../../server/limits/limit-status.ts';
import type { Policy } from '../../../../schemas/types.gen.ts';
import { row, world } from './rules.fixtures.ts';

const NOW = Date.UTC(2026, 5, 1, 12, 0);
const MIN = 60_000;
const policy = (alerts: NonNullable<Policy['alerts']>): Policy => ({ name: 'web-default', alerts });
const ids = (r: { id?: string }[]) => r.map((x) => x.id);

describe('policy alert rules', () => {
  it('error-rate: fires at the threshold over the window, not below, not on too few requests', () => {
    const snap = world({ clientPolicy: 'web-default', policies: [policy([{ metric: 'error-rate', threshold: 0.2, windowMinutes: 5, severity: 'critical', channels: ['ops'] }])] });
    const failing = [row({ t: NOW - 2 * MIN, requests: 10, ok: 7, limited: 1 })];
    const [a] = evaluatePolicyRules(snap, failing, [], NOW);
    expect(a).toMatchObject({ id: 'policy:web-default/error-rate>=0.2', kind: 'policy', subject: 'web-default/error-rate', severity: 'critical', channels: ['ops'] });
    // refused by a limit does not count as an error: 2 of 10
    expect(a.evidence).toMatchObject({ requests: 10, errors: 2, errorRate: 0.2, value: 0.2, threshold: 0.2, windowMinutes: 5 });
    expect(a.title).toBe('web-default: 20 % of requests failed over the last 5 min');
    expect(evaluatePolicyRules(snap, [row({ t: NOW - 2 * MIN, requests: 10, ok: 9 })], [], NOW)).toEqual([]);
    expect(evaluatePolicyRules(snap, [row({ t: NOW - 2 * MIN, requests: MIN_REQUESTS - 1, ok: 0 })], [], NOW)).toEqual([]);
    // outside the window
    expect(evaluatePolicyRules(snap, [row({ t: NOW - 10 * MIN, requests: 10, ok: 0 })], [], NOW)).toEqual([]);
  });

  it('counts only the traffic of what the policy is attached to (client, binding or provider)', () => {
    const rule = policy([{ metric: 'error-rate', threshold: 0.5 }]);
    const rows = [row({ t: NOW - MIN, client: 'batch', binding: 'solo', provider: 'other', requests: 10, ok: 0 }), row({ t: NOW - MIN, client: 'web', binding: 'chat', provider: 'openai', requests: 10, ok: 10 })];
    expect(evaluatePolicyRules(world({ clientPolicy: 'web-default', policies: [rule] }), rows, [], NOW)).toEqual([]);
    expect(ids(evaluatePolicyRules(world({ providerPolicy: 'web-default', policies: [rule] }), [...rows, row({ t: NOW - MIN, client: 'batch', provider: 'openai', requests: 20, ok: 0 })], [], NOW))).toEqual(['policy:web-default/error-rate>=0.5']);
    expect(evaluatePolicyRules(world({ policies: [rule] }), rows, [], NOW)).toEqual([]);
  });

  it('latency-p95-ms from the merged histogram', () => {
    const snap = world({ bindingPolicy: 'web-default', policies: [policy([{ metric: 'latency-p95-ms', threshold: 1000 }])] });
    const slow = evaluatePolicyRules(snap, [row({ t: NOW - MIN, requests: 10, latencyMs: 2500 })], [], NOW);
    expect(slow[0]).toMatchObject({ severity: 'warning', evidence: { metric: 'latency-p95-ms', threshold: 1000 } });
    expect(Number(slow[0].evidence?.p95Ms)).toBeGreaterThan(1000);
    expect(evaluatePolicyRules(snap, [row({ t: NOW - MIN, requests: 10, latencyMs: 80 })], [], NOW)).toEqual([]);
  });

  it('cost over the window, failovers', () => {
    const snap = world({ clientPolicy: 'web-default', policies: [policy([{ metric: 'cost', threshold: 1, windowMinutes: 60 }, { metric: 'failovers', threshold: 3 }])] });
    const rows = [row({ t: NOW - 50 * MIN, requests: 5, cost: 0.7 }), row({ t: NOW - MIN, requests: 5, cost: 0.4, failovers: 3 })];
    const out = evaluatePolicyRules(snap, rows, [], NOW);
    expect(ids(out)).toEqual(['policy:web-default/cost>=1', 'policy:web-default/failovers>=3']);
    expect(out[0].evidence).toMatchObject({ cost: 1.1, currency: 'USD' });
    expect(ids(evaluatePolicyRules(snap, [row({ t: NOW - MIN, requests: 5, cost: 0.4, failovers: 2 })], [], NOW))).toEqual([]);
  });

  it('a threshold of 0 fires on any, never on none', () => {
    const snap = world({ clientPolicy: 'web-default', policies: [policy([{ metric: 'failovers', threshold: 0 }])] });
    expect(evaluatePolicyRules(snap, [row({ t: NOW - MIN, requests: 5 })], [], NOW)).toEqual([]);
    expect(evaluatePolicyRules(snap, [row({ t: NOW - MIN, requests: 5, failovers: 1 })], [], NOW)).toHaveLength(1);
  });

  it('quota-percent from the limiter\'s counters of the policy, the fullest quota', () => {
    const snap = world({ clientPolicy: 'web-default', policies: [policy([{ metric: 'quota-percent', threshold: 80 }])] });
    const status = (limit: LimitStatus['limit'], used: number, max: number, policyName = 'web-default'): LimitStatus => ({ policy: policyName, attachedTo: { kind: 'client', name: 'web' }, scope: 'client:web', limit, used, max, periodStart: 0, resetsAt: 1 });
    const out = evaluatePolicyRules(snap, [], [status('quota.requests', 50, 100), status('quota.tokens', 850, 1000), status('budget', 99, 100), status('quota.requests', 100, 100, 'other')], NOW);
    expect(out[0]).toMatchObject({ title: 'web-default: 85 % of a quota used now', evidence: { percent: 85, limit: 'quota.tokens', scope: 'client:web', used: 850, max: 1000 } });
    expect(evaluatePolicyRules(snap, [], [status('quota.requests', 79, 100)], NOW)).toEqual([]);
  });

  it('names each rule by policy, metric and threshold; the longest window is what to read', () => {
    expect(policyAlertId('p', { metric: 'error-rate', threshold: 0.05 })).toBe('policy:p/error-rate>=0.05');
    expect(longestWindow(world({ policies: [policy([{ metric: 'cost', threshold: 1, windowMinutes: 90 }, { metric: 'failovers', threshold: 1 }])] }))).toBe(90);
    expect(longestWindow(world())).toBe(0);
  });
});
