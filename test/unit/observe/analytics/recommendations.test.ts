import { describe, it, expect } from 'vitest';
import { recommendations } from '../../../../server/observe/analytics/recommendations/index.ts';
import { budgetBurn, keyQuota } from '../../../../server/observe/analytics/recommendations/limits.ts';
import { keyRotations } from '../../../../server/observe/analytics/recommendations/key-rotation.ts';
import type { LimitStatus } from '../../../../server/limits/limit-status.ts';
import { FakeUsage, snapshotWith, sources, T0, type FakeBinding } from './fake-usage.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = T0 - 2 * HOUR;
const two: FakeBinding = { name: 'chat', targets: [{ provider: 'a', model: 'm1' }, { provider: 'b', model: 'm2' }] };

async function items(usage: FakeUsage, bindings: FakeBinding[] = [two], limits: LimitStatus[] = [], keys = {}) {
  return (await recommendations(sources(usage, { snapshot: snapshotWith(bindings, keys), limits }), {})).items;
}
const kinds = (list: { kind: string }[]) => list.map((r) => r.kind);

describe('cheaper-target', () => {
  it('fires when a later target served as well for at least 20 % less', async () => {
    const usage = new FakeUsage().add({ t: at, provider: 'a', model: 'm1', requests: 100, failed: 2, cost: 1 }, { t: at, provider: 'b', model: 'm2', requests: 40, failed: 1, cost: 0.2 });
    const [r] = await items(usage);
    expect(r).toMatchObject({ id: 'cheaper-target:chat', kind: 'cheaper-target', severity: 'info', action: { href: '/bindings?name=chat' } });
    expect(r.title).toContain('b/m2 costs 50.0 % less per request than a/m1');
    expect(r.evidence).toMatchObject({ preferredRequests: 100, cheaperRequests: 40, preferredCostPerRequest: 0.01, cheaperCostPerRequest: 0.005, saving: 0.5, cheaperQuality: '97.5 %' });
    // The same in raw values, for a client to write in its language.
    expect(r.text.id).toBe('cheaper-target');
    expect(r.text.params).toMatchObject({ binding: 'chat', preferred: 'a/m1', cheaper: 'b/m2', currency: 'USD', preferredRequests: 100, cheaperRequests: 40, preferredCostPerRequest: 0.01, cheaperCostPerRequest: 0.005, preferredQuality: 0.98, cheaperQuality: 0.975 });
    expect(r.text.params.less).toBeCloseTo(0.5, 10);
    expect(r.text.params.saving).toBeCloseTo(0.5, 10);
    expect(r.action).toMatchObject({ id: 'reorder-targets', label: 'Reorder the targets of chat' });
    // Found in the 7-day default period.
    expect((await recommendations(sources(usage, { snapshot: snapshotWith([two]) }), {})).period).toBe('7d');
  });

  it('does not fire on worse quality, too small a saving, too few requests, or when the cheaper one is first already', async () => {
    const base = { t: at, provider: 'a', model: 'm1', requests: 100, cost: 1 };
    expect((await items(new FakeUsage().add(base, { t: at, provider: 'b', model: 'm2', requests: 40, failed: 4, cost: 0.2 })))).toEqual([]); // 90 % vs 100 %
    expect((await items(new FakeUsage().add(base, { t: at, provider: 'b', model: 'm2', requests: 40, cost: 0.35 })))).toEqual([]); // 12.5 % cheaper
    expect((await items(new FakeUsage().add(base, { t: at, provider: 'b', model: 'm2', requests: 19, cost: 0.01 })))).toEqual([]); // 19 requests
    expect((await items(new FakeUsage().add({ ...base, cost: 0.1 }, { t: at, provider: 'b', model: 'm2', requests: 40, cost: 4 })))).toEqual([]);
    // With callers' scores, quality counts them: b answers but callers rate it low.
    expect((await items(new FakeUsage().add(base, { t: at, provider: 'b', model: 'm2', requests: 40, cost: 0.2, scores: new Array(20).fill(0.5) })))).toEqual([]);
  });

  it('compares every pair for strategies other than priority', async () => {
    const usage = new FakeUsage().add({ t: at, provider: 'a', model: 'm1', requests: 50, cost: 0.1 }, { t: at, provider: 'b', model: 'm2', requests: 50, cost: 1 });
    expect((await items(usage))).toEqual([]);
    const [r] = await items(usage, [{ ...two, strategy: 'round-robin' }]);
    expect(r.title).toContain('a/m1 costs 90.0 % less per request than b/m2');
  });
});

