// A leader that dies (SIGKILL of a hub child, no lease given up) with a provider down and its
// alert told: the other instance (in this process) takes the lease once it lapses, probes within
// a lease and a probe interval of the kill, continues the health history and the alert from
// Redis — still firing, never told again by it — and tells the resolution when the provider is
// back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startHub, type Hub } from '../../../server/main.ts';
import type { HubEvent } from '../../../server/events/hub-events.ts';
import type { AlertNotification } from '../../../server/observe/alerts/types.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { clusterDataDirs } from '../../helpers/cluster-data.ts';
import { killIfRunning, spawnSil, type SilProcess } from '../../helpers/sil-process.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { waitFor } from '../webhooks/redis-hubs.ts';

const KEY = `sk-proj-${'d'.repeat(40)}`;
const INTERVAL = 300;
const LEASE = 600;
const ALERT = 'provider-down:up';
const CHILD = fileURLToPath(new URL('./leader-jobs-child.ts', import.meta.url));
const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a leader that dies: the other instance takes over probes and alerts', () => {
  const tmp = tempDir('sil-leader-dead-');
  let redis: TestRedis;
  let mock: MockUpstream;
  let down = false;
  let child: SilProcess | undefined;
  let b: Hub | undefined;
  const told: AlertNotification[] = [];
  const bus: HubEvent[] = [];
  const probes = () => mock.received.filter((r) => r.url === '/v1/models').length;

  beforeAll(async () => {
    redis = await startRedis();
    mock = await startMockUpstream((r) => (down && r.url.startsWith('/v1/models') ? { status: 503, body: { error: { message: 'down' } } } : { status: 200, body: { data: [] } }));
    const prefix = `ld${Math.random().toString(36).slice(2, 8)}:`;
    const { dirs } = await clusterDataDirs(tmp.path, 2, {
      'sil.yaml': `version: 1\nenvironments: [prod]\nredis:\n  url: ${redis.url}\n  keyPrefix: "${prefix}"\n  connectTimeoutMs: 300\nnotifications:\n  channels:\n    - { name: ops, type: console }\n`,
      'providers/up.yaml': `id: up\ntemplate: openai\nname: up\nenvironment: prod\nconnection:\n  baseUrl: ${mock.url}/v1\n`,
    }, { up: { apiKey: KEY } });
    const health = { probes: true, intervalMs: INTERVAL, tickMs: 100 };
    child = spawnSil([JSON.stringify({ dataDir: dirs[0], instanceId: 'A', leaseMs: LEASE, health, alerts: { evaluateMs: 200 } })], { bin: CHILD });
    await child.waitFor(/sil listening on/, 60_000);
    await child.waitFor(/cluster: A leads/, 10_000);
    b = await startHub({ dataDir: dirs[1]!, host: '127.0.0.1', port: 0, pollMs: 50, consoleDir: null, usageStore: false, keyMaintenanceMs: 3_600_000, log: () => {}, cluster: { leaseMs: LEASE, instanceId: 'B' }, health, alerts: { evaluateMs: 200 } });
    b.alerts.setDispatcher({ dispatch: async (n, channels) => (told.push(n), channels.map((channel) => ({ channel, ok: true }))) });
    b.events.on((e) => {
      if (e.type.startsWith('alert.')) bus.push(e);
    });
  }, 90_000);

  afterAll(async () => {
    killIfRunning(child?.child.pid);
    await b?.close();
    await mock?.close();
    await redis?.stop();
    tmp.cleanup();
  });

  it('B shows A\'s probes and A\'s alert, and tells nothing while A leads', async () => {
    await waitFor('A probes', () => (probes() >= 2 ? true : undefined), 5000);
    down = true;
    await waitFor('error on B', () => (b!.healthMonitor.get('up')?.status === 'error' ? true : undefined), 5000);
    await waitFor('the alert on B', () => (b!.alerts.get(ALERT)?.state === 'firing' ? true : undefined), 3000);
    await quiet(500);
    expect(b!.healthMonitor.probesSent()).toBe(0);
    expect(told).toEqual([]);
    expect(bus).toEqual([]);
  });

  it('A is killed: B probes within a lease and a probe interval, keeps the alert firing untold, then resolves it', async () => {
    const before = probes();
    const transitions = b!.healthMonitor.transitions('up');
    killIfRunning(child!.child.pid);
    await child!.exited(5000);
    const killed = Date.now();
    await waitFor('B probes', () => (b!.healthMonitor.probesSent() > 0 && probes() > before ? true : undefined), 5000);
    const took = Date.now() - killed;
    // The lease lapses (≤ 600 ms), B's next try takes it (≤ 200 ms), its first probe comes within min(interval, 5 s).
    expect(took).toBeLessThanOrEqual(LEASE + 200 + INTERVAL + 500);
    expect(b!.cluster.leader.isLeader()).toBe(true);
    expect(b!.healthMonitor.transitions('up').slice(0, transitions.length)).toEqual(transitions);
    await quiet(800);
    expect(b!.healthMonitor.get('up')?.status).toBe('error');
    expect(b!.alerts.get(ALERT)).toMatchObject({ state: 'firing', count: 1 });
    expect(told).toEqual([]);
    expect(bus).toEqual([]);

    down = false;
    await waitFor('resolved on B', () => (b!.alerts.get(ALERT)?.state === 'resolved' ? true : undefined), 5000);
    await quiet(300);
    expect(told.map((n) => [n.alert.id, n.transition])).toEqual([[ALERT, 'resolved']]);
    expect(bus.map((e) => [e.data.id, e.type])).toEqual([[ALERT, 'alert.resolved']]);
  });
});
