import { describe, it, expect } from 'vitest';
import { planTargets, describeSkipped, RoundRobinCounter, type PlanContext, type TargetPlan } from '../../../server/core/target-planner.ts';
import { CircuitRegistry, circuitKey } from '../../../server/core/circuit-registry.ts';
import type { AuthScheme } from '../../../schemas/types.gen.ts';
import { binding, fakeClock, keyring, provider, seededRandom, service, target, world } from './fixtures.ts';

type World = ReturnType<typeof world>;

function ctx(w: World, over: Partial<PlanContext> = {}): PlanContext {
  return {
    providers: w.providers, keyrings: w.keyrings, breakers: { wouldAllow: () => true },
    random: seededRandom(1), roundRobin: new RoundRobinCounter(), ...over,
  };
}
const seq = (plan: TargetPlan) => plan.attempts.map((a) => `${a.target.provider}:${a.keyId}`);
const firsts = (plan: TargetPlan) => plan.attempts.map((a) => a.target.provider);
const reasons = (plan: TargetPlan) => plan.skipped.map((s) => `${s.target.provider}:${s.reason}`);

describe('planTargets: strategies', () => {
  it('priority keeps the listed order, capped at maxAttempts', () => {
    const w = world(['a', 'b', 'c', 'd']);
    const b = binding(['a', 'b', 'c', 'd'].map((p) => target(p)), { maxAttempts: 2 });
    expect(seq(planTargets(b, ctx(w)))).toEqual(['a:a-k1', 'b:b-k1']);
    const all = binding(['a', 'b', 'c', 'd'].map((p) => target(p)), { maxAttempts: 4 });
    const plan = planTargets(all, ctx(w));
    expect(firsts(plan)).toEqual(['a', 'b', 'c', 'd']);
    expect(plan.attempts.map((a) => a.targetIndex)).toEqual([0, 1, 2, 3]);
    expect(plan.skipped).toEqual([]);
  });

  it('round-robin rotates the start with the counter kept per binding', () => {
    const w = world(['a', 'b', 'c']);
    const b = binding(['a', 'b', 'c'].map((p) => target(p)), { strategy: 'round-robin' });
    const c = ctx(w);
    expect([0, 1, 2, 3].map(() => firsts(planTargets(b, c)).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
  });

  it('round-robin spreads over the targets that can take traffic', () => {
    const w = world(['a', 'b', 'c']);
    w.providers.set('b', provider('b', { enabled: false }));
    const b = binding(['a', 'b', 'c'].map((p) => target(p)), { strategy: 'round-robin', maxAttempts: 2 });
    const c = ctx(w);
    expect([0, 1, 2].map(() => firsts(planTargets(b, c)).join(''))).toEqual(['ac', 'ca', 'ac']);
  });

  it('least-latency goes fastest first, unmeasured targets before all (so they get measured)', () => {
    const w = world(['a', 'b', 'c', 'd']);
    const lat: Record<string, number | undefined> = { a: 300, b: undefined, c: 100, d: 300 };
    const b = binding(['a', 'b', 'c', 'd'].map((p) => target(p)), { strategy: 'least-latency', maxAttempts: 4 });
    expect(firsts(planTargets(b, ctx(w, { stats: { ewmaLatencyMs: (t) => lat[t.provider] } })))).toEqual(['b', 'c', 'a', 'd']);
    expect(firsts(planTargets(b, ctx(w)))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lowest-cost goes cheapest first, unknown cost last', () => {
    const w = world(['a', 'b', 'c', 'd']);
    const cost: Record<string, number | undefined> = { a: 0.02, b: undefined, c: 0.01, d: Number.NaN };
    const b = binding(['a', 'b', 'c', 'd'].map((p) => target(p)), { strategy: 'lowest-cost', maxAttempts: 4 });
    expect(firsts(planTargets(b, ctx(w, { estimateCost: (t) => cost[t.provider] })))).toEqual(['c', 'a', 'b', 'd']);
  });

  it('weighted: the first pick follows the weights within 3% over 10,000 seeded draws; weight 0 never chosen', () => {
    const w = world(['a', 'b', 'c', 'z']);
    const weights: Record<string, number> = { a: 1, b: 3, c: 6, z: 0 };
    const b = binding(Object.keys(weights).map((p) => target(p, { weight: weights[p] })), { strategy: 'weighted', maxAttempts: 3 });
    const c = ctx(w, { random: seededRandom(20260110) });
    const first: Record<string, number> = { a: 0, b: 0, c: 0, z: 0 };
    const second: Record<string, number> = { a: 0, b: 0, c: 0, z: 0 };
    for (let i = 0; i < 10_000; i++) {
      const plan = planTargets(b, c);
      const order = firsts(plan);
      expect(order).toHaveLength(3);
      expect(new Set(order).size).toBe(3); // without replacement
      expect(order).not.toContain('z');
      first[order[0]]++;
      second[order[1]]++;
    }
    for (const p of ['a', 'b', 'c']) expect(Math.abs(first[p] / 10_000 - weights[p] / 10)).toBeLessThan(0.03);
    expect(first.z + second.z).toBe(0);
    // Second place, without replacement: P(a second) = 0.3*1/7 + 0.6*1/4 = 0.193.
    expect(Math.abs(second.a / 10_000 - (0.3 / 7 + 0.6 / 4))).toBeLessThan(0.03);
  });

  it('weighted with only weight-0 targets left plans nothing', () => {
    const w = world(['a', 'z']);
    w.providers.set('a', provider('a', { enabled: false }));
    const b = binding([target('a', { weight: 5 }), target('z', { weight: 0 })], { strategy: 'weighted' });
    const plan = planTargets(b, ctx(w));
    expect(plan.attempts).toEqual([]);
    expect(reasons(plan)).toEqual(['a:provider-disabled']);
  });
});

describe('planTargets: skipping', () => {
  it('skips missing or disabled providers and services, with the reason, in binding order', () => {
    const w = world(['a', 'b', 'c', 'd', 'e']);
    w.providers.set('b', provider('b', { enabled: false }));
    w.providers.set('c', provider('c', { services: [service('chat', { enabled: false })] }));
    const b = binding([
      target('ghost'), target('b'), target('c'), target('d', { service: 'embed' }), target('e'),
    ], { maxAttempts: 3 });
    const plan = planTargets(b, ctx(w));
    expect(seq(plan)).toEqual(['e:e-k1', 'e:e-k1', 'e:e-k1']);
    expect(reasons(plan)).toEqual(['ghost:provider-missing', 'b:provider-disabled', 'c:service-disabled', 'd:service-missing']);
    expect(plan.skipped.map((s) => s.targetIndex)).toEqual([0, 1, 2, 3]);
    expect(describeSkipped(plan.skipped)).toBe('ghost/chat: provider-missing, b/chat: provider-disabled, c/chat: service-disabled, d/embed: service-missing');
  });

  it('skips targets without a usable key: no keyring, only suspended, staged or revoked keys', () => {
    const w = world(['a', 'b', 'c']);
    w.keyrings.delete('a');
    w.keyrings.set('b', keyring('b', [{ id: 'old', status: 'suspended', default: true }, { id: 'new', status: 'staged' }, { id: 'dead', status: 'revoked' }]));
    const plan = planTargets(binding([target('a'), target('b'), target('c')]), ctx(w));
    expect(seq(plan)).toEqual(['c:c-k1', 'c:c-k1', 'c:c-k1']);
    expect(reasons(plan)).toEqual(['a:no-usable-key', 'b:no-usable-key']);
  });

  it('a target naming a key uses only that key, and is skipped when it is not usable', () => {
    const w = world(['a', 'b']);
    w.keyrings.set('a', keyring('a', ['main', 'spare', { id: 'paused', status: 'suspended' }]));
    const c = ctx(w);
    const b = binding([target('a', { key: 'spare' })], { maxAttempts: 2 });
    expect(seq(planTargets(b, c))).toEqual(['a:spare', 'a:spare']);
    expect(seq(planTargets(b, c))).toEqual(['a:spare', 'a:spare']);
    const paused = planTargets(binding([target('a', { key: 'paused' }), target('a', { key: 'nope' }), target('b')]), c);
    expect(seq(paused)).toEqual(['b:b-k1', 'b:b-k1', 'b:b-k1']);
    expect(reasons(paused)).toEqual(['a:key-not-usable', 'a:key-not-usable']);
  });

  it('skips targets whose breaker refuses, per key', () => {
    const w = world(['a', 'b', 'c']);
    w.keyrings.set('c', keyring('c', ['c1', 'c2']));
    const open = new Set([circuitKey('a', 'chat', 'a-k1'), circuitKey('c', 'chat', 'c1')]);
    const c = ctx(w, { breakers: { wouldAllow: (k) => !open.has(k) } });
    const plan = planTargets(binding([target('a'), target('b'), target('c')], { maxAttempts: 4 }), c);
    expect(seq(plan)).toEqual(['b:b-k1', 'c:c2', 'b:b-k1', 'c:c2']);
    expect(plan.attempts.map((a) => a.repeat)).toEqual([false, false, true, true]);
    expect(reasons(plan)).toEqual(['a:circuit-open']);
  });

  it('works with a CircuitRegistry as the breaker check, without taking the half-open probe', () => {
    const clock = fakeClock();
    const registry = new CircuitRegistry(clock.now);
    const cfg = { errorRate: 0.5, minRequests: 2, windowSeconds: 10, cooldownSeconds: 5 };
    const breaker = registry.get(circuitKey('a', 'chat', 'a-k1'), cfg);
    breaker.record(false); breaker.record(false);
    const w = world(['a', 'b']);
    const b = binding([target('a'), target('b')]);
    expect(reasons(planTargets(b, ctx(w, { breakers: registry })))).toEqual(['a:circuit-open']);
    clock.advance(5_000);
    expect(firsts(planTargets(b, ctx(w, { breakers: registry })))).toEqual(['a', 'b']);
    expect(firsts(planTargets(b, ctx(w, { breakers: registry })))).toEqual(['a', 'b']);
    expect(breaker.allow()).toBe(true); // the proxy takes the probe when it sends
    expect(reasons(planTargets(b, ctx(w, { breakers: registry })))).toEqual(['a:circuit-open']);
  });

  it('a service with auth none needs no key', () => {
    const w = world(['a']);
    w.keyrings.delete('a');
    w.providers.set('a', provider('a', { services: [service('chat', { auth: { type: 'none' } as AuthScheme })] }));
    const plan = planTargets(binding([target('a')]), ctx(w));
    expect(plan.attempts).toEqual([{ target: target('a'), targetIndex: 0, keyId: null, repeat: false }]);
  });

  it('plans nothing when no target can take the request', () => {
    const w = world([]);
    const plan = planTargets(binding([target('a'), target('b')]), ctx(w));
    expect(plan.attempts).toEqual([]);
    expect(reasons(plan)).toEqual(['a:provider-missing', 'b:provider-missing']);
  });
});

describe('planTargets: key pools and attempts', () => {
  it('spreads requests over the active keys of a provider, default first', () => {
    const w = world(['a']);
    w.keyrings.set('a', keyring('a', ['k2', { id: 'k1', default: true }, { id: 'off', status: 'suspended' }, 'k3']));
    const c = ctx(w);
    const b = binding([target('a')], { maxAttempts: 1 });
    expect([0, 1, 2, 3, 4].map(() => seq(planTargets(b, c))[0])).toEqual(['a:k1', 'a:k2', 'a:k3', 'a:k1', 'a:k2']);
  });

  it('after every target had one attempt, further attempts use the other keys of the same targets', () => {
    const w = world(['a', 'b']);
    w.keyrings.set('a', keyring('a', ['k1', 'k2', 'k3']));
    const c = ctx(w);
    const b = binding([target('a'), target('b')], { maxAttempts: 4 });
    expect(seq(planTargets(b, c))).toEqual(['a:k1', 'b:b-k1', 'a:k2', 'a:k3']);
    expect(seq(planTargets(b, c))).toEqual(['a:k2', 'b:b-k1', 'a:k3', 'a:k1']);
    const five = planTargets(binding([target('a'), target('b')], { maxAttempts: 6 }), ctx(w));
    expect(seq(five)).toEqual(['a:k1', 'b:b-k1', 'a:k2', 'a:k3', 'a:k1', 'b:b-k1']);
    expect(five.attempts.map((x) => x.repeat)).toEqual([false, false, false, false, true, true]);
  });

  it('round-robin targets and key pools rotate independently', () => {
    const w = world(['a', 'b']);
    w.keyrings.set('a', keyring('a', ['k1', 'k2']));
    const c = ctx(w);
    const b = binding([target('a'), target('b')], { strategy: 'round-robin', maxAttempts: 1 });
    const firstAttempts = Array.from({ length: 8 }, () => seq(planTargets(b, c))[0]);
    expect(new Set(firstAttempts)).toEqual(new Set(['a:k1', 'a:k2', 'b:b-k1']));
  });

  it('round-robin targets and key pools rotate independently with failover in the plan', () => {
    const w = world(['a', 'b']);
    w.keyrings.set('a', keyring('a', ['k1', 'k2']));
    const c = ctx(w);
    const b = binding([target('a'), target('b')], { strategy: 'round-robin', maxAttempts: 2 });
    const plans = Array.from({ length: 4 }, () => seq(planTargets(b, c)).join(' '));
    expect(plans).toEqual(['a:k1 b:b-k1', 'b:b-k1 a:k2', 'a:k2 b:b-k1', 'b:b-k1 a:k1']);
  });

  it('two targets on one provider: the failover to the second one uses the other key', () => {
    const w = world(['a']);
    w.keyrings.set('a', keyring('a', ['k1', 'k2']));
    const c = ctx(w);
    const b = binding([target('a', { model: 'm1' }), target('a', { model: 'm2' })], { maxAttempts: 2 });
    const plans = Array.from({ length: 3 }, () => planTargets(b, c).attempts.map((x) => `${x.target.model}:${x.keyId}`).join(' '));
    expect(plans).toEqual(['m1:k1 m2:k2', 'm1:k2 m2:k1', 'm1:k1 m2:k2']);
  });

  it('maxAttempts caps the plan; a single target and key is retried up to it', () => {
    const w = world(['a', 'b', 'c']);
    expect(planTargets(binding([target('a'), target('b'), target('c')], { maxAttempts: 1 }), ctx(w)).attempts).toHaveLength(1);
    const single = planTargets(binding([target('a')], { maxAttempts: 3 }), ctx(w));
    expect(seq(single)).toEqual(['a:a-k1', 'a:a-k1', 'a:a-k1']);
    expect(single.attempts.map((x) => x.repeat)).toEqual([false, true, true]);
    expect(planTargets(binding([target('a')]), ctx(w)).attempts).toHaveLength(1);
  });
});
