// The alert engine with a real events bus, an injected clock, fake usage rows and limiter
// counters, a recording dispatcher and a temporary data dir: built-ins from events (provider
// down, config rejected, budget), periodic rules resolving, channels by severity, the bus'
// alert.firing / alert.resolved, raise/resolve for other parts, and alerts.json across a restart.
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubEvents, type HubEvent } from '../../../../server/events/hub-events.ts';
import { AlertEngine, type AlertEngineOptions } from '../../../../server/observe/alerts/alert-engine.ts';
import type { AlertNotification } from '../../../../server/observe/alerts/types.ts';
import type { LimitStatus } from '../../../../server/limits/limit-status.ts';
import type { RollupRow } from '../../../../server/observe/usage-store/types.ts';
import { tempDir } from '../../../helpers/tmp.ts';
import { row, world, type WorldSpec } from './rules.fixtures.ts';

const MIN = 60_000;
const CHANNELS: WorldSpec['channels'] = [{ name: 'console', type: 'console' }, { name: 'ops-mail', type: 'email' }, { name: 'hooks', type: 'webhook' }];

function setup(spec: WorldSpec = {}, opts: Partial<AlertEngineOptions> = {}) {
  const dir = tempDir('sil-alerts-');
  let now = Date.UTC(2026, 5, 1, 12, 0);
  const events = new HubEvents({ now: () => now });
  const bus: HubEvent[] = [];
  events.on((e) => {
    if (e.type.startsWith('alert.')) bus.push(e);
  });
  const sent: { n: AlertNotification; channels: readonly string[] }[] = [];
  let rows: RollupRow[] = [];
  let limits: LimitStatus[] = [];
  let snap = world({ channels: CHANNELS, ...spec });
  const make = () => new AlertEngine({
    dataDir: dir.path, events, snapshot: () => snap, now: () => now, evaluateMs: 0, flushMs: 0,
    usage: { rows: async (_g, from, to) => rows.filter((r) => r.t >= from && r.t < to), timeZone: () => 'UTC' },
    limits: { status: () => limits },
    dispatcher: { dispatch: async (n, channels) => (sent.push({ n, channels }), channels.map((channel) => ({ channel, ok: true }))) },
    ...opts,
  });
  return {
    dir, events, bus, sent, make,
    advance: (ms: number) => (now += ms),
    get now() { return now; },
    setRows: (r: RollupRow[]) => (rows = r),
    setLimits: (l: LimitStatus[]) => (limits = l),
    setSnap: (s: WorldSpec) => (snap = world({ channels: CHANNELS, ...s })),
  };
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function started(t: ReturnType<typeof setup>) {
  const e = t.make();
  await e.start();
  cleanup.push(async () => { await e.close(); t.dir.cleanup(); });
  return e;
}

describe('AlertEngine', () => {
  it('provider down from provider.status: firing to every channel, resolved when it is back', async () => {
    const t = setup();
    const e = await started(t);
    t.events.emit('provider.status', { provider: 'openai', from: 'active', to: 'error', reason: '3 probes failed: 503' }, 'prod');
    expect(e.list()).toMatchObject([{ id: 'provider-down:openai', kind: 'provider-down', severity: 'critical', state: 'firing', channels: ['console', 'ops-mail', 'hooks'] }]);
    expect(e.unread()).toBe(1);
    expect(t.bus.map((b) => [b.type, b.data.id, b.environment])).toEqual([['alert.firing', 'provider-down:openai', 'prod']]);
    await Promise.resolve();
    expect(t.sent.map((s) => [s.n.transition, s.channels])).toEqual([['firing', ['console', 'ops-mail', 'hooks']]]);
    t.events.emit('provider.status', { provider: 'openai', from: 'error', to: 'error', reason: 'still' });
    expect(t.bus).toHaveLength(1);
    t.advance(MIN);
    t.events.emit('provider.status', { provider: 'openai', from: 'error', to: 'active', reason: 'probe ok' });
    expect(e.get('provider-down:openai')).toMatchObject({ state: 'resolved', resolvedAt: t.now });
    expect(t.bus.map((b) => b.type)).toEqual(['alert.firing', 'alert.resolved']);
    expect(e.unread()).toBe(0);
  });

  it('config rejected until the next good commit; budget thresholds escalate and end with the period', async () => {
    const t = setup();
    const e = await started(t);
    t.events.emit('config.rejected', { commit: 'a'.repeat(40), errors: 2, first: 'bindings/x.yaml:3:1 unknown provider' });
    expect(e.get('config-rejected:config')).toMatchObject({ state: 'firing', severity: 'critical', subject: 'aaaaaaaaaaaa', evidence: { errors: 2 } });
    t.events.emit('config.applied', { commit: 'b'.repeat(40) });
    expect(e.get('config-rejected:config')?.state).toBe('resolved');

    const budget = (percent: number) => t.events.emit('budget.threshold', { policy: 'spend', scope: 'client:web', percent, spent: percent, amount: 100, currency: 'USD', periodStart: 1000, at: t.now });
    budget(50);
    expect(e.get('budget:spend/client:web')).toMatchObject({ severity: 'info', channels: ['console'] });
    budget(100);
    expect(e.get('budget:spend/client:web')).toMatchObject({ severity: 'critical', channels: ['console', 'ops-mail', 'hooks'], count: 1 });
    t.setLimits([{ policy: 'spend', attachedTo: { kind: 'client', name: 'web' }, scope: 'client:web', limit: 'budget', used: 100, max: 100, periodStart: 1000, resetsAt: 2000 }]);
    await e.evaluate();
    expect(e.get('budget:spend/client:web')?.state).toBe('firing');
    t.setLimits([{ policy: 'spend', attachedTo: { kind: 'client', name: 'web' }, scope: 'client:web', limit: 'budget', used: 0, max: 100, periodStart: 2000, resetsAt: 3000 }]);
    await e.evaluate();
    expect(e.get('budget:spend/client:web')?.state).toBe('resolved');
  });

  it('policy rules fire on evaluation and resolve when the figure drops; keys too', async () => {
    const t = setup({ clientPolicy: 'p', policies: [{ name: 'p', alerts: [{ metric: 'error-rate', threshold: 0.5, windowMinutes: 5, channels: ['ops-mail'] }] }], keys: [{ created: '2026-01-01T00:00:00Z' }] });
    const e = await started(t);
    t.setRows([row({ t: t.now - MIN, requests: 10, ok: 2 })]);
    await e.evaluate();
    expect(e.list({ state: 'firing' }).map((a) => a.id)).toEqual(['key-rotation:openai/k1', 'policy:p/error-rate>=0.5']);
    expect(e.get('policy:p/error-rate>=0.5')?.channels).toEqual(['ops-mail']);
    t.advance(10 * MIN);
    await e.evaluate();
    expect(e.get('policy:p/error-rate>=0.5')?.state).toBe('resolved');
    expect(e.get('key-rotation:openai/k1')?.state).toBe('firing');
    t.setSnap({ clientPolicy: 'p', policies: [{ name: 'p', alerts: [] }], keys: [{ created: '2026-05-30T00:00:00Z' }] });
    await e.evaluate();
    expect(e.get('key-rotation:openai/k1')?.state).toBe('resolved');
  });

  it('raise/resolve for the other parts: a channel failed is console only, never dispatched', async () => {
    const t = setup();
    const e = await started(t);
    const a = e.channelFailed('ops-mail', 'binding sendgrid answered 401');
    expect(a).toMatchObject({ id: 'channel-failed:ops-mail', kind: 'channel-failed', channels: [], state: 'firing' });
    e.webhookDisabled('crm', 'failed for 5 days: 503');
    await Promise.resolve();
    expect(t.sent).toEqual([]);
    expect(t.bus.map((b) => b.data.id)).toEqual(['channel-failed:ops-mail', 'webhook-disabled:crm']);
    expect(e.channelRecovered('ops-mail')?.state).toBe('resolved');
    expect(e.webhookEnabled('crm')?.state).toBe('resolved');
    expect(e.resolve('nope')).toBeUndefined();
    expect(e.raise({ kind: 'policy', subject: 'x/y', severity: 'info', title: 't', detail: 'd' })).toMatchObject({ id: 'policy:x/y', channels: ['console'] });
  });

  it('ack, silence (per alert, per kind) with an end time, unsilence', async () => {
    const t = setup();
    const e = await started(t);
    e.raise({ kind: 'key-expiring', subject: 'openai/k1', severity: 'warning', title: 't', detail: 'd' });
    expect(e.acknowledge('key-expiring:openai/k1')?.acknowledgedAt).toBe(t.now);
    expect(e.unread()).toBe(0);
    expect(e.silence('key-expiring:openai/k1', t.now + 3_600_000, 'kind')?.silencedUntil).toBe(t.now + 3_600_000);
    expect(e.silences()).toMatchObject([{ kind: 'key-expiring', until: t.now + 3_600_000 }]);
    t.bus.length = 0;
    e.raise({ kind: 'key-expiring', subject: 'openai/k2', severity: 'warning', title: 't', detail: 'd' });
    expect(t.bus).toEqual([]);
    expect(e.unsilence('key-expiring:openai/k1')?.silencedUntil).toBeUndefined();
    expect(t.bus.map((b) => b.data.id)).toEqual(['key-expiring:openai/k2']);
    expect(e.silence('nope', 1)).toBeUndefined();
  });

  it('keeps alerts, acknowledgements, silences and what was told in alerts.json across a restart', async () => {
    const t = setup();
    const e = t.make();
    await e.start();
    t.events.emit('provider.status', { provider: 'openai', to: 'error' });
    e.acknowledge('provider-down:openai');
    e.raise({ kind: 'key-expiring', subject: 'openai/k1', severity: 'warning', title: 't', detail: 'd' });
    e.silence('key-expiring:openai/k1', t.now + 10 * MIN);
    await e.close();
    const file = JSON.parse(readFileSync(join(t.dir.path, 'state', 'alerts.json'), 'utf8'));
    expect(file).toMatchObject({ version: 1, alerts: [{ id: 'provider-down:openai', notified: 'firing' }, { id: 'key-expiring:openai/k1' }], silences: [{ alertId: 'key-expiring:openai/k1' }] });

    const again = await started(t);
    expect(again.get('provider-down:openai')).toMatchObject({ state: 'firing', acknowledgedAt: t.now });
    expect(again.get('key-expiring:openai/k1')?.silencedUntil).toBe(t.now + 10 * MIN);
    t.bus.length = 0;
    // already told before the restart: not told again
    t.events.emit('provider.status', { provider: 'openai', to: 'error' });
    expect(t.bus).toEqual([]);
    t.events.emit('provider.status', { provider: 'openai', to: 'active' });
    expect(t.bus.map((b) => b.type)).toEqual(['alert.resolved']);
  });

  it('starts empty from a file it cannot read, and says so', async () => {
    const logs: string[] = [];
    const t = setup({}, { log: (l) => logs.push(l) });
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(t.dir.path, 'state'), { recursive: true });
    writeFileSync(join(t.dir.path, 'state', 'alerts.json'), '{"version": 7}');
    const e = await started(t);
    expect(e.list()).toEqual([]);
    expect(logs.join('\n')).toMatch(/cannot read .*alerts\.json/);
  });
});
