// The passive health signals of every instance (docs/health.md, "Several instances"): each
// instance counts the traffic it proxied and keeps its own circuit breakers; it reports both to
// Redis every health tick (server/cluster/shared-health.ts), and the figures the monitor judges
// and shows are its own plus the fresh reports of its peers. Without Redis there are no peers and
// the figures are this instance's, as on a single hub. Pure apart from the sources it is given.
import type { TrafficWindow } from '../observe/health/traffic-window.ts';
import type { CircuitState } from '../observe/health/status-rules.ts';

/** What one instance reports: its traffic window per provider and its breakers' states. */
export interface PassiveReport {
  instance: string;
  /** When it was made (the reporter's clock, epoch ms). */
  at: number;
  /** provider → [requests, errors] in the window, providers with traffic only. */
  traffic: Record<string, [number, number]>;
  /** `provider/service/key` → state, every breaker of this instance. */
  circuits: [string, CircuitState][];
}

export class ClusterPassive {
  readonly windowMs: number;
  readonly #local: Pick<TrafficWindow, 'provider' | 'windowMs'>;
  readonly #localCircuits: () => Iterable<[string, CircuitState]>;
  #peers: PassiveReport[] = [];

  constructor(local: Pick<TrafficWindow, 'provider' | 'windowMs'>, localCircuits: () => Iterable<[string, CircuitState]>) {
    this.#local = local;
    this.#localCircuits = localCircuits;
    this.windowMs = local.windowMs;
  }

  /** The peers' latest reports (this instance's own excluded by the caller). */
  setPeers(reports: PassiveReport[]): void {
    this.#peers = reports;
  }

  peers(): readonly PassiveReport[] {
    return this.#peers;
  }

  provider(id: string, now: number): { requests: number; errors: number } {
    const out = { ...this.#local.provider(id, now) };
    for (const p of this.#peers) {
      const t = p.traffic[id];
      if (!t) continue;
      out.requests += t[0];
      out.errors += t[1];
    }
    return out;
  }

  /** This instance's breakers and its peers' (a provider is "every circuit open" only when it is so everywhere). */
  circuits(): [string, CircuitState][] {
    const out = [...this.#localCircuits()];
    for (const p of this.#peers) out.push(...p.circuits);
    return out;
  }

  /** This instance's own figures, to share. */
  report(instance: string, providers: Iterable<string>, now: number): PassiveReport {
    const traffic: Record<string, [number, number]> = {};
    for (const id of providers) {
      const t = this.#local.provider(id, now);
      if (t.requests > 0) traffic[id] = [t.requests, t.errors];
    }
    return { instance, at: now, traffic, circuits: [...this.#localCircuits()] };
  }
}

/** The reports in a Redis hash (instance → JSON) that are fresh, other than `self`'s; and the stale ones' fields. */
export function freshReports(fields: Record<string, string>, self: string, now: number, maxAgeMs: number): { fresh: PassiveReport[]; stale: string[] } {
  const fresh: PassiveReport[] = [];
  const stale: string[] = [];
  for (const [instance, text] of Object.entries(fields)) {
    if (instance === self) continue;
    let r: PassiveReport | null = null;
    try {
      r = JSON.parse(text) as PassiveReport;
    } catch {
      r = null;
    }
    if (!r || typeof r.at !== 'number' || typeof r.traffic !== 'object' || !Array.isArray(r.circuits) || now - r.at > maxAgeMs) stale.push(instance);
    else fresh.push({ ...r, instance });
  }
  return { fresh, stale };
}
