// Alert changes as operations (the shared store applies them to the record in Redis): the same
// rules as the book — raise/resolve/raise again with the count and the cool-down, ack once,
// told marks, drop only when resolved — and never a change of the record given.
import { describe, it, expect } from 'vitest';
import { applyToRecord, dueOf, opAlertId, silenceField, type RecordOp } from '../../../../server/observe/alerts/alert-ops.ts';
import type { StoredAlert } from '../../../../server/observe/alerts/alert-book.ts';

const raise = (at: number, severity: 'warning' | 'critical' = 'critical'): RecordOp => ({ type: 'raise', raise: { id: 'provider-down:p', kind: 'provider-down', subject: 'p', severity, title: 'p is down', detail: 'd', channels: ['ops'] }, at });
const COOL = 600_000;

describe('alert operations', () => {
  it('raise, resolve, raise again: the count and the cool-down as in the book; the record given is never changed', () => {
    const fired = applyToRecord(undefined, raise(1000), COOL)!;
    expect(fired).toMatchObject({ id: 'provider-down:p', state: 'firing', firedAt: 1000, count: 1, channels: ['ops'] });
    const told = applyToRecord(fired, { type: 'told', id: fired.id, transition: 'firing', severity: 'critical' }, COOL)!;
    expect(fired.notified).toBeUndefined();
    expect(told).toMatchObject({ notified: 'firing', notifiedSeverity: 'critical' });
    const resolved = applyToRecord(told, { type: 'resolve', id: fired.id, at: 2000 }, COOL)!;
    expect(told.state).toBe('firing');
    const toldResolved = applyToRecord(resolved, { type: 'told', id: fired.id, transition: 'resolved', severity: 'critical' }, COOL)!;
    const again = applyToRecord(toldResolved, raise(3000), COOL)!;
    expect(again).toMatchObject({ state: 'firing', count: 2, firedAt: 3000, holdUntil: 2000 + COOL });
    expect(applyToRecord(undefined, { type: 'resolve', id: 'x', at: 1 }, COOL)).toBeUndefined();
  });

  it('an acknowledgement keeps its first time; drop removes a resolved alert only', () => {
    const fired = applyToRecord(undefined, raise(1000), COOL)!;
    const acked = applyToRecord(fired, { type: 'ack', id: fired.id, at: 1500 }, COOL)!;
    expect(applyToRecord(acked, { type: 'ack', id: fired.id, at: 1600 }, COOL)?.acknowledgedAt).toBe(1500);
    expect(applyToRecord(acked, { type: 'drop', id: fired.id }, COOL)).toBe(acked);
    const resolved = applyToRecord(acked, { type: 'resolve', id: fired.id, at: 2000 }, COOL)!;
    expect(applyToRecord(resolved, { type: 'drop', id: fired.id }, COOL)).toBeUndefined();
  });

  it('dueOf tells a firing once, not under a silence, again on escalation', () => {
    const fired = applyToRecord(undefined, raise(1000, 'warning'), COOL)!;
    const silenced = dueOf(fired, [{ id: 's', alertId: fired.id, until: 5000, createdAt: 900 }], 1000, COOL);
    expect(silenced.notifications).toEqual([]);
    const first = dueOf(fired, [], 1000, COOL);
    expect(first.notifications.map((n) => n.transition)).toEqual(['firing']);
    expect(first.rec.notified).toBe('firing');
    expect(fired.notified).toBeUndefined();
    expect(dueOf(first.rec, [], 1100, COOL).notifications).toEqual([]);
    const escalated = applyToRecord(first.rec, raise(1200, 'critical'), COOL)!;
    expect(dueOf(escalated, [], 1200, COOL).notifications.map((n) => [n.transition, n.alert.severity])).toEqual([['firing', 'critical']]);
  });

  it('names: the alert of an operation, the field of a silence', () => {
    expect(opAlertId(raise(1))).toBe('provider-down:p');
    expect(opAlertId({ type: 'silence', silence: { id: 's', kind: 'budget', until: 1, createdAt: 0 } })).toBeUndefined();
    expect(opAlertId({ type: 'unsilence', id: 'a', kind: 'budget' })).toBe('a');
    expect(silenceField({ alertId: 'budget:x/y' })).toBe('alert:budget:x/y');
    expect(silenceField({ kind: 'budget' })).toBe('kind:budget');
    const rec: StoredAlert = applyToRecord(undefined, raise(1), COOL)!;
    expect(JSON.parse(JSON.stringify(rec))).toEqual(rec);
  });
});
