// provider-down held against the health monitor's statuses, for the leader of several instances
// (docs/alerts.md, "Several instances"): an alert raised by an instance on its own while Redis
// was down, or one whose raise was lost with a leader that died, is set right at the next
// evaluation — firing while the provider is in error, resolved once it is not. Pure.
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { StoredAlert } from './alert-book.ts';
import { outcomeOfEvent } from './event-rules.ts';
import type { AlertRaise } from './types.ts';

export interface HealthVerdicts {
  /** The provider's status and reason as the monitor last judged them (undefined: not judged). */
  verdictOf(provider: string): { status: string; reason: string } | undefined;
}

export function reconcileProviderDown(snapshot: Pick<ConfigSnapshot, 'providers'>, firing: (id: string) => StoredAlert | undefined, health: HealthVerdicts): { raise: AlertRaise[]; resolve: string[] } {
  const out: { raise: AlertRaise[]; resolve: string[] } = { raise: [], resolve: [] };
  for (const [id, p] of snapshot.providers) {
    const v = health.verdictOf(id);
    if (!v) continue;
    const alertId = `provider-down:${id}`;
    const a = firing(alertId);
    if (v.status === 'error' && !a) {
      const r = outcomeOfEvent({ id: '', type: 'provider.status', at: 0, data: { provider: id, to: 'error', reason: v.reason }, ...(p.environment ? { environment: p.environment } : {}) }).raise;
      if (r) out.raise.push(r);
    } else if (v.status !== 'error' && a) out.resolve.push(alertId);
  }
  return out;
}
