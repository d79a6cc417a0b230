// Health probes and alerts of two hubs sharing a real redis-server (sil.yaml `redis:`, a 600 ms
// leader lease, probes every 300 ms): only the leader's probes reach the mock provider (counted
// per instance); both show the same status and last probe; the provider going down is `error`
// on both, with one `provider-down` alert visible on both and told once (one dispatch, one
// alert.firing on the two buses); an acknowledgement through B's API shows on A; the leader
// stops → B takes the lease, probes within a lease and a probe interval, keeps the alert state
// (still firing, acknowledged, not told again); the provider back → resolved, told once, by B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../../server/main.ts';
import type { HubEvent } from '../../../server/events/hub-events.ts';
import type { AlertNotification } from '../../../server/observe/alerts/types.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { clusterDataDirs } from '../../helpers/cluster-data.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { Browser, signedInOwner } from '../api/owner-app.ts';
import { waitFor } from '../webhooks/redis-hubs.ts';

const KEY = `sk-proj-${'c'.repeat(40)}`;
const INTERVAL = 300;
const LEASE = 600;
const ALERT = 'provider-down:up';
const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('leader-only health probes and shared alerts on two instances', () => {
  const tmp = tempDir('sil-leader-jobs-');
  let redis: TestRedis;
  let mock: MockUpstream;
  let down = false;
  let a: Hub;
  let b: Hub;
  let ownerB: Browser;
  const started = new Set<Hub>();
  const told: { hub: string; n: AlertNotification }[] = [];
  const bus: { hub: string; e: HubEvent }[] = [];
  const probes = () => mock.received.filter((r) => r.url === '/v1/models').length;

  const start = async (dir: string, name: string): Promise<Hub> => {
    const hub = await startHub({ dataDir: dir, host: '127.0.0.1', port: 0, pollMs: 50, consoleDir: null, usageStore: false, keyMaintenanceMs: 3_600_000, log: () => {}, cluster: { leaseMs: LEASE, instanceId: name }, health: { probes: true, intervalMs: INTERVAL, tickMs: 100 }, alerts: { evaluateMs: 200 } });
    started.add(hub);
    hub.alerts.setDispatcher({ dispatch: async (n, channels) => (told.push({ hub: name, n }), channels.map((channel) => ({ channel, ok: true }))) });
    hub.events.on((e) => {
      if (e.type.startsWith('alert.')) bus.push({ hub: name, e });
    });
    return hub;
  };

  beforeAll(async () => {
    redis = await startRedis();
    mock = await startMockUpstream((r) => (down && r.url.startsWith('/v1/models') ? { status: 503, body: { error: { message: 'down' } } } : { status: 200, body: { data: [] } }));
    const prefix = `lj${Math.random().toString(36).slice(2, 8)}:`;
    const { dirs } = await clusterDataDirs(tmp.path, 2, {
      'sil.yaml': `version: 1\nenvironments: [prod]\nredis:\n  url: ${redis.url}\n  keyPrefix: "${prefix}"\n  connectTimeoutMs: 300\nnotifications:\n  channels:\n    - { name: ops, type: console }\n`,
      'providers/up.yaml': `id: up\ntemplate: openai\nname: up\nenvironment: prod\nconnection:\n  baseUrl: ${mock.url}/v1\n`,
    }, { up: { apiKey: KEY } });
    a = await start(dirs[0]!, 'A');
    await waitFor('A leads', () => a.cluster.leader.isLeader() || undefined, 5000);
    b = await start(dirs[1]!, 'B');
    await waitFor('B on Redis', () => (b.cluster.status().redis === 'up' && b.alerts.role() === 'follow' ? true : undefined), 5000);
    ownerB = await signedInOwner(b.url, dirs[1]!);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([...started].map((h) => h.close()));
    await mock?.close();
    await redis?.stop();
    tmp.cleanup();
  });

  it('only the leader probes; both instances show the same status and last probe', async () => {
    await waitFor('three probes', () => (probes() >= 3 ? true : undefined), 5000);
    // Every request the mock received is one A sent (A counts a probe as it sends it: wait for none in flight).
    await waitFor('the mock\'s count is A\'s', () => (probes() === a.healthMonitor.probesSent() + b.healthMonitor.probesSent() ? true : undefined), 2000);
    expect(b.healthMonitor.probesSent()).toBe(0);
    expect(a.healthMonitor.probesSent()).toBeGreaterThanOrEqual(3);
    const same = await waitFor('B shows A\'s last probe', () => {
      const [ha, hb] = [a.healthMonitor.get('up'), b.healthMonitor.get('up')];
      return ha?.lastProbe && JSON.stringify(ha.lastProbe) === JSON.stringify(hb?.lastProbe) ? { ha, hb } : undefined;
    }, 3000);
    expect(same.hb).toMatchObject({ status: 'active', reason: 'probes pass', since: same.ha.since });
  });

  it('a provider down is an error on both, one provider-down alert on both, told once', async () => {
    down = true;
    await waitFor('error on A', () => (a.healthMonitor.get('up')?.status === 'error' ? true : undefined), 5000);
    await waitFor('error on B', () => (b.healthMonitor.get('up')?.status === 'error' ? true : undefined), 3000);
    // A keeps probing (every failed probe changes the reason's count): B shows A's reason once shared.
    await waitFor('B shows A\'s reason', () => (b.healthMonitor.get('up')!.reason === a.healthMonitor.get('up')!.reason ? true : undefined), 3000);
    expect(b.healthMonitor.get('up')!.reason).toMatch(/^\d+ probes failed: status 503$/);
    await waitFor('the alert on B', () => b.alerts.get(ALERT), 3000);
    expect(a.alerts.get(ALERT)).toMatchObject({ state: 'firing', kind: 'provider-down', count: 1, channels: ['ops'] });
    expect(b.alerts.get(ALERT)).toMatchObject({ state: 'firing', firedAt: a.alerts.get(ALERT)!.firedAt, count: 1 });
    // Several evaluations and probe rounds later, still told once.
    await quiet(1000);
    expect(told.filter((t) => t.n.alert.id === ALERT).map((t) => [t.hub, t.n.transition])).toEqual([['A', 'firing']]);
    expect(bus.filter((x) => x.e.data.id === ALERT).map((x) => [x.hub, x.e.type])).toEqual([['A', 'alert.firing']]);
    expect(b.alerts.unread()).toBe(1);
  });

  it('an acknowledgement through B\'s API shows on A', async () => {
    const ack = await ownerB.post(`/api/alerts/${encodeURIComponent(ALERT)}/ack`);
    expect(ack.status).toBe(200);
    const at = ack.body.alert.acknowledgedAt as number;
    expect(at).toBeGreaterThan(0);
    await waitFor('A sees the ack', () => (a.alerts.get(ALERT)?.acknowledgedAt === at ? true : undefined), 3000);
    expect(a.alerts.unread()).toBe(0);
    const list = await ownerB.get('/api/alerts/unread');
    expect(list.body).toMatchObject({ unread: 0, firing: 1 });
  });

  it('the leader stops: B probes within a lease and a probe interval and keeps the alert state; back up, B resolves it once', async () => {
    const before = probes();
    const transitions = a.healthMonitor.transitions('up');
    started.delete(a);
    await a.close();
    const stopped = Date.now();
    await waitFor('B probes', () => (b.healthMonitor.probesSent() > 0 && probes() > before ? true : undefined), 5000);
    const took = Date.now() - stopped;
    expect(took).toBeLessThanOrEqual(LEASE + INTERVAL + 700);
    expect(b.cluster.leader.isLeader()).toBe(true);
    // B continues A's history and alert.
    expect(b.healthMonitor.transitions('up').slice(0, transitions.length)).toEqual(transitions);
    await quiet(800);
    expect(b.healthMonitor.get('up')?.status).toBe('error');
    expect(b.alerts.get(ALERT)).toMatchObject({ state: 'firing', count: 1, acknowledgedAt: expect.any(Number) });
    expect(told.filter((t) => t.n.alert.id === ALERT)).toHaveLength(1);
    expect(bus.filter((x) => x.e.data.id === ALERT)).toHaveLength(1);

    down = false;
    await waitFor('resolved on B', () => (b.alerts.get(ALERT)?.state === 'resolved' ? true : undefined), 5000);
    expect(b.healthMonitor.get('up')?.status).toBe('active');
    await quiet(500);
    expect(told.filter((t) => t.n.alert.id === ALERT).map((t) => [t.hub, t.n.transition])).toEqual([['A', 'firing'], ['B', 'resolved']]);
    expect(bus.filter((x) => x.e.data.id === ALERT).map((x) => [x.hub, x.e.type])).toEqual([['A', 'alert.firing'], ['B', 'alert.resolved']]);
  });
});
