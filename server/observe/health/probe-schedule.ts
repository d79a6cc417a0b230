// When a provider is probed (docs/health.md): its interval (providers/<id>.yaml
// healthCheck.intervalSeconds, else the template's, else 60 s), never more often than one tenth
// of the rate its attached policy allows, spread by ±10 % jitter; a failed probe is confirmed
// sooner (a quarter of the interval); a 429 waits for the provider's retry-after. Keys other than
// the default are probed every KEY_ROUNDS-th round. Pure.
import type { CompiledProvider } from '../../config/snapshot.ts';
import type { Policy } from '../../../schemas/types.gen.ts';

export const DEFAULT_INTERVAL_S = 60;
export const JITTER = 0.1;
/** Probes may use at most this share of the policy's rate. */
export const RATE_SHARE = 0.1;
export const KEY_ROUNDS = 5;
/** The longest a retry-after is honoured. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const PER_MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** The shortest gap between two probes the provider's policy allows (0 without a rate limit). */
export function rateFloorMs(policy: Readonly<Policy> | undefined): number {
  const r = policy?.rateLimit;
  if (!r) return 0;
  return Math.ceil(PER_MS[r.per] / r.requests / RATE_SHARE);
}

/** The provider's probe interval in ms; `overrideMs` (tests, SIL_HEALTH_INTERVAL_MS) replaces the configured one but not the floor. */
export function intervalMs(p: Pick<CompiledProvider, 'healthCheck' | 'instanceHealthCheck'>, policy: Readonly<Policy> | undefined, overrideMs?: number): number {
  const configured = (p.instanceHealthCheck?.intervalSeconds ?? p.healthCheck?.intervalSeconds ?? DEFAULT_INTERVAL_S) * 1000;
  return Math.max(overrideMs ?? configured, rateFloorMs(policy));
}

/** `base` spread by ±JITTER; `random` in [0, 1). */
export function withJitter(base: number, random: number): number {
  return Math.round(base * (1 + JITTER * (random * 2 - 1)));
}

export interface NextProbe {
  intervalMs: number;
  floorMs: number;
  /** The probe just made failed. */
  failed: boolean;
  /** A retry-after the provider asked for, ms. */
  retryAfterMs?: number;
  random: number;
}

/** The delay before the next probe of a provider. */
export function nextDelay(n: NextProbe): number {
  const base = n.failed ? Math.max(n.intervalMs / 4, n.floorMs) : n.intervalMs;
  const delay = withJitter(base, n.random);
  if (n.retryAfterMs !== undefined) return Math.max(delay, Math.min(n.retryAfterMs, MAX_RETRY_AFTER_MS));
  return delay;
}
