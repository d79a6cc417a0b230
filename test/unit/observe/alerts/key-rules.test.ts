// Built-in key alerts: rotation due within 14 days (warning), overdue (critical), the same alert
// id across both; expiry within 14 days or passed; nothing for keys far from either.
import { describe, it, expect } from 'vitest';
import { evaluateKeyRules } from '../../../../server/observe/alerts/key-rules.ts';
import { world } from './rules.fixtures.ts';

const DAY = 86_400_000;
const CREATED = Date.parse('2026-01-01T00:00:00Z');

describe('key alert rules', () => {
  it('rotation: nothing early, due within 14 days, overdue after the period', () => {
    const snap = world({ keys: [{}] });
    expect(evaluateKeyRules(snap, CREATED + 70 * DAY)).toEqual([]);
    const due = evaluateKeyRules(snap, CREATED + 80 * DAY);
    expect(due).toMatchObject([{ id: 'key-rotation:openai/k1', kind: 'key-rotation-due', severity: 'warning', subject: 'openai/k1', title: 'openai/k1: key rotation is due in 10 days', evidence: { daysUntilDue: 10, rotationDays: 90, created: '2026-01-01' } }]);
    const overdue = evaluateKeyRules(snap, CREATED + 95 * DAY);
    expect(overdue).toMatchObject([{ id: 'key-rotation:openai/k1', kind: 'key-rotation-overdue', severity: 'critical', title: 'openai/k1: key rotation is overdue by 5 days' }]);
    expect(JSON.stringify(overdue)).not.toContain('secret');
  });

  it('counts from the last rotation and the provider\'s own period; only active keys', () => {
    const snap = world({ keys: [{ rotated: '2026-03-01T00:00:00Z' }, { status: 'retiring' }], rotationDays: 30 });
    expect(evaluateKeyRules(snap, Date.parse('2026-03-10T00:00:00Z'))).toEqual([]);
    expect(evaluateKeyRules(snap, Date.parse('2026-03-20T00:00:00Z'))).toMatchObject([{ id: 'key-rotation:openai/k1', evidence: { daysUntilDue: 11, rotated: '2026-03-01' } }]);
  });

  it('expiring within 14 days (warning), expired (critical), not for revoked keys', () => {
    const snap = world({ keys: [{ expires: '2026-02-10T00:00:00Z' }, { status: 'revoked', expires: '2026-02-10T00:00:00Z' }] });
    expect(evaluateKeyRules(snap, Date.parse('2026-01-20T00:00:00Z'))).toEqual([]);
    expect(evaluateKeyRules(snap, Date.parse('2026-02-01T00:00:00Z'))).toMatchObject([{ id: 'key-expiring:openai/k1', kind: 'key-expiring', severity: 'warning', title: 'openai/k1: the key expires in 9 days' }]);
    expect(evaluateKeyRules(snap, Date.parse('2026-02-11T00:00:00Z'))).toMatchObject([{ id: 'key-expiring:openai/k1', severity: 'critical', title: 'openai/k1: the key expired 2026-02-10' }]);
  });
});