describe('slow-target', () => {
  it('fires for a target with p95 at least twice its peers\' and 500 ms above', async () => {
    const usage = new FakeUsage().add({ t: at, provider: 'a', model: 'm1', requests: 30, latencyMs: 4_000 }, { t: at, provider: 'b', model: 'm2', requests: 30, latencyMs: 400 });
    const list = await items(usage);
    expect(kinds(list)).toEqual(['slow-target']);
    expect(list[0]).toMatchObject({ id: 'slow-target:chat:a/m1', severity: 'warning', action: { href: '/bindings?name=chat' } });
    expect(list[0].evidence.p95Ms).toBeGreaterThan(3_000);
    expect(list[0].evidence.peerP95Ms).toBeLessThanOrEqual(500);
    expect(list[0].evidence).toMatchObject({ requests: 30, successRate: '100.0 %' });
    const { id, params } = list[0].text;
    expect(id).toBe('slow-target');
    expect(params).toMatchObject({ binding: 'chat', target: 'a/m1', requests: 30, p95Ms: list[0].evidence.p95Ms, peerP95Ms: list[0].evidence.peerP95Ms, successRate: 1 });
    expect(params.ratio).toBeGreaterThan(6);
    expect(list[0].detail).toContain(`(${(params.ratio as number).toFixed(1)}×)`);
    expect(list[0].action).toMatchObject({ id: 'edit-binding', label: 'Edit chat' });
  });

  it('does not fire below either threshold, without peers, or on few requests', async () => {
    expect((await items(new FakeUsage().add({ t: at, provider: 'a', model: 'm1', requests: 30, latencyMs: 40 }, { t: at, provider: 'b', model: 'm2', requests: 30, latencyMs: 4 })))).toEqual([]); // 10× but 36 ms
    expect((await items(new FakeUsage().add({ t: at, provider: 'a', model: 'm1', requests: 30, latencyMs: 5_000 }, { t: at, provider: 'b', model: 'm2', requests: 30, latencyMs: 3_000 })))).toEqual([]); // < 2×
    expect((await items(new FakeUsage().add({ t: at, provider: 'a', model: 'm1', requests: 30, latencyMs: 5_000 }, { t: at, provider: 'b', model: 'm2', requests: 10, latencyMs: 100 })))).toEqual([]);
  });
});

describe('no-backup', () => {
  it('fires for an enabled binding with one target, or every target on one provider', async () => {
    const usage = new FakeUsage().add({ t: at, binding: 'solo', provider: 'a', requests: 7 });
    const list = await items(usage, [two, { name: 'solo', targets: [{ provider: 'a' }] }, { name: 'same', targets: [{ provider: 'a', model: 'm1' }, { provider: 'a', model: 'm2' }] }]);
    expect(list.map((r) => [r.id, r.action.href])).toEqual([['no-backup:same', '/bindings?name=same'], ['no-backup:solo', '/bindings?name=solo']]);
    expect(list[1]).toMatchObject({ title: 'solo has no backup target', evidence: { targets: 1, providers: 'a', requestsInPeriod: 7 } });
    expect(list[1].text).toEqual({ id: 'no-backup.single', params: { binding: 'solo', provider: 'a', targets: 1, requestsInPeriod: 7 } });
    expect(list[1].action).toEqual({ id: 'add-target', label: 'Add a target to solo', href: '/bindings?name=solo' });
    expect(list[0].title).toBe('same: every target is on a');
    expect(list[0].text).toEqual({ id: 'no-backup.same-provider', params: { binding: 'same', provider: 'a', targets: 2, requestsInPeriod: 0 } });
  });

  it('does not fire for a disabled binding or one with two providers', async () => {
    expect((await items(new FakeUsage(), [two, { name: 'off', enabled: false, targets: [{ provider: 'a' }] }]))).toEqual([]);
  });
});

const status = (s: Partial<LimitStatus>): LimitStatus => ({ policy: 'p', attachedTo: { kind: 'provider', name: 'openai-main' }, scope: 'provider:openai-main', limit: 'quota.requests', used: 0, max: 1000, periodStart: T0 - 12 * HOUR, resetsAt: T0 + 12 * HOUR, ...s });

