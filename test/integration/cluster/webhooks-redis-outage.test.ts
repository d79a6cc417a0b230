// Redis killed under two hubs: the events each instance emits meanwhile (and the config.applied of
// a commit both load during the outage) are kept in each instance's own journal, nothing is sent
// while nobody leads; Redis comes back (empty) → the journals move into it, the fact of the commit
// is queued once, and the new leader delivers every event once, with the id it had.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../../server/main.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { startReceiver, type Receiver } from '../webhooks/receiver.ts';
import { prepareWebhookHubs, waitFor, type WebhookHubs } from '../webhooks/redis-hubs.ts';

describe('outgoing webhooks while Redis is down', () => {
  let redis: TestRedis;
  let rx: Receiver;
  let hubs: WebhookHubs;
  let a: Hub;
  let b: Hub;
  const logs: string[] = [];
  let redisDown = false;

  beforeAll(async () => {
    redis = await startRedis();
    rx = await startReceiver();
    hubs = await prepareWebhookHubs({ count: 2, redisUrl: redis.url, receiverUrl: rx.url, events: ['config.applied', 'budget.threshold'], scheduleSeconds: [1, 1, 1] });
    rx.secret = hubs.secret;
    a = await hubs.start(0, logs);
    await waitFor('hub-0 leads', () => a.cluster.leader.isLeader() || undefined, 5000);
    b = await hubs.start(1, logs);
    // The first start's config.applied (queued by one, dropped by the other), then quiet.
    await waitFor('the first config.applied', () => rx.received.find((r) => r.status === 200), 10_000);
    await new Promise((r) => setTimeout(r, 1000));
  }, 60_000);
  afterAll(async () => {
    // The hubs close with Redis up, even when the test stopped in the middle of the outage.
    if (redisDown) await redis.restart().catch(() => {});
    await hubs?.stop();
    await rx?.close();
    await redis?.stop();
  });

  it('events are kept locally, nothing is sent; back: each delivered once with its webhook-id', async () => {
    expect(a.webhooks.dispatcher.journal.size + b.webhooks.dispatcher.journal.size).toBe(0);
    expect(rx.received).toHaveLength(1);
    await redis.kill();
    redisDown = true;
    await waitFor('both see Redis down', () => (a.cluster.status().redis === 'down' && b.cluster.status().redis === 'down' ? true : undefined), 5000);
    const before = rx.received.length;
    const e1 = b.events.emit('budget.threshold', { policy: 'team', percent: 50 });
    const e2 = a.events.emit('budget.threshold', { policy: 'team', percent: 75 });
    const commit = await hubs.commit({ 'policies/touch.yaml': 'name: touch\nrateLimit: { requests: 1000, per: minute }\n' }, 'a change during the outage');
    await Promise.all([a.reloader.check(), b.reloader.check()]);
    await waitFor('both live on the change', () => (a.live.snapshot?.commit === commit && b.live.snapshot?.commit === commit ? true : undefined), 5000);
    await waitFor('kept in each journal', () => (a.webhooks.dispatcher.journal.size === 2 && b.webhooks.dispatcher.journal.size === 2 ? true : undefined), 5000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(rx.received.length).toBe(before);
    expect(a.cluster.leader.isLeader() || b.cluster.leader.isLeader()).toBe(false);

    await redis.restart();
    redisDown = false;
    const ofId = (id: string) => rx.received.filter((r) => r.headers['webhook-id'] === id);
    const applied = () => rx.received.filter((r) => JSON.parse(r.body).type === 'config.applied' && JSON.parse(r.body).data.commit === commit);
    await waitFor('both events and the commit delivered', () => (ofId(e1.id).length && ofId(e2.id).length && applied().length ? true : undefined), 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(ofId(e1.id)).toHaveLength(1);
    expect(ofId(e2.id)).toHaveLength(1);
    expect(applied()).toHaveLength(1);
    expect(rx.received.slice(before).every((r) => r.status === 200 && r.verified)).toBe(true);
    expect(JSON.parse(ofId(e1.id)[0]!.body)).toMatchObject({ data: { percent: 50 } });
    expect(a.webhooks.dispatcher.journal.size + b.webhooks.dispatcher.journal.size).toBe(0);
    expect(logs.filter((l) => /webhooks: moved 2 deliveries .* into Redis/.test(l))).toHaveLength(1);
    expect(logs.filter((l) => /webhooks: moved 1 delivery .* into Redis; dropped 1 another instance had queued already/.test(l))).toHaveLength(1);
  }, 60_000);
});
