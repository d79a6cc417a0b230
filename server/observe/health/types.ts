// The health monitor's contract: what it knows of each provider and key, for the alerts, the
// admin API (/api/health) and the console. The monitor (this folder) implements HealthSource and
// emits `provider.status` on the hub's events when a provider's status changes.

/** active: works; degraded: works with errors or slowness; error: does not work; disabled: switched off. */
export type HealthStatus = 'active' | 'degraded' | 'error' | 'disabled';

export interface ProbeResult {
  at: number;
  ok: boolean;
  /** The provider's HTTP status, when it answered. */
  status?: number;
  ms: number;
  /** Why it failed, safe to show (never a key, never a URL with a key in it). */
  error?: string;
}

export interface KeyHealth {
  keyId: string;
  status: HealthStatus;
  lastProbe?: ProbeResult;
}

export interface ProviderHealth {
  provider: string;
  environment: string;
  status: HealthStatus;
  /** Since when the provider has had this status, epoch ms. */
  since: number;
  /** Why, in a sentence (e.g. "3 probes failed: 503", "circuit open for chat"). */
  reason: string;
  lastProbe?: ProbeResult;
  /** Passive results from proxy traffic over the last few minutes. */
  traffic: { requests: number; errors: number; windowMs: number };
  /** Worst circuit state among its services and keys. */
  circuit: 'closed' | 'half-open' | 'open';
  keys: KeyHealth[];
  /** Share of time (0..1) the provider was active or degraded; null without history. */
  uptime: { '24h': number | null; '7d': number | null; '30d': number | null };
}

export interface HealthSource {
  all(): ProviderHealth[];
  get(provider: string): ProviderHealth | undefined;
}

export interface HealthTransition {
  provider: string;
  at: number;
  /** null for the first status the monitor recorded. */
  from: HealthStatus | null;
  to: HealthStatus;
  reason: string;
}

/** What the admin API reads: HealthSource plus the history of one provider. */
export interface HealthView extends HealthSource {
  /** Oldest first. */
  transitions(provider: string): HealthTransition[];
  /** The provider's recent probes, oldest first. */
  probes(provider: string): ProbeResult[];
}
