// sil_circuit_state per provider and service, from the proxy's circuit breakers (one per
// provider/service/key): 0 closed, 1 half-open, 2 open; the worst of a service's keys. Every
// service of the live config has a series (0 until a breaker exists); breakers of providers or
// services no longer configured are left out.
import type { CircuitState } from '../../core/circuit-breaker.ts';
import type { ConfigSnapshot } from '../../config/snapshot.ts';

export const CIRCUIT_LEVEL: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

export interface LabelledValue { labels: Record<string, string>; value: number }

/** `states` are [registry key `provider/service/key`, state] pairs (CircuitRegistry.states()). */
export function circuitLevels(snapshot: ConfigSnapshot | null, states: Iterable<readonly [string, CircuitState]>): LabelledValue[] {
  const levels = new Map<string, LabelledValue>();
  for (const p of snapshot?.providers.values() ?? []) {
    for (const s of p.services) levels.set(`${p.id}/${s.id}`, { labels: { provider: p.id, service: s.id }, value: 0 });
  }
  for (const [key, state] of states) {
    // Provider and service ids have no "/" (schema: [a-z0-9-]), so the first two parts are they.
    const second = key.indexOf('/', key.indexOf('/') + 1);
    const entry = second < 0 ? undefined : levels.get(key.slice(0, second));
    if (entry) entry.value = Math.max(entry.value, CIRCUIT_LEVEL[state]);
  }
  return [...levels.values()];
}
