// Switching Redis on under a hub with a delivery pending in its own journal: a real hub without
// `redis:` fails an event's first attempt (the receiver answers 503), then a commit adds `redis:`
// (a real redis-server); the journal — the pending delivery and the log of the finished ones —
// moves into Redis, the hub (leading alone) delivers the pending one with the same webhook-id and
// body, once, and its journal is empty afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startHub, type Hub } from '../../../server/main.ts';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { headCommit } from '../../../server/config/git-read.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startReceiver, type Receiver } from './receiver.ts';
import { writeWebhook } from './webhook-config.ts';
import { AUTHOR, LEASE_MS, redisSilYaml, waitFor } from './redis-hubs.ts';

describe('outgoing webhooks: Redis switched on with a delivery pending locally', () => {
  const tmp = tempDir('sil-wh-switch-');
  const dataDir = join(tmp.path, 'data');
  let redis: TestRedis;
  let rx: Receiver;
  let hub: Hub;
  const logs: string[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    rx = await startReceiver();
    await initDataDir(dataDir);
    rx.secret = await writeWebhook(dataDir, 'ops', `name: ops\nurl: ${rx.url}\nevents: ["config.applied", "budget.threshold"]\nretry:\n  scheduleSeconds: [2, 2, 2, 2]\n`);
    hub = await startHub({ dataDir, host: '127.0.0.1', port: 0, pollMs: 50, consoleDir: null, usageStore: false, log: (l) => logs.push(l), cluster: { leaseMs: LEASE_MS } });
  });
  afterAll(async () => {
    await hub?.close();
    await rx?.close();
    await redis?.stop();
    tmp.cleanup();
  });

  it('moves the journal into Redis and delivers the pending delivery, same webhook-id, once', async () => {
    await waitFor('the first config.applied delivered', () => rx.received.find((r) => r.status === 200), 10_000);
    rx.answer = 503;
    const e = hub.events.emit('budget.threshold', { policy: 'team', percent: 80 });
    const failed = await waitFor('a failed attempt', () => rx.received.find((r) => r.headers['webhook-id'] === e.id), 5000);
    await waitFor('the attempt in the journal', () => (hub.webhooks.dispatcher.journal.list('ops').find((d) => d.webhookId === e.id)?.attempts.length ? true : undefined), 5000);
    expect(hub.cluster.status().redis).toBe('off');
    expect(hub.webhooks.dispatcher.journal.size).toBe(2);

    const writer = new GitWriter({ gitdir: join(dataDir, 'config.git'), catalog: projectCatalog().catalog });
    const { commit } = await writer.commit({ base: await headCommit(join(dataDir, 'config.git')), author: AUTHOR, message: 'redis on', changes: { 'sil.yaml': redisSilYaml(redis.url, 'switch:') } });
    await hub.reloader.check();
    await waitFor('on Redis and leading', () => (hub.live.snapshot?.commit === commit && hub.cluster.status().redis === 'up' && hub.cluster.leader.isLeader() ? true : undefined), 5000);
    await waitFor('the journal moved', () => (hub.webhooks.dispatcher.journal.size === 0 ? true : undefined), 5000);
    rx.answer = 200;
    const ok = await waitFor('delivered from Redis', () => rx.received.find((r) => r.headers['webhook-id'] === e.id && r.status === 200), 10_000);
    expect(ok).toMatchObject({ verified: true, body: failed.body });
    // The commit that switched Redis on is news too: its config.applied is delivered once.
    await waitFor('config.applied of the switch', () => rx.received.find((r) => JSON.parse(r.body).data?.commit === commit && r.status === 200), 5000);
    await new Promise((r) => setTimeout(r, 2500));
    expect(rx.received.filter((r) => r.headers['webhook-id'] === e.id).map((r) => r.status)).toEqual([503, 200]);
    // (It may have met the receiver still answering 503: then it was retried, with the same id.)
    const applied = rx.received.filter((r) => JSON.parse(r.body).data?.commit === commit);
    expect(new Set(applied.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(applied.filter((r) => r.status === 200)).toHaveLength(1);
    // The log is Redis's now, with the deliveries finished before the switch.
    const log = await hub.webhooks.dispatcher.store.list('ops');
    expect(log.map((d) => d.type).sort()).toEqual(['budget.threshold', 'config.applied', 'config.applied']);
    expect(log.find((d) => d.webhookId === e.id)).toMatchObject({ state: 'delivered', attempts: [{ status: 503 }, { status: 200 }] });
    const redisSide = hub.cluster.redis()!;
    expect(await redisSide.zcard('switch:webhooks:log:ops')).toBe(3);
    expect(hub.webhooks.dispatcher.journal.size).toBe(0);
    expect(logs.some((l) => /webhooks: moved [23] deliveries .*deliveries\.jsonl into Redis/.test(l))).toBe(true);
  }, 60_000);
});
