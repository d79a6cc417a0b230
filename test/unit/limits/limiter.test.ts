// The limiter over the in-memory store with a fake clock: admission, refusals, headers,
// reservations and their settlement, budgets and their marks, provider policies, status, a
// store that answers later, and a policy changed under running counters.
import { describe, it, expect } from 'vitest';
import { Limiter, type Refusal } from '../../../server/limits/limiter.ts';
import { MemoryCounterStore } from '../../../server/limits/memory-counter-store.ts';
import { limitHeaders } from '../../../server/limits/admission.ts';
import type { CounterStore } from '../../../server/limits/counter-store.ts';
import type { BudgetAlert } from '../../../server/limits/budget-alerts.ts';
import type { ConfigSnapshot } from '../../../server/config/snapshot.ts';
import { SilError } from '../../../server/errors.ts';
import { outcomeOf, snapshotOf, stateOf, usage, type World } from './fixtures.ts';

const T0 = Date.parse('2026-05-10T12:00:00Z');

function setup(world: World, store: CounterStore = new MemoryCounterStore()) {
  let now = T0;
  let snap: ConfigSnapshot = snapshotOf(world);
  const alerts: BudgetAlert[] = [];
  const limiter = new Limiter({ store, now: () => now, snapshot: () => snap, onBudgetAlert: (a) => alerts.push(a) });
  return {
    limiter,
    alerts,
    tick: (ms: number) => (now += ms),
    get snap() { return snap; },
    reload: (w: World) => (snap = snapshotOf(w)),
  };
}

