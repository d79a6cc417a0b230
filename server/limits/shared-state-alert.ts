// The built-in alert `shared-state-unavailable:redis` (docs/alerts.md) for the limits' shared
// store: raised while Redis is configured and cannot answer, resolved when it answers again.
// Pure apart from the raiser the hub passes (its AlertEngine).
import type { AlertRaise, AlertRaiser } from '../observe/alerts/types.ts';
import type { SharedStateProblem } from './shared-counter-store.ts';

export const SHARED_STATE_ALERT_ID = 'shared-state-unavailable:redis';

export function sharedStateAlertOf(p: SharedStateProblem): AlertRaise {
  const error = p.error.slice(0, 300);
  return {
    id: SHARED_STATE_ALERT_ID,
    kind: 'shared-state-unavailable',
    subject: 'redis',
    severity: 'critical',
    title: 'Redis cannot be reached',
    detail: `This instance cannot use the shared counters at ${p.url} (${error}). Until Redis answers, each policy's limits follow its failMode: local counts in this instance only, open admits without counting, closed refuses with 503 SIL_LIMIT_STORE_UNAVAILABLE. Check that Redis runs and is reachable (sil doctor).`,
    evidence: { url: p.url, error },
  };
}

/** A listener for the store's problem that raises the alert, and resolves it when the problem is gone. */
export function sharedStateAlerter(alerts: AlertRaiser): (p: SharedStateProblem | null) => void {
  return (p) => {
    if (p) alerts.raise(sharedStateAlertOf(p));
    else alerts.resolve(SHARED_STATE_ALERT_ID);
  };
}
