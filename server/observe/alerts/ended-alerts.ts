// Which firing alerts no longer hold, at an evaluation: a periodic rule's alert its rule did not
// raise this time, a provider-down of a provider gone from the config, a budget whose period
// ended, a config rejection followed by a good commit (also one that went live while the hub was
// stopped). Pure.
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { LimitStatus } from '../../limits/limit-status.ts';
import type { StoredAlert } from './alert-book.ts';
import type { AlertKind } from './types.ts';

const PERIODIC_KINDS = new Set<AlertKind>(['policy', 'key-rotation-due', 'key-rotation-overdue', 'key-expiring']);

/** Ids of the firing alerts to resolve; `holding`: the ids the periodic rules raised now. */
export function endedAlerts(alerts: Iterable<StoredAlert>, holding: ReadonlySet<string>, snapshot: Pick<ConfigSnapshot, 'providers' | 'loadedAt'>, limits: readonly LimitStatus[]): string[] {
  const out: string[] = [];
  for (const a of alerts) {
    if (a.state !== 'firing') continue;
    if (PERIODIC_KINDS.has(a.kind) ? !holding.has(a.id)
      : a.kind === 'provider-down' ? !snapshot.providers.has(a.subject)
      : a.kind === 'budget' ? !budgetHolds(a, limits)
      : a.kind === 'config-rejected' && Date.parse(snapshot.loadedAt) > a.lastSeenAt) out.push(a.id);
  }
  return out;
}

/** A budget alert holds while the limiter still counts that budget in the period it crossed in. */
function budgetHolds(a: StoredAlert, limits: readonly LimitStatus[]): boolean {
  const policy = a.evidence?.policy;
  const scope = a.evidence?.scope;
  const s = limits.find((l) => l.limit === 'budget' && l.policy === policy && l.scope === scope);
  if (!s) return false;
  const start = a.evidence?.periodStart;
  return typeof start !== 'number' || s.periodStart <= start;
}
