// The replay of alert changes an instance made while Redis was down (a real redis-server): an
// instance that told several alerts at once queued [raise X, raise Y, told X, told Y]; each
// alert must reach the shared store with its `told` in one compare-and-set (one message to the
// peers), or the leader reads X stored but untold in between and tells it a second time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { SharedAlertsReplica } from '../../../server/cluster/shared-alerts-replica.ts';
import type { AlertOp } from '../../../server/observe/alerts/alert-ops.ts';
import type { AlertMirror } from '../../../server/observe/alerts/alert-replica.ts';
import type { StoredAlert } from '../../../server/observe/alerts/alert-book.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { eventually } from '../../helpers/sil-process.ts';
import { randomPrefix, stubCluster, type StubCluster } from './shared-stubs.ts';

const raise = (id: string, at: number): AlertOp => ({ type: 'raise', raise: { id, kind: 'remote-sync', subject: id, severity: 'warning', title: `${id} failed`, detail: 'test', channels: ['ops'] }, at });
const told = (id: string): AlertOp => ({ type: 'told', id, transition: 'firing', severity: 'warning' });

describe('alert changes replayed after an outage', () => {
  let redis: TestRedis;
  let cluster: StubCluster;
  let sub: Redis;
  const prefix = randomPrefix();
  const messages: string[][] = [];

  beforeAll(async () => {
    redis = await startRedis();
    cluster = await stubCluster('B', redis.url, prefix);
    sub = cluster.conn.duplicate({ enableOfflineQueue: true });
    sub.on('message', (_ch: string, text: string) => messages.push((JSON.parse(text) as { ids?: string[] }).ids ?? []));
    await sub.subscribe(`${prefix}alerts`);
    // Another instance filled the store after Redis came back: this one replays its queue.
    await cluster.conn.client.set(`${prefix}alerts:seeded`, 'A');
  });

  afterAll(async () => {
    sub?.disconnect();
    await cluster?.close();
    await redis?.stop();
  });

  it('each alert is stored with its told in one step, even when another alert\'s changes came between', async () => {
    const book = new Map<string, StoredAlert | undefined>();
    const mirror: AlertMirror = {
      state: () => ({ alerts: [], silences: [] }),
      adopt: (s) => s.alerts.forEach((a) => book.set(a.id, a)),
      put: (id, a) => book.set(id, a),
      setSilences: () => {},
      remoteChanged: () => {},
      roleChanged: () => {},
    };
    const replica = new SharedAlertsReplica({ cluster: { ...cluster, leader: { onChange: () => () => {}, isLeader: () => false } as never }, log: () => {} });
    const now = Date.now();
    for (const op of [raise('x', now), raise('y', now), told('x'), told('y')]) replica.push(op);
    replica.attach(mirror);
    const stored = async (id: string) => JSON.parse((await cluster.conn.client.hget(`${prefix}alerts`, id)) ?? 'null') as StoredAlert | null;
    expect(await eventually(async () => replica.role() === 'follow' && (await stored('x'))?.notified === 'firing' && (await stored('y'))?.notified === 'firing', 5000)).toBe(true);
    await eventually(() => messages.length >= 2, 1000);
    await new Promise((r) => setTimeout(r, 100));
    expect(messages).toEqual([['x'], ['y']]);
    expect(book.get('x')).toMatchObject({ state: 'firing', notified: 'firing', count: 1 });
    await replica.close();
  });
});