describe('limiter', () => {
  it('admits exactly `requests` of a burst and refuses the rest with the policy named', () => {
    const t = setup({ clientPolicy: 'ai-default', policies: [{ name: 'ai-default', rateLimit: { requests: 10, per: 'minute' } }] });
    const results = Array.from({ length: 30 }, () => {
      const state = stateOf(t.snap);
      return { state, refusal: t.limiter.admit(state) };
    });
    expect(results.filter((r) => r.refusal === null)).toHaveLength(10);
    const refused = results.find((r) => r.refusal !== null)!;
    const err = t.limiter.refuse(refused.state, refused.refusal as never);
    expect(err).toBeInstanceOf(SilError);
    expect(err.code).toBe('SIL_LIMIT_RATE');
    expect(err.message).toBe('policy "ai-default": 10 requests per minute for client web');
    expect(limitHeaders(refused.state.admission)).toEqual({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m0s', 'retry-after': '6' });
    expect(limitHeaders(results[0].state.admission)).toEqual({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '9', 'x-ratelimit-reset-requests': '6s' });
    expect(t.limiter.rejections().get('ai-default|rate')).toBe(1);
    // One drains every 6 s.
    t.tick(6_000);
    expect(t.limiter.admit(stateOf(t.snap))).toBeNull();
    expect(t.limiter.admit(stateOf(t.snap))).not.toBeNull();
  });

  it('counts the client\'s and the binding\'s policies, and shows the tightest in the headers', () => {
    const t = setup({
      clientPolicy: 'per-client',
      bindingPolicy: 'per-binding',
      policies: [
        { name: 'per-client', quota: { period: 'day', requests: 100 } },
        { name: 'per-binding', rateLimit: { requests: 3, per: 'second', scope: 'binding' } },
      ],
    });
    const s = stateOf(t.snap);
    expect(t.limiter.admit(s)).toBeNull();
    expect(limitHeaders(s.admission)).toMatchObject({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '2' });
    t.limiter.admit(stateOf(t.snap));
    t.limiter.admit(stateOf(t.snap));
    const fourth = stateOf(t.snap);
    const r = t.limiter.admit(fourth);
    expect(r).toMatchObject({ code: 'SIL_LIMIT_RATE', message: 'policy "per-binding": 3 requests per second for binding chat' });
    // The refused request did not use the day's quota.
    const quota = t.limiter.status().find((x) => x.limit === 'quota.requests')!;
    expect(quota).toMatchObject({ policy: 'per-client', scope: 'client:web', attachedTo: { kind: 'client', name: 'web' }, used: 3, max: 100 });
    expect(quota.periodStart).toBe(Date.parse('2026-05-10T00:00:00Z'));
    expect(quota.resetsAt).toBe(Date.parse('2026-05-11T00:00:00Z'));
  });

  it('refuses a request quota until the period ends in the owner\'s zone', () => {
    const t = setup({ timeZone: 'Asia/Riyadh', clientPolicy: 'q', policies: [{ name: 'q', quota: { period: 'day', requests: 2 } }] });
    t.limiter.admit(stateOf(t.snap));
    t.limiter.admit(stateOf(t.snap));
    const r = t.limiter.admit(stateOf(t.snap));
    // 12:00 UTC is 15:00 in Riyadh: the day there ends at 21:00 UTC.
    expect(r).toMatchObject({ code: 'SIL_LIMIT_QUOTA_REQUESTS', message: 'policy "q": 2 requests per day for client web', retryAfterMs: 9 * 3_600_000 });
    t.tick(9 * 3_600_000);
    expect(t.limiter.admit(stateOf(t.snap))).toBeNull();
  });

  it('reserves tokens, settles them to the real count, and releases what was not answered', () => {
    const t = setup({ clientPolicy: 'tok', policies: [{ name: 'tok', quota: { period: 'day', tokens: 1_000 } }] });
    const used = () => t.limiter.status().find((x) => x.limit === 'quota.tokens')?.used ?? 0;
    const a = stateOf(t.snap, { max_tokens: 290 }, 40); // 10 + 290 = 300
    const b = stateOf(t.snap, { max_tokens: 290 }, 40);
    const c = stateOf(t.snap, { max_tokens: 290 }, 40);
    expect([a, b, c].map((s) => t.limiter.admit(s))).toEqual([null, null, null]);
    expect(used()).toBe(900);
    expect(limitHeaders(c.admission)).toMatchObject({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '100', 'x-ratelimit-reset-tokens': '12h0m0s' });
    const d = stateOf(t.snap, { max_tokens: 290 }, 40);
    expect(t.limiter.admit(d)).toMatchObject({ code: 'SIL_LIMIT_QUOTA_TOKENS', message: 'policy "tok": 1000 tokens per day for client web (100 left, this request may use up to 300)' });
    t.limiter.record(usage(a.requestId, 'a', 120));
    expect(used()).toBe(720);
    t.limiter.outcome(outcomeOf(b.requestId, false));
    expect(used()).toBe(420);
    // Usage the provider did not report: the estimate stays counted.
    t.limiter.record(usage(c.requestId, 'a', undefined));
    expect(used()).toBe(420);
    expect(t.limiter.pendingReservations).toBe(0);
    // An answered outcome leaves the reservation to record().
    const e = stateOf(t.snap, { max_tokens: 90 }, 40);
    t.limiter.admit(e);
    t.limiter.outcome(outcomeOf(e.requestId, true));
    expect(t.limiter.pendingReservations).toBe(1);
    t.limiter.record(usage(e.requestId, 'a', 50));
    expect(used()).toBe(470);
  });

  it('lets stale reservations go, their tokens still counted', () => {
    const t = setup({ clientPolicy: 'tok', policies: [{ name: 'tok', quota: { period: 'month', tokens: 10_000 } }] });
    t.limiter.admit(stateOf(t.snap));
    t.tick(16 * 60_000);
    t.limiter.sweep();
    expect(t.limiter.pendingReservations).toBe(0);
    expect(t.limiter.status()[0].used).toBe(110);
  });

  it('blocks a spent budget, adds only costs in its currency, and records each mark crossed', () => {
    const t = setup({ clientPolicy: 'money', policies: [{ name: 'money', budget: { amount: 1, period: 'month', onExceeded: 'block', alertAtPercent: [50, 90] } }] });
    const s1 = stateOf(t.snap);
    expect(t.limiter.admit(s1)).toBeNull();
    t.limiter.record(usage(s1.requestId, 'a', 10, 0.6));
    expect(t.alerts.map((a) => a.percent)).toEqual([50]);
    t.limiter.record({ ...usage('x', 'a', 10, 5), currency: 'EUR' });
    expect(t.limiter.status()[0]).toMatchObject({ limit: 'budget', used: 0.6, max: 1, currency: 'USD', onExceeded: 'block' });
    expect(t.limiter.admit(stateOf(t.snap))).toBeNull();
    t.limiter.record(usage('y', 'a', 10, 0.4));
    expect(t.alerts.map((a) => a.percent)).toEqual([50, 90]);
    const r = t.limiter.admit(stateOf(t.snap)) as Refusal | null;
    expect(r).toMatchObject({ code: 'SIL_LIMIT_BUDGET', message: 'policy "money": the budget of 1 USD per month for client web is spent (1 USD)' });
    expect(r!.retryAfterMs).toBe(Date.parse('2026-06-01T00:00:00Z') - T0);
    expect(t.limiter.alerts()).toHaveLength(2);
  });

  it('an alerting budget never refuses, and says when it is spent', () => {
    const t = setup({ bindingPolicy: 'watch', policies: [{ name: 'watch', rateLimit: { requests: 100, per: 'second', scope: 'binding' }, budget: { amount: 1, period: 'day' } }] });
    t.limiter.record(usage('x', 'a', 10, 2));
    expect(t.alerts).toMatchObject([{ policy: 'watch', scope: 'binding:chat', percent: 100, spent: 2 }]);
    expect(t.limiter.admit(stateOf(t.snap))).toBeNull();
  });

  it('limits a provider for every client and settles its reservation only for the provider that answered', () => {
    const t = setup({ providerPolicies: { a: 'upstream' }, policies: [{ name: 'upstream', rateLimit: { requests: 1, per: 'minute' }, quota: { period: 'day', tokens: 500 } }] });
    const s = stateOf(t.snap, { max_tokens: 90 });
    expect(t.limiter.admit(s)).toBeNull();
    expect(s.admission).toBeUndefined(); // no client or binding policy
    expect(t.limiter.admitProvider(s, 'b')).toBeNull();
    expect(t.limiter.admitProvider(s, 'a')).toBeNull();
    const s2 = stateOf(t.snap, { max_tokens: 90 });
    const r = t.limiter.admitProvider(s2, 'a') as Refusal | null;
    expect(r).toMatchObject({ code: 'SIL_LIMIT_RATE', message: 'policy "upstream": 1 requests per minute for provider a' });
    // The refusal's figures stay with the refusal until it is the answer.
    expect(s2.admission).toBeUndefined();
    t.limiter.refuse(s2, r!);
    expect(limitHeaders(s2.admission)).toMatchObject({ 'x-ratelimit-remaining-requests': '0', 'retry-after': '60' });
    const tokens = () => t.limiter.status().find((x) => x.limit === 'quota.tokens')!.used;
    expect(tokens()).toBe(100);
    // b answered after a failed: a's reservation is released.
    t.limiter.record(usage(s.requestId, 'b', 70));
    expect(tokens()).toBe(0);
  });

  it('keeps the counts of a policy whose numbers change, and applies the new numbers at once', () => {
    const world = (requests: number): World => ({ clientPolicy: 'p', policies: [{ name: 'p', quota: { period: 'day', requests } }] });
    const t = setup(world(5));
    for (let i = 0; i < 4; i++) t.limiter.admit(stateOf(t.snap));
    t.reload(world(3));
    expect(t.limiter.admit(stateOf(t.snap))).toMatchObject({ code: 'SIL_LIMIT_QUOTA_REQUESTS', message: 'policy "p": 3 requests per day for client web' });
    t.reload(world(6));
    expect(t.limiter.admit(stateOf(t.snap))).toBeNull();
    expect(t.limiter.admit(stateOf(t.snap))).toBeNull();
    expect(t.limiter.admit(stateOf(t.snap))).not.toBeNull();
    expect(t.limiter.status()[0]).toMatchObject({ used: 6, max: 6 });
    // A policy that no longer has the limit shows no counter for it.
    t.reload({ clientPolicy: 'p', policies: [{ name: 'p' }] });
    expect(t.limiter.status()).toEqual([]);
    expect(t.limiter.admit(stateOf(t.snap))).toBeNull();
  });

  it('works the same over a store that answers with promises', async () => {
    const mem = new MemoryCounterStore();
    const later: CounterStore = {
      checkAndAdd: (ops, now) => Promise.resolve(mem.checkAndAdd(ops, now)),
      add: (key, amount, expiresAt, now) => Promise.resolve(mem.add(key, amount, expiresAt, now)),
      entries: (now) => mem.entries(now),
    };
    const t = setup({ clientPolicy: 'p', policies: [{ name: 'p', rateLimit: { requests: 2, per: 'hour' }, budget: { amount: 1, period: 'day', alertAtPercent: [10] } }] }, later);
    const first = t.limiter.admit(stateOf(t.snap));
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBeNull();
    expect(await t.limiter.admit(stateOf(t.snap))).toBeNull();
    expect(await t.limiter.admit(stateOf(t.snap))).toMatchObject({ code: 'SIL_LIMIT_RATE' });
    t.limiter.record(usage('x', 'a', 1, 0.5));
    await new Promise((r) => setImmediate(r));
    expect(t.alerts.map((a) => a.percent)).toEqual([10]);
  });

  it('lists nothing for a request without a binding or without policies', () => {
    const t = setup({ policies: [] });
    const s = stateOf(t.snap);
    expect(t.limiter.admit(s)).toBeNull();
    expect(s.admission).toBeUndefined();
    expect(t.limiter.admit({ ...s, binding: undefined })).toBeNull();
  });
});
