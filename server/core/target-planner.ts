// Which targets, with which keys, one request tries, in order: the binding's strategy applied to
// the targets that can take traffic now (provider and service enabled, a usable key, circuit
// not open). Pure: the snapshot, the breakers, latency stats, randomness and the round-robin
// counter all come in through the context.
import type { CompiledBinding, CompiledProvider, CompiledTarget } from '../config/snapshot.ts';
import type { KeyMeta } from '../vault/provider-keyring.ts';
import { circuitKey } from './circuit-registry.ts';

export interface PlannedAttempt {
  target: CompiledTarget;
  /** Position of the target in the binding. */
  targetIndex: number;
  /** The key to send with; null when the service needs none (auth `none`). */
  keyId: string | null;
  /** True when this target and key already appear earlier in the plan (a retry). */
  repeat: boolean;
}

export type SkipReason =
  | 'provider-missing' | 'provider-disabled' | 'service-missing' | 'service-disabled'
  | 'no-usable-key' | 'key-not-usable' | 'circuit-open';

export interface SkippedTarget {
  target: CompiledTarget;
  targetIndex: number;
  reason: SkipReason;
}

export interface TargetPlan {
  /** At most `failover.maxAttempts` long; empty when no target can take the request. */
  attempts: PlannedAttempt[];
  /** Targets left out, in binding order, with why (for `x-sil-failover-reason` and the log). */
  skipped: SkippedTarget[];
}

/** A provider's keys: ProviderKeyring fits. `usable()` lists active keys, the default first. */
export interface KeySource {
  usable(): readonly KeyMeta[];
}

/**
 * Circuit state by `circuitKey(provider, service, key)`; CircuitRegistry fits. It must not take a
 * half-open probe: the proxy calls the breaker's allow() when it actually sends.
 */
export interface BreakerCheck {
  wouldAllow(key: string): boolean;
}

export interface LatencyStats {
  /** Exponentially weighted mean latency of the target, or undefined when never measured. */
  ewmaLatencyMs(target: CompiledTarget): number | undefined;
}

export interface RoundRobin {
  /** The slot's counter value, then increments it. */
  next(slot: string): number;
  /** The slot's counter value, unchanged. */
  peek(slot: string): number;
}

/**
 * A binding's round-robin counters: slot `order` rotates the targets (round-robin), slot
 * `keys:<provider>` rotates that provider's key pool. At most one slot per provider.
 */
export class RoundRobinCounter implements RoundRobin {
  readonly #counts = new Map<string, number>();

  next(slot: string): number {
    const n = this.#counts.get(slot) ?? 0;
    this.#counts.set(slot, (n + 1) % 0x40000000);
    return n;
  }

  peek(slot: string): number {
    return this.#counts.get(slot) ?? 0;
  }
}

export interface PlanContext {
  providers: ReadonlyMap<string, CompiledProvider>;
  keyrings: ReadonlyMap<string, KeySource>;
  breakers: BreakerCheck;
  /** For least-latency; without it every latency is unknown. */
  stats?: LatencyStats;
  /** Uniform in [0, 1), for weighted. */
  random: () => number;
  /** Kept by the caller per binding. */
  roundRobin: RoundRobin;
  /** For lowest-cost: the estimated cost of a request on this target; undefined = unknown. */
  estimateCost?: (target: CompiledTarget) => number | undefined;
}

interface Candidate {
  target: CompiledTarget;
  index: number;
  /** Keys in the order this request uses them (rotated for the pool); [null] = no key needed. */
  keys: (string | null)[];
}

type Eligibility = { ok: true; keys: (string | null)[] } | { ok: false; reason: SkipReason };

function eligibility(target: CompiledTarget, ctx: PlanContext): Eligibility {
  const provider = ctx.providers.get(target.provider);
  if (!provider) return { ok: false, reason: 'provider-missing' };
  if (!provider.enabled) return { ok: false, reason: 'provider-disabled' };
  const service = provider.services.find((s) => s.id === target.service);
  if (!service) return { ok: false, reason: 'service-missing' };
  if (!service.enabled) return { ok: false, reason: 'service-disabled' };
  if (service.auth.type === 'none') {
    return ctx.breakers.wouldAllow(circuitKey(target.provider, target.service, null))
      ? { ok: true, keys: [null] } : { ok: false, reason: 'circuit-open' };
  }
  const usable = ctx.keyrings.get(target.provider)?.usable() ?? [];
  let pool = usable.map((k) => k.id);
  if (target.key !== undefined) {
    if (!pool.includes(target.key)) return { ok: false, reason: 'key-not-usable' };
    pool = [target.key];
  }
  if (pool.length === 0) return { ok: false, reason: 'no-usable-key' };
  const open = pool.filter((k) => ctx.breakers.wouldAllow(circuitKey(target.provider, target.service, k)));
  if (open.length === 0) return { ok: false, reason: 'circuit-open' };
  return { ok: true, keys: open };
}

