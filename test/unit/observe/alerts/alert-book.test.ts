// The alert state machine: firing → resolved, deduplication by id, the cool-down of an alert
// that fires again soon after it resolved, silences (per alert and per kind), acknowledgement,
// escalation, pruning and a JSON round trip. The clock is an argument.
import { describe, it, expect } from 'vitest';
import { AlertBook } from '../../../../server/observe/alerts/alert-book.ts';
import type { AlertRaise } from '../../../../server/observe/alerts/types.ts';

const MIN = 60_000;
const down = (over: Partial<AlertRaise> = {}): AlertRaise & { channels: string[] } => ({ kind: 'provider-down', subject: 'openai', severity: 'critical', title: 'openai is down', detail: 'probes fail', channels: ['ops'], ...over });
const told = (b: AlertBook, now: number) => b.due(now).map((n) => `${n.transition}:${n.alert.id}:${n.alert.severity}`);

describe('AlertBook', () => {
  it('fires once per id, counts repeats, resolves and tells each transition once', () => {
    const b = new AlertBook();
    const a = b.raise(down(), 1000);
    expect(a).toMatchObject({ id: 'provider-down:openai', state: 'firing', firedAt: 1000, lastSeenAt: 1000, count: 1, channels: ['ops'] });
    expect(told(b, 1000)).toEqual(['firing:provider-down:openai:critical']);
    b.raise(down({ detail: 'still failing' }), 5000);
    expect(b.all()).toHaveLength(1);
    expect(b.get('provider-down:openai')).toMatchObject({ count: 1, lastSeenAt: 5000, firedAt: 1000, detail: 'still failing' });
    expect(told(b, 5000)).toEqual([]);
    expect(b.resolve('provider-down:openai', 9000)).toMatchObject({ state: 'resolved', resolvedAt: 9000 });
    expect(b.resolve('provider-down:openai', 9500)).toBeUndefined();
    expect(told(b, 9000)).toEqual(['resolved:provider-down:openai:critical']);
    expect(told(b, 9001)).toEqual([]);
  });

  it('does not tell a firing again within the cool-down, and tells it when the cool-down ends if it still fires', () => {
    const b = new AlertBook({ cooldownMs: 10 * MIN });
    b.raise(down(), 0);
    b.due(0);
    b.resolve('provider-down:openai', 1 * MIN);
    expect(told(b, 1 * MIN)).toEqual(['resolved:provider-down:openai:critical']);
    const again = b.raise(down(), 3 * MIN);
    expect(again).toMatchObject({ state: 'firing', count: 2, firedAt: 3 * MIN });
    expect(told(b, 3 * MIN)).toEqual([]);
    // flaps back: nothing to tell, the outside world already knows it resolved
    b.resolve('provider-down:openai', 4 * MIN);
    expect(told(b, 4 * MIN)).toEqual([]);
    // the cool-down counts from the last resolution: flapping stays quiet
    b.raise(down(), 5 * MIN);
    expect(told(b, 13 * MIN)).toEqual([]);
    expect(told(b, 14 * MIN)).toEqual(['firing:provider-down:openai:critical']);
  });

  it('tells a firing after the cool-down at once', () => {
    const b = new AlertBook({ cooldownMs: 10 * MIN });
    b.raise(down(), 0);
    b.due(0);
    b.resolve('provider-down:openai', MIN);
    b.due(MIN);
    b.raise(down(), 12 * MIN);
    expect(told(b, 12 * MIN)).toEqual(['firing:provider-down:openai:critical']);
    expect(b.get('provider-down:openai')?.count).toBe(2);
  });

  it('holds notifications while silenced (alert or kind) and tells what still holds when the silence ends', () => {
    const b = new AlertBook();
    b.raise(down(), 0);
    b.silence({ alertId: 'provider-down:openai' }, 60 * MIN, 0);
    b.raise(down({ subject: 'stripe' }), 0);
    b.silence({ kind: 'key-expiring' }, 60 * MIN, 0);
    b.raise({ kind: 'key-expiring', subject: 'openai/k1', severity: 'warning', title: 't', detail: 'd', channels: [] }, 0);
    expect(told(b, 1)).toEqual(['firing:provider-down:stripe:critical']);
    expect(b.silencedUntil({ id: 'provider-down:openai', kind: 'provider-down' }, 1)).toBe(60 * MIN);
    expect(b.silencedUntil({ id: 'key-expiring:x', kind: 'key-expiring' }, 1)).toBe(60 * MIN);
    expect(b.silencedUntil({ id: 'provider-down:stripe', kind: 'provider-down' }, 1)).toBeUndefined();
    expect(told(b, 60 * MIN + 1).sort()).toEqual(['firing:key-expiring:openai/k1:warning', 'firing:provider-down:openai:critical']);
  });

  it('a silenced alert that resolves in the silence is never told', () => {
    const b = new AlertBook();
    b.raise(down(), 0);
    b.silence({ alertId: 'provider-down:openai' }, 10 * MIN, 0);
    b.resolve('provider-down:openai', MIN);
    expect(told(b, 20 * MIN)).toEqual([]);
  });

  it('unsilence lifts the alert\'s and its kind\'s silences', () => {
    const b = new AlertBook();
    b.raise(down(), 0);
    b.silence({ alertId: 'provider-down:openai' }, 10 * MIN, 0);
    b.silence({ kind: 'provider-down' }, 10 * MIN, 0);
    expect(b.silences(1)).toHaveLength(2);
    expect(b.unsilence({ id: 'provider-down:openai', kind: 'provider-down' })).toBe(2);
    expect(told(b, 1)).toEqual(['firing:provider-down:openai:critical']);
  });

  it('acknowledges once, and a new firing clears the acknowledgement', () => {
    const b = new AlertBook();
    b.raise(down(), 0);
    expect(b.acknowledge('provider-down:openai', 5)?.acknowledgedAt).toBe(5);
    expect(b.acknowledge('provider-down:openai', 9)?.acknowledgedAt).toBe(5);
    expect(b.acknowledge('nope', 9)).toBeUndefined();
    b.resolve('provider-down:openai', 10);
    b.raise(down(), 20);
    expect(b.get('provider-down:openai')?.acknowledgedAt).toBeUndefined();
  });

  it('tells again when a firing alert becomes more severe, not when it becomes less', () => {
    const b = new AlertBook();
    b.raise({ kind: 'budget', subject: 'p/client:web', severity: 'info', title: '50 %', detail: '', channels: [] }, 0);
    expect(told(b, 0)).toEqual(['firing:budget:p/client:web:info']);
    b.raise({ kind: 'budget', subject: 'p/client:web', severity: 'critical', title: '100 %', detail: '', channels: [] }, 1);
    expect(told(b, 1)).toEqual(['firing:budget:p/client:web:critical']);
    b.raise({ kind: 'budget', subject: 'p/client:web', severity: 'warning', title: '80 %', detail: '', channels: [] }, 2);
    expect(told(b, 2)).toEqual([]);
  });

  it('prunes ended silences, resolved alerts past the retention and the oldest resolved over the cap', () => {
    const b = new AlertBook({ keepResolvedMs: 100, maxAlerts: 2 });
    for (const s of ['a', 'b', 'c']) b.raise(down({ subject: s }), 0);
    b.resolve('provider-down:a', 10);
    b.resolve('provider-down:b', 20);
    b.silence({ kind: 'policy' }, 50, 0);
    expect(b.prune(30)).toBe(true);
    expect(b.all().map((a) => a.id).sort()).toEqual(['provider-down:b', 'provider-down:c']);
    b.prune(200);
    expect(b.all().map((a) => a.id)).toEqual(['provider-down:c']);
    expect(b.silences(0)).toEqual([]);
  });

  it('round-trips through JSON with what it has told', () => {
    const b = new AlertBook();
    b.raise(down(), 0);
    b.due(0);
    b.silence({ kind: 'policy' }, 1000, 0);
    const copy = new AlertBook();
    copy.load(JSON.parse(JSON.stringify(b.toJSON())));
    expect(copy.all()).toEqual(b.all());
    expect(copy.silences(1)).toHaveLength(1);
    expect(told(copy, 1)).toEqual([]);
  });
});