describe('key-quota', () => {
  it('fires for a provider\'s quota used at 80 % (warning) or up (critical)', () => {
    const warn = keyQuota(status({ used: 850 }), 'UTC')!;
    expect(warn).toMatchObject({ id: 'key-quota:provider:openai-main:quota.requests', kind: 'key-quota', severity: 'warning', action: { href: '/providers/view?id=openai-main' } });
    expect(warn.title).toBe('openai-main: 85.0 % of the request quota is used');
    expect(warn.evidence).toMatchObject({ used: 850, quota: 1000, share: '85.0 %', renewsAt: '2026-05-11 00:00 (UTC)' });
    expect(warn.text).toEqual({ id: 'key-quota.requests.used', params: { provider: 'openai-main', policy: 'p', used: 850, quota: 1000, share: 0.85, renewsAt: T0 + 12 * HOUR, timeZone: 'UTC' } });
    expect(warn.action).toMatchObject({ id: 'open-provider', label: 'Open openai-main' });
    const spent = keyQuota(status({ limit: 'quota.tokens', used: 1000 }), 'UTC')!;
    expect(spent).toMatchObject({ severity: 'critical', title: 'openai-main: the token quota is used up', text: { id: 'key-quota.tokens.spent', params: { used: 1000, share: 1 } } });
    expect(keyQuota(status({ limit: 'quota.tokens', used: 900 }), 'Asia/Riyadh')!.text).toMatchObject({ id: 'key-quota.tokens.used', params: { timeZone: 'Asia/Riyadh' } });
    expect(keyQuota(status({ used: 1200 }), 'UTC')!.text.id).toBe('key-quota.requests.spent');
  });

  it('does not fire under 80 %, for other limits, or for quotas of clients and bindings', async () => {
    expect(keyQuota(status({ used: 799 }), 'UTC')).toBeNull();
    expect(keyQuota(status({ limit: 'rate', used: 1000 }), 'UTC')).toBeNull();
    expect(keyQuota(status({ used: 999, attachedTo: { kind: 'client', name: 'web' } }), 'UTC')).toBeNull();
  });
});

describe('budget-burn', () => {
  const budget = (s: Partial<LimitStatus>) => status({ limit: 'budget', currency: 'USD', max: 100, periodStart: Date.UTC(2026, 4, 1), resetsAt: Date.UTC(2026, 5, 1), ...s });

  it('forecasts the date a budget runs out at the rate spent so far', async () => {
    // 9 days 12 h into May, 50 USD of 100 spent: the rest lasts as long, until May 20 00:00.
    const r = budgetBurn(budget({ used: 50, attachedTo: { kind: 'client', name: 'web' }, scope: 'client:web' }), T0, 'UTC')!;
    expect(r).toMatchObject({ id: 'budget-burn:client:web', kind: 'budget-burn', severity: 'warning', action: { href: '/clients?name=web' } });
    expect(r.title).toBe('client web: at this rate the budget runs out 2026-05-20 00:00 (UTC)');
    expect(r.evidence).toMatchObject({ exhaustAt: '2026-05-20 00:00 (UTC)', perDay: 5.26, periodEndsAt: '2026-06-01 00:00 (UTC)', spent: '50.00 USD', spentShare: '50.0 %' });
    expect(r.text.id).toBe('budget-burn.forecast');
    expect(r.text.params).toMatchObject({ subjectKind: 'client', subject: 'web', policy: 'p', currency: 'USD', timeZone: 'UTC', spent: 50, budget: 100, spentShare: 0.5, periodEndsAt: Date.UTC(2026, 5, 1), exhaustAt: Date.UTC(2026, 4, 20) });
    expect(r.text.params.perDay).toBeCloseTo(50 / 9.5, 10);
    expect(r.text.params.periodPassed).toBeCloseTo(9.5 / 31, 10);
    expect(r.action).toMatchObject({ id: 'open-subject', label: 'Open web' });
    // In the owner's time zone.
    const riyadh = budgetBurn(budget({ used: 50 }), T0, 'Asia/Riyadh')!;
    expect(riyadh.evidence.exhaustAt).toBe('2026-05-20 03:00 (Asia/Riyadh)');
    expect(riyadh.text.params).toMatchObject({ exhaustAt: Date.UTC(2026, 4, 20), timeZone: 'Asia/Riyadh' });
  });

  it('is critical when the forecast is within a day, or the budget is spent', async () => {
    expect(budgetBurn(budget({ used: 99 }), T0, 'UTC')!.severity).toBe('critical');
    const spent = budgetBurn(budget({ used: 120, onExceeded: 'block', attachedTo: { kind: 'binding', name: 'chat' } }), T0, 'UTC')!;
    expect(spent).toMatchObject({ severity: 'critical', title: 'binding chat: the budget of 100.00 USD is spent', action: { href: '/bindings?name=chat' } });
    expect(spent.detail).toContain('Requests are refused until then');
    expect(spent.text).toEqual({ id: 'budget-burn.spent', params: { subjectKind: 'binding', subject: 'chat', policy: 'p', currency: 'USD', timeZone: 'UTC', spent: 120, budget: 100, spentShare: 1.2, periodEndsAt: Date.UTC(2026, 5, 1), onExceeded: 'block' } });
    expect(budgetBurn(budget({ used: 100 }), T0, 'UTC')!.text.params.onExceeded).toBe('alert');
  });

  it('does not fire when the budget lasts, nothing is spent, too little of the period has passed, or for other limits', async () => {
    expect(budgetBurn(budget({ used: 20 }), T0, 'UTC')).toBeNull();
    expect(budgetBurn(budget({ used: 0 }), T0, 'UTC')).toBeNull();
    expect(budgetBurn(budget({ used: 10, periodStart: T0 - 30 * 60_000 }), T0, 'UTC')).toBeNull(); // 30 min in
    expect(budgetBurn(status({ used: 999 }), T0, 'UTC')).toBeNull();
  });

  it('comes from the limiter\'s status in the answer', async () => {
    const list = await items(new FakeUsage(), [two], [budget({ used: 60 }), status({ used: 900 }), status({ limit: 'rate', used: 5 })]);
    expect(kinds(list)).toEqual(['budget-burn', 'key-quota']);
  });
});

