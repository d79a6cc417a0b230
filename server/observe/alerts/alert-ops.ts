// Changes to the alerts as operations (docs/alerts.md, "Several instances"). An instance applies
// each change to its own copy at once; the shared store (server/cluster/shared-alerts.ts)
// applies the same operation to the record in Redis atomically. So a change made on any
// instance — or made while Redis was down and replayed when it is back — follows the same rules
// (AlertBook) as on a single hub. Pure.
import { AlertBook, type StoredAlert } from './alert-book.ts';
import type { AlertKind, AlertNotification, AlertRaise, AlertSeverity, AlertSilence } from './types.ts';

export type AlertOp =
  | { type: 'raise'; raise: AlertRaise & { id: string; channels: string[] }; at: number }
  | { type: 'resolve'; id: string; at: number }
  | { type: 'ack'; id: string; at: number }
  /** A transition told to the channels (by an instance on its own while Redis was down). */
  | { type: 'told'; id: string; transition: 'firing' | 'resolved'; severity: AlertSeverity }
  /** Pruned: removed when it is (still) resolved. */
  | { type: 'drop'; id: string }
  | { type: 'silence'; silence: AlertSilence }
  /** Lifts the alert's own silence and its kind's. */
  | { type: 'unsilence'; id: string; kind: AlertKind };

export type RecordOp = Exclude<AlertOp, { type: 'silence' } | { type: 'unsilence' }>;

export const isRecordOp = (op: AlertOp): op is RecordOp => op.type !== 'silence' && op.type !== 'unsilence';

/** The alert an operation changes (silence operations: none). */
export function opAlertId(op: AlertOp): string | undefined {
  if (op.type === 'raise') return op.raise.id;
  if (op.type === 'silence') return undefined;
  return op.id;
}

/** The record after the operation (undefined: there is none). Never changes `rec`. */
export function applyToRecord(rec: StoredAlert | undefined, op: RecordOp, cooldownMs: number): StoredAlert | undefined {
  if (op.type === 'drop') return rec && rec.state === 'resolved' ? undefined : rec;
  const book = new AlertBook({ cooldownMs });
  if (rec) book.load({ alerts: [rec], silences: [] });
  switch (op.type) {
    case 'raise':
      book.raise(op.raise, op.at);
      return book.get(op.raise.id);
    case 'resolve':
      book.resolve(op.id, op.at);
      break;
    case 'ack':
      book.acknowledge(op.id, op.at);
      break;
    case 'told': {
      const a = book.get(op.id);
      if (!a) break;
      a.notified = op.transition;
      if (op.transition === 'firing') {
        a.notifiedSeverity = op.severity;
        delete a.holdUntil;
      }
      break;
    }
  }
  return book.get(op.id);
}

/** What is to be told of one alert now, and the record once told (AlertBook.due on it alone). Never changes `rec`. */
export function dueOf(rec: StoredAlert, silences: readonly AlertSilence[], now: number, cooldownMs: number): { rec: StoredAlert; notifications: AlertNotification[] } {
  const book = new AlertBook({ cooldownMs });
  book.load({ alerts: [rec], silences: [...silences] });
  const notifications = book.due(now);
  return { rec: book.get(rec.id)!, notifications };
}

/** The field of a silence in the shared hash: one per target, as a new silence replaces the one of the same target. */
export const silenceField = (s: Pick<AlertSilence, 'alertId' | 'kind'>): string => (s.alertId ? `alert:${s.alertId}` : `kind:${s.kind}`);
