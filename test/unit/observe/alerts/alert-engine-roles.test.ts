// The alert engine's part among several instances, with a recording replica in place of Redis:
// a follower applies changes to its copy and sends them, evaluates nothing, leaves config events
// to the leader and tells nobody; the leader tells only what its claims give back and holds
// provider-down against the health monitor; cut off from Redis (local) it tells on its own and
// sends "told" marks to be replayed; copies from the store come in through the mirror.
import { describe, it, expect, afterEach } from 'vitest';
import { HubEvents, type HubEvent } from '../../../../server/events/hub-events.ts';
import { AlertEngine } from '../../../../server/observe/alerts/alert-engine.ts';
import type { AlertMirror, AlertReplica, AlertRole } from '../../../../server/observe/alerts/alert-replica.ts';
import type { AlertOp } from '../../../../server/observe/alerts/alert-ops.ts';
import type { AlertNotification } from '../../../../server/observe/alerts/types.ts';
import { tempDir } from '../../../helpers/tmp.ts';
import { world } from './rules.fixtures.ts';

class FakeReplica implements AlertReplica {
  r: AlertRole = 'follow';
  ops: AlertOp[] = [];
  claims: string[] = [];
  answer: (id: string) => AlertNotification[] = () => [];
  mirror!: AlertMirror;
  role(): AlertRole {
    return this.r;
  }
  push(op: AlertOp): void {
    this.ops.push(op);
  }
  async claim(id: string): Promise<AlertNotification[]> {
    this.claims.push(id);
    return this.answer(id);
  }
  attach(m: AlertMirror): void {
    this.mirror = m;
  }
  async close(): Promise<void> {}
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function setup(role: AlertRole, verdicts: Record<string, { status: string; reason: string }> = {}) {
  const dir = tempDir('sil-alert-roles-');
  const now = Date.UTC(2026, 5, 1, 12, 0);
  const events = new HubEvents({ now: () => now });
  const bus: HubEvent[] = [];
  events.on((e) => {
    if (e.type.startsWith('alert.')) bus.push(e);
  });
  const sent: AlertNotification[] = [];
  const replica = new FakeReplica();
  replica.r = role;
  const snap = world({ channels: [{ name: 'ops', type: 'console' }], keys: [{ created: '2026-01-01T00:00:00Z' }] });
  const engine = new AlertEngine({
    dataDir: dir.path, events, snapshot: () => snap, now: () => now, evaluateMs: 0, flushMs: 0, replica,
    dispatcher: { dispatch: async (n, channels) => (sent.push(n), channels.map((channel) => ({ channel, ok: true }))) },
    health: { verdictOf: (id) => verdicts[id] },
  });
  await engine.start();
  cleanup.push(async () => { await engine.close(); dir.cleanup(); });
  return { engine, events, bus, sent, replica, now };
}

describe('AlertEngine among several instances', () => {
  it('follower: applies and sends changes, evaluates nothing, leaves config events to the leader, tells nobody', async () => {
    const t = await setup('follow');
    t.events.emit('budget.threshold', { policy: 'spend', scope: 'client:web', percent: 100, spent: 100, amount: 100, currency: 'USD' });
    expect(t.engine.get('budget:spend/client:web')).toMatchObject({ state: 'firing', severity: 'critical' });
    t.events.emit('config.rejected', { commit: 'a'.repeat(40), errors: 1 });
    expect(t.engine.get('config-rejected:config')).toBeUndefined();
    expect(t.engine.acknowledge('budget:spend/client:web')?.acknowledgedAt).toBe(t.now);
    t.engine.silence('budget:spend/client:web', t.now + 60_000, 'kind');
    await t.engine.evaluate();
    expect(t.engine.get('key-rotation:openai/k1')).toBeUndefined();
    expect(t.replica.ops.map((o) => o.type)).toEqual(['raise', 'ack', 'silence']);
    expect(t.replica.claims).toEqual([]);
    expect(t.bus).toEqual([]);
    expect(t.sent).toEqual([]);
  });

  it('leader: evaluates, claims what is due and tells only what the claim gives back', async () => {
    const t = await setup('lead');
    t.replica.answer = (id) => (id === 'key-rotation:openai/k1' ? [{ alert: t.engine.get(id)!, transition: 'firing' }] : []);
    t.events.emit('config.rejected', { commit: 'a'.repeat(40), errors: 1 });
    await t.engine.evaluate();
    await new Promise((r) => setTimeout(r, 10));
    expect(t.engine.get('config-rejected:config')?.state).toBe('firing');
    expect(new Set(t.replica.claims)).toEqual(new Set(['config-rejected:config', 'key-rotation:openai/k1']));
    expect(t.bus.map((e) => e.data.id)).toEqual(['key-rotation:openai/k1']);
    expect(t.sent.map((n) => n.alert.id)).toEqual(['key-rotation:openai/k1']);
  });

  it('leader: provider-down held against the monitor — raised while in error, resolved once it is not', async () => {
    const verdicts: Record<string, { status: string; reason: string }> = { openai: { status: 'error', reason: '2 probes failed: status 503' } };
    const t = await setup('lead', verdicts);
    await t.engine.evaluate();
    expect(t.engine.get('provider-down:openai')).toMatchObject({ state: 'firing', detail: 'The health monitor reports openai in error: 2 probes failed: status 503.' });
    verdicts.openai = { status: 'active', reason: 'probes pass' };
    await t.engine.evaluate();
    expect(t.engine.get('provider-down:openai')?.state).toBe('resolved');
  });

  it('cut off from Redis: tells its own changes and sends the told marks', async () => {
    const t = await setup('local');
    t.engine.raise({ kind: 'remote-sync', subject: 'origin', severity: 'warning', title: 't', detail: 'd' });
    expect(t.bus.map((e) => e.type)).toEqual(['alert.firing']);
    expect(t.replica.ops).toMatchObject([{ type: 'raise' }, { type: 'told', id: 'remote-sync:origin', transition: 'firing', severity: 'warning' }]);
    await t.engine.evaluate();
    expect(t.replica.ops).toHaveLength(2);
  });

  it('the mirror: copies from the store replace this book; the leader claims after a peer\'s change', async () => {
    const t = await setup('lead');
    const a = { id: 'budget:x/y', kind: 'budget' as const, severity: 'warning' as const, subject: 'x/y', title: 't', detail: 'd', state: 'firing' as const, firedAt: 1, lastSeenAt: 1, count: 1, channels: ['ops'] };
    t.replica.mirror.put(a.id, a);
    t.replica.mirror.remoteChanged();
    expect(t.engine.get(a.id)).toMatchObject({ state: 'firing' });
    expect(t.replica.claims).toEqual([a.id]);
    t.replica.mirror.adopt({ alerts: [], silences: [{ id: 's', kind: 'budget', until: t.now + 1000, createdAt: t.now }] });
    expect(t.engine.get(a.id)).toBeUndefined();
    expect(t.engine.silences()).toHaveLength(1);
  });
});
