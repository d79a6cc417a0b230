// The remote-sync alert (docs/alerts.md) from the state of the last syncs: critical while the
// histories have diverged, a warning after a few failed syncs in a row, none otherwise.
import type { AlertRaise } from '../observe/alerts/types.ts';

export interface SyncCondition {
  diverged: boolean;
  ahead: number | null;
  behind: number | null;
  /** Failed syncs in a row, and the last failure. */
  failures: number;
  error: string | null;
}

/** Failed syncs in a row before the warning (one failure is often a blip of the network). */
export const FAILURES_BEFORE_ALERT = 3;

export const remoteSyncAlertId = (remote: string) => `remote-sync:${remote}`;

export function remoteSyncAlert(remote: string, branch: string, c: SyncCondition, failuresBeforeAlert = FAILURES_BEFORE_ALERT): AlertRaise | null {
  if (c.diverged) {
    return {
      kind: 'remote-sync',
      subject: remote,
      severity: 'critical',
      title: `The config remote ${remote} has diverged from this hub`,
      detail: `main here and ${branch} on the remote each have commits the other lacks (${c.ahead ?? '?'} here, ${c.behind ?? '?'} there). This hub keeps serving its own main and pushes nothing; nothing is ever force-pushed. Merge the two histories on the remote (docs/remote-sync.md, "Diverged").`,
      evidence: { ahead: c.ahead ?? -1, behind: c.behind ?? -1, branch },
    };
  }
  if (c.failures >= failuresBeforeAlert && c.error) {
    return {
      kind: 'remote-sync',
      subject: remote,
      severity: 'warning',
      title: `The config remote ${remote} cannot be synced`,
      detail: `${c.failures} syncs in a row failed; the last: ${c.error}. This hub keeps serving its config and retries on its interval.`,
      evidence: { failures: c.failures, branch },
    };
  }
  return null;
}
