// What the proxy keeps between requests to choose targets: round-robin counters per binding,
// latency averages per target, the circuit breakers; and the planner over them.
import { planTargets, RoundRobinCounter, describeSkipped } from '../core/target-planner.ts';
import type { CircuitPeers } from '../core/circuit-breaker.ts';
import { CircuitRegistry } from '../core/circuit-registry.ts';
import type { CompiledBinding, CompiledTarget, ConfigSnapshot } from '../config/snapshot.ts';

const targetKeys = new WeakMap<CompiledTarget, string>();
/** The latency key of a target; targets of one binding with equal parts share their figures. */
function targetKey(t: CompiledTarget): string {
  let key = targetKeys.get(t);
  if (key === undefined) targetKeys.set(t, (key = `${t.provider}/${t.service}/${t.model ?? ''}`));
  return key;
}

/** Exponentially weighted mean latency per target. */
export class LatencyStats {
  // A cell per target, updated in place: a new number in the map would allocate on every request.
  readonly #ewma = new Map<string, { ms: number }>();
  ewmaLatencyMs(target: CompiledTarget): number | undefined {
    return this.#ewma.get(targetKey(target))?.ms;
  }
  observe(target: CompiledTarget, ms: number): void {
    const key = targetKey(target);
    const cell = this.#ewma.get(key);
    if (cell) cell.ms = cell.ms * 0.8 + ms * 0.2;
    else this.#ewma.set(key, { ms });
  }
}

/** A request's cost estimate on a target, from its model's list prices (per 1M tokens summed). */
function estimateCost(snapshot: ConfigSnapshot, t: CompiledTarget): number | undefined {
  const service = snapshot.providers.get(t.provider)?.services.find((s) => s.id === t.service);
  const pricing = (t.model ? service?.models.get(t.model)?.pricing : undefined) ?? service?.pricing;
  if (!pricing) return undefined;
  const sum = (pricing.inputPer1M ?? 0) + (pricing.outputPer1M ?? 0) + (pricing.perRequest ?? 0) + (pricing.perImage ?? 0);
  return sum > 0 ? sum : undefined;
}

export interface TargetChoice {
  breakers: CircuitRegistry;
  latency: LatencyStats;
  plan(binding: CompiledBinding, snapshot: ConfigSnapshot): { attempts: { target: CompiledTarget; keyId: string | null; repeat: boolean }[]; skipped: readonly { target: CompiledTarget; reason: string }[] };
}

const NONE_SKIPPED: readonly { target: CompiledTarget; reason: string }[] = Object.freeze([]);

/** Peers that share circuit state (server/cluster/shared-circuits.ts); they follow the registry made here. */
export interface CircuitSharing extends CircuitPeers {
  follow(registry: CircuitRegistry): void;
}

export function createTargetChoice(now: () => number = Date.now, random: () => number = Math.random, sharing?: CircuitSharing): TargetChoice {
  const breakers = new CircuitRegistry(now, sharing ? { peers: sharing } : {});
  sharing?.follow(breakers);
  const latency = new LatencyStats();
  const counters = new Map<string, RoundRobinCounter>();
  return {
    breakers,
    latency,
    plan(binding, snapshot) {
      let roundRobin = counters.get(binding.name);
      if (!roundRobin) counters.set(binding.name, (roundRobin = new RoundRobinCounter()));
      const plan = planTargets(binding, {
        providers: snapshot.providers,
        keyrings: snapshot.keyrings,
        breakers,
        stats: latency,
        random,
        roundRobin,
        estimateCost: binding.strategy === 'lowest-cost' ? (t) => estimateCost(snapshot, t) : undefined,
      });
      return { attempts: plan.attempts, skipped: plan.skipped.length === 0 ? NONE_SKIPPED : plan.skipped.map((s) => ({ target: s.target, reason: describeSkipped([s]) })) };
    },
  };
}
