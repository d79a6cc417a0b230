// The seam between the alert engine and the alerts shared by several instances (docs/alerts.md,
// "Several instances"; implemented by server/cluster/shared-alerts-replica.ts). Without one the
// engine is alone: its own book and alerts.json, as on a single hub.
import type { StoredAlert } from './alert-book.ts';
import type { AlertOp } from './alert-ops.ts';
import type { AlertNotification, AlertSilence } from './types.ts';

/**
 * alone: no Redis configured — evaluates, handles every event, tells the channels.
 * lead: the leader with Redis up — evaluates, handles every event, tells the channels once for all.
 * follow: Redis up, another instance leads — no evaluation, leaves config events to the leader, tells nobody.
 * local: Redis configured but not reachable — no evaluation (nobody leads), handles every event
 *   and tells the channels of its own changes; they are replayed to Redis when it is back.
 */
export type AlertRole = 'alone' | 'lead' | 'follow' | 'local';

export interface AlertState {
  alerts: StoredAlert[];
  silences: AlertSilence[];
}

/** What the replica calls back on the engine. */
export interface AlertMirror {
  /** The engine's current alerts and silences (to seed an empty shared store). */
  state(): AlertState;
  /** Everything as the shared store holds it now. */
  adopt(state: AlertState): void;
  /** One alert as the shared store holds it (undefined: removed). */
  put(id: string, alert: StoredAlert | undefined): void;
  setSilences(silences: AlertSilence[]): void;
  /** Another instance changed something (already put or adopted). */
  remoteChanged(): void;
  roleChanged(): void;
}

export interface AlertReplica {
  role(): AlertRole;
  /** Sends a change (already applied by the engine to its own copy) to the shared store, now or when Redis is back. */
  push(op: AlertOp): void;
  /** The leader: marks what is due of the alert as told in the shared store and answers it; [] when nothing is (any more). */
  claim(id: string, now: number): Promise<AlertNotification[]>;
  attach(mirror: AlertMirror): void;
  close(): Promise<void>;
}
