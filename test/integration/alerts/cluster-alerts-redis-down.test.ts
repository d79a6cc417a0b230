// Shared alerts when Redis goes away (a real redis-server, killed and started again empty): each
// instance keeps working on its own copy — an alert raised on B then is shown and told by B
// itself — and once Redis is back the shared store is filled again from the instances' copies
// and the changes made meanwhile: A shows B's alert, nobody tells it again, and a resolution on
// A is told once and shows on B. Without `redis:` the engine is alone (as before this feature).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../../server/main.ts';
import type { AlertNotification } from '../../../server/observe/alerts/types.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { clusterDataDirs } from '../../helpers/cluster-data.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { waitFor } from '../webhooks/redis-hubs.ts';

const LEASE = 600;
const ID = 'remote-sync:origin';
const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('shared alerts while Redis is down and after it is back', () => {
  const tmp = tempDir('sil-alerts-redis-down-');
  let redis: TestRedis;
  const hubs: Hub[] = [];
  const told: { hub: string; n: AlertNotification }[] = [];
  const toldOf = (id: string) => told.filter((t) => t.n.alert.id === id).map((t) => [t.hub, t.n.transition]);

  const start = async (dir: string, name: string) => {
    const hub = await startHub({ dataDir: dir, host: '127.0.0.1', port: 0, pollMs: 50, consoleDir: null, usageStore: false, keyMaintenanceMs: 3_600_000, log: () => {}, cluster: { leaseMs: LEASE, instanceId: name }, alerts: { evaluateMs: 200 } });
    hub.alerts.setDispatcher({ dispatch: async (n, channels) => (told.push({ hub: name, n }), channels.map((channel) => ({ channel, ok: true }))) });
    hubs.push(hub);
    return hub;
  };

  beforeAll(async () => {
    redis = await startRedis();
    const prefix = `ad${Math.random().toString(36).slice(2, 8)}:`;
    const { dirs } = await clusterDataDirs(tmp.path, 3, {
      'sil.yaml': `version: 1\nenvironments: [prod]\nredis:\n  url: ${redis.url}\n  keyPrefix: "${prefix}"\n  connectTimeoutMs: 300\nnotifications:\n  channels:\n    - { name: ops, type: console }\n`,
    });
    const a = await start(dirs[0]!, 'A');
    await waitFor('A leads', () => (a.alerts.role() === 'lead' ? true : undefined), 5000);
    const b = await start(dirs[1]!, 'B');
    await waitFor('B follows', () => (b.alerts.role() === 'follow' ? true : undefined), 5000);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(hubs.map((h) => h.close()));
    await redis?.stop();
    tmp.cleanup();
  });

  it('Redis down: an instance raises, shows and tells its own alert', async () => {
    const [a, b] = hubs as [Hub, Hub];
    await redis.kill();
    await waitFor('both on their own', () => (a.alerts.role() === 'local' && b.alerts.role() === 'local' ? true : undefined), 5000);
    b.alerts.raise({ id: ID, kind: 'remote-sync', subject: 'origin', severity: 'warning', title: 'origin cannot be fetched', detail: 'test' });
    expect(b.alerts.get(ID)).toMatchObject({ state: 'firing', channels: ['ops'] });
    expect(a.alerts.get(ID)).toBeUndefined();
    await quiet(100);
    expect(toldOf(ID)).toEqual([['B', 'firing']]);
  });

  it('Redis back (empty): the store is filled again, A shows B\'s alert, nobody tells it again', async () => {
    const [a, b] = hubs as [Hub, Hub];
    await redis.restart();
    await waitFor('A has B\'s alert', () => a.alerts.get(ID), 8000);
    await waitFor('a leader again', () => (a.alerts.role() === 'lead' || b.alerts.role() === 'lead' ? true : undefined), 5000);
    await quiet(800);
    expect(a.alerts.get(ID)).toMatchObject({ state: 'firing', count: 1, firedAt: b.alerts.get(ID)!.firedAt });
    expect(toldOf(ID)).toEqual([['B', 'firing']]);
  });

  it('a resolution on one instance shows on the other and is told once, by the leader', async () => {
    const [a, b] = hubs as [Hub, Hub];
    const leader = a.alerts.role() === 'lead' ? 'A' : 'B';
    a.alerts.resolve(ID);
    await waitFor('B sees it resolved', () => (b.alerts.get(ID)?.state === 'resolved' ? true : undefined), 3000);
    await quiet(500);
    expect(toldOf(ID)).toEqual([['B', 'firing'], [leader, 'resolved']]);
  });

  it('a third instance started now reads the shared alerts', async () => {
    const dirs = [0, 1, 2].map((i) => `${tmp.path}/data-${i}`);
    const c = await start(dirs[2]!, 'C');
    await waitFor('C follows', () => (c.alerts.role() === 'follow' ? true : undefined), 5000);
    expect(c.alerts.get(ID)).toMatchObject({ state: 'resolved', count: 1 });
  });
});
