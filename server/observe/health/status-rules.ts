// The status rules (docs/health.md): from a key's recent probes, the traffic window and the
// circuit breakers to active / degraded / error / disabled, per key and per provider. Pure.
import type { HealthStatus, ProbeResult } from './types.ts';

/** Consecutive failed probes that make a key `error` (one makes it `degraded`). */
export const FAILED_PROBES_FOR_ERROR = 2;
/** Traffic in the window is judged from this many requests on. */
export const MIN_TRAFFIC = 5;
/** Share of failed requests in the window that makes a provider `degraded`. */
export const DEGRADED_ERROR_RATE = 0.2;

export type CircuitState = 'closed' | 'half-open' | 'open';

export interface KeyInput {
  keyId: string;
  /** false: the key is not active (retired, revoked, disabled). */
  usable: boolean;
  /** Newest last. */
  probes: readonly ProbeResult[];
  /** Worst circuit state of the key's breakers; absent when it has none. */
  circuit?: CircuitState;
}

export interface ProviderInput {
  enabled: boolean;
  /** The provider sends no credentials: keys are not needed. */
  keyless: boolean;
  keys: readonly KeyInput[];
  /** Probes of a keyless provider (or of a health check with `auth: false`), newest last. */
  probes: readonly ProbeResult[];
  traffic: { requests: number; errors: number };
  /** Every breaker's state of the provider (services × keys). */
  circuits: readonly CircuitState[];
}

export interface Verdict { status: HealthStatus; reason: string }

const failure = (p: ProbeResult) => p.error ?? (p.status !== undefined ? `status ${p.status}` : 'failed');

/** The trailing run of failed probes (newest last). */
export function failedRun(probes: readonly ProbeResult[]): ProbeResult[] {
  const out: ProbeResult[] = [];
  for (let i = probes.length - 1; i >= 0 && !probes[i].ok; i--) out.unshift(probes[i]);
  return out;
}

export function probeVerdict(probes: readonly ProbeResult[]): Verdict | null {
  const run = failedRun(probes);
  if (run.length === 0) return null;
  const last = failure(run[run.length - 1]);
  if (run.length >= FAILED_PROBES_FOR_ERROR) return { status: 'error', reason: `${run.length} probes failed: ${last}` };
  return { status: 'degraded', reason: `the last probe failed: ${last}` };
}

/** The last probe was refused for its credentials. */
export function keyRefused(probes: readonly ProbeResult[]): boolean {
  const last = probes[probes.length - 1];
  return last !== undefined && !last.ok && (last.status === 401 || last.status === 403);
}

export function keyStatus(k: KeyInput, providerEnabled: boolean): Verdict {
  if (!providerEnabled) return { status: 'disabled', reason: 'the provider is switched off' };
  if (!k.usable) return { status: 'disabled', reason: 'the key is not active' };
  const probe = probeVerdict(k.probes);
  if (probe?.status === 'error') return probe;
  if (k.circuit === 'open') return { status: 'error', reason: 'circuit open' };
  if (probe) return probe;
  if (k.circuit === 'half-open') return { status: 'degraded', reason: 'circuit half-open' };
  return { status: 'active', reason: k.probes.length ? 'the last probe passed' : 'no problem seen' };
}

export function worstCircuit(states: readonly CircuitState[]): CircuitState {
  if (states.includes('open')) return 'open';
  if (states.includes('half-open')) return 'half-open';
  return 'closed';
}

/**
 * error: the provider's probes (its default key's, or its own when keyless) failed twice in a
 * row (unless the default key was refused with 401/403 and another key works), its default key's
 * circuits are open, no key is usable, or every circuit is open.
 * degraded: a probe failed once, some key is in error or degraded, some circuit is not closed,
 * or at least 20 % of at least 5 requests in the traffic window failed.
 */
export function providerStatus(p: ProviderInput): Verdict {
  if (!p.enabled) return { status: 'disabled', reason: 'the provider is switched off' };
  const usable = p.keys.filter((k) => k.usable);
  if (!p.keyless && usable.length === 0) return { status: 'error', reason: 'no active key' };
  const verdicts = usable.map((k) => ({ k, v: keyStatus(k, true) }));
  const own = p.keyless ? probeVerdict(p.probes) : null;
  const main = verdicts[0];
  if (own?.status === 'error') return own;
  if (main && main.v.status === 'error') {
    // A refused key (401/403) is the key's problem when another key still works; anything else
    // (5xx, timeouts, no connection) is the provider's.
    const others = verdicts.slice(1).filter((x) => x.v.status !== 'error');
    if (keyRefused(main.k.probes) && others.length > 0) return { status: 'degraded', reason: `key ${main.k.keyId}: ${main.v.reason}; other keys work` };
    return { status: 'error', reason: main.v.reason };
  }
  if (p.circuits.length > 0 && p.circuits.every((c) => c === 'open')) return { status: 'error', reason: 'circuit open on every service and key' };
  if (own) return own;
  const bad = verdicts.find((x) => x.v.status !== 'active');
  if (bad) return { status: 'degraded', reason: `key ${bad.k.keyId}: ${bad.v.reason}` };
  const circuit = worstCircuit(p.circuits);
  if (circuit !== 'closed') return { status: 'degraded', reason: `circuit ${circuit} on some service or key` };
  const { requests, errors } = p.traffic;
  if (requests >= MIN_TRAFFIC && errors / requests >= DEGRADED_ERROR_RATE) {
    return { status: 'degraded', reason: `${errors} of the last ${requests} requests failed` };
  }
  const probed = p.probes.length > 0 || usable.some((k) => k.probes.length > 0);
  return { status: 'active', reason: probed ? 'probes pass' : requests > 0 ? 'traffic passes' : 'no problem seen' };
}