/** Weighted random order without replacement; weight 0 is never drawn. */
function weightedOrder(items: readonly Candidate[], random: () => number): Candidate[] {
  const left = items.filter((c) => c.target.weight > 0);
  let total = left.reduce((sum, c) => sum + c.target.weight, 0);
  const out: Candidate[] = [];
  while (left.length > 0) {
    let r = random() * total;
    let pick = left.length - 1;
    for (let i = 0; i < left.length; i++) {
      r -= left[i].target.weight;
      if (r < 0) { pick = i; break; }
    }
    const [chosen] = left.splice(pick, 1);
    total -= chosen.target.weight;
    out.push(chosen);
  }
  return out;
}

/** Ascending by a measure; unknown values go first or last; ties keep binding order. */
function byMeasure(items: readonly Candidate[], measure: (c: Candidate) => number | undefined, unknown: 'first' | 'last'): Candidate[] {
  const edge = unknown === 'first' ? -Infinity : Infinity;
  const scored = items.map((c) => {
    const v = measure(c);
    return { c, v: v === undefined || Number.isNaN(v) ? edge : v };
  });
  scored.sort((a, b) => (a.v === b.v ? a.c.index - b.c.index : a.v < b.v ? -1 : 1));
  return scored.map((s) => s.c);
}

function order(binding: CompiledBinding, candidates: Candidate[], ctx: PlanContext): Candidate[] {
  switch (binding.strategy) {
    case 'priority':
      return candidates;
    case 'weighted':
      return weightedOrder(candidates, ctx.random);
    case 'round-robin': {
      if (candidates.length === 0) return candidates;
      const start = ctx.roundRobin.next('order') % candidates.length;
      return [...candidates.slice(start), ...candidates.slice(0, start)];
    }
    case 'least-latency':
      return byMeasure(candidates, (c) => ctx.stats?.ewmaLatencyMs(c.target), 'first');
    case 'lowest-cost':
      return byMeasure(candidates, (c) => ctx.estimateCost?.(c.target), 'last');
    default:
      return candidates;
  }
}

/**
 * The attempts of one request. Each target first gets one attempt, in strategy order, with the
 * next key of its pool (the pool rotates per request, so its keys share the load); while attempts
 * remain, further rounds use the targets' other keys (a 429 on one key may pass on another);
 * when every target-and-key pair is in the plan, the pairs repeat (`repeat: true`) up to
 * `maxAttempts`, for retries with backoff.
 */
export function planTargets(binding: CompiledBinding, ctx: PlanContext): TargetPlan {
  const skipped: SkippedTarget[] = [];
  const candidates: Candidate[] = [];
  binding.targets.forEach((target, index) => {
    const e = eligibility(target, ctx);
    if (!e.ok) {
      skipped.push({ target, targetIndex: index, reason: e.reason });
      return;
    }
    candidates.push({ target, index, keys: e.keys });
  });

  const ordered = order(binding, candidates, ctx);
  // Key pools rotate per provider: the request's first target advances the provider's counter,
  // later targets take the key after it, so a failover to the same provider uses another key
  // and the rotation does not lock onto one target's position in the order.
  ordered.forEach((c, position) => {
    if (c.keys.length < 2) return;
    const slot = `keys:${c.target.provider}`;
    const shift = (position === 0 ? ctx.roundRobin.next(slot) : ctx.roundRobin.peek(slot)) % c.keys.length;
    c.keys = [...c.keys.slice(shift), ...c.keys.slice(0, shift)];
  });
  const max = Math.max(1, Math.floor(binding.failover.maxAttempts));
  const distinct: PlannedAttempt[] = [];
  const rounds = Math.max(0, ...ordered.map((c) => c.keys.length));
  for (let round = 0; round < rounds; round++) {
    for (const c of ordered) {
      if (round < c.keys.length) distinct.push({ target: c.target, targetIndex: c.index, keyId: c.keys[round], repeat: false });
    }
  }
  const attempts: PlannedAttempt[] = [];
  for (let i = 0; distinct.length > 0 && attempts.length < max; i++) {
    const a = distinct[i % distinct.length];
    attempts.push(i < distinct.length ? a : { ...a, repeat: true });
  }
  return { attempts, skipped };
}

/** `x-sil-failover-reason` style summary of skipped targets: `openai-main/chat: circuit-open, ...`. */
export function describeSkipped(skipped: readonly SkippedTarget[]): string {
  return skipped.map((s) => `${s.target.provider}/${s.target.service}: ${s.reason}`).join(', ');
}