describe('key-rotation', () => {
  const keys = (created: string, rotated?: string, status = 'active') => ({ 'openai-main': [{ id: 'primary', created, ...(rotated ? { rotated } : {}), status }] });

  it('fires 14 days before a key is due (warning) and when overdue (critical)', async () => {
    const soon = keyRotations(snapshotWith([], keys('2026-02-18T00:00:00Z')), T0);
    expect(soon).toHaveLength(1);
    expect(soon[0]).toMatchObject({ id: 'key-rotation:openai-main/primary', severity: 'warning', title: 'openai-main/primary: rotation is due in 8 days', action: { href: '/providers/view?id=openai-main' } });
    expect(soon[0].evidence).toMatchObject({ key: 'openai-main/primary', fingerprint: 'sha256:primary...1234', created: '2026-02-18', rotationDays: 90, daysUntilDue: 8 });
    expect(soon[0].text).toEqual({ id: 'key-rotation.due', params: { key: 'openai-main/primary', provider: 'openai-main', keyId: 'primary', sinceEvent: 'created', created: Date.UTC(2026, 1, 18), rotationDays: 90, daysUntilDue: 8 } });
    expect(soon[0].action).toMatchObject({ id: 'rotate-key', label: 'Rotate primary' });
    const late = keyRotations(snapshotWith([], keys('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')), T0);
    expect(late[0]).toMatchObject({ severity: 'critical', title: 'openai-main/primary: rotation is overdue by 40 days' });
    expect(late[0].evidence).toMatchObject({ rotated: '2026-01-01', daysUntilDue: -40 });
    expect(late[0].text).toEqual({ id: 'key-rotation.overdue', params: { key: 'openai-main/primary', provider: 'openai-main', keyId: 'primary', sinceEvent: 'rotated', rotated: Date.UTC(2026, 0, 1), rotationDays: 90, daysOverdue: 40 } });
    // Due on the day: a sentence of its own.
    const today = keyRotations(snapshotWith([], keys('2026-02-10T00:00:00Z')), T0);
    expect(today[0]).toMatchObject({ title: 'openai-main/primary: rotation is due today', text: { id: 'key-rotation.due-today', params: { daysUntilDue: 0 } } });
  });

  it('does not fire for recent keys or keys not in use', async () => {
    expect(keyRotations(snapshotWith([], keys('2026-04-01T00:00:00Z')), T0)).toEqual([]);
    expect(keyRotations(snapshotWith([], keys('2025-01-01T00:00:00Z', undefined, 'revoked')), T0)).toEqual([]);
    expect(keyRotations(snapshotWith([], keys('2025-01-01T00:00:00Z', undefined, 'retiring')), T0)).toEqual([]);
  });

  it('orders the answer by severity', async () => {
    const list = await items(new FakeUsage(), [two, { name: 'solo', targets: [{ provider: 'a' }] }], [], keys('2025-01-01T00:00:00Z'));
    expect(list.map((r) => [r.severity, r.kind])).toEqual([['critical', 'key-rotation'], ['warning', 'no-backup']]);
  });
});
