// Outgoing webhooks of two hubs sharing a real redis-server (sil.yaml `redis:`, a 600 ms leader
// lease), a receiver on 127.0.0.1 verifying with the standardwebhooks package: the first start's
// config.applied of the commit both load arrives once; an event of the non-leader is sent once,
// by the leader; a new commit's config.applied and a rejected commit's config.rejected once
// each; the delivery log answers the same through /api/webhooks of either hub, and a replay
// asked of the non-leader is sent by the leader; the leader stops in the middle of a retry
// schedule → the other takes the lease and delivers the pending delivery, same webhook-id, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Hub } from '../../../server/main.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { commitPastHook } from '../../helpers/git.ts';
import { Browser, signedInOwner } from '../api/owner-app.ts';
import { startReceiver, type Receiver } from '../webhooks/receiver.ts';
import { prepareWebhookHubs, waitFor, type WebhookHubs } from '../webhooks/redis-hubs.ts';

const EVENTS = ['config.applied', 'config.rejected', 'budget.threshold'];
const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outgoing webhooks of two instances sharing Redis', () => {
  let redis: TestRedis;
  let rx: Receiver;
  let hubs: WebhookHubs;
  let a: Hub;
  let b: Hub;
  let ownerA: Browser;
  let ownerB: Browser;

  const ofId = (id: string) => rx.received.filter((r) => r.headers['webhook-id'] === id);
  const ofCommit = (type: string, commit: string) => rx.received.filter((r) => {
    const body = JSON.parse(r.body) as { type: string; data: { commit?: string } };
    return body.type === type && body.data.commit === commit;
  });

  beforeAll(async () => {
    redis = await startRedis();
    rx = await startReceiver();
    hubs = await prepareWebhookHubs({ count: 2, redisUrl: redis.url, receiverUrl: rx.url, events: EVENTS, scheduleSeconds: [1, 1, 1, 1, 1] });
    rx.secret = hubs.secret;
    a = await hubs.start(0);
    await waitFor('hub-0 leads', () => a.cluster.leader.isLeader() || undefined, 5000);
    b = await hubs.start(1);
    await waitFor('hub-1 on Redis', () => (b.cluster.status().redis === 'up' ? true : undefined), 5000);
    ownerA = await signedInOwner(a.url, hubs.dirs[0]!);
    ownerB = await signedInOwner(b.url, hubs.dirs[1]!);
  }, 60_000);

  afterAll(async () => {
    await hubs?.stop();
    await rx?.close();
    await redis?.stop();
  });

  it('both instances start on a new commit: its config.applied reaches the receiver once', async () => {
    const commit = a.live.snapshot!.commit;
    expect(b.live.snapshot!.commit).toBe(commit);
    await waitFor('config.applied of the first commit', () => ofCommit('config.applied', commit)[0], 10_000);
    await quiet(1500);
    const got = ofCommit('config.applied', commit);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ status: 200, verified: true });
  });

  it('an event of the non-leader is delivered once, by the leader', async () => {
    expect(a.cluster.leader.isLeader()).toBe(true);
    expect(b.cluster.leader.isLeader()).toBe(false);
    const e = b.events.emit('budget.threshold', { policy: 'team', percent: 80 });
    await waitFor('the event delivered', () => ofId(e.id).find((r) => r.status === 200), 5000);
    await quiet(1000);
    expect(ofId(e.id)).toHaveLength(1);
    expect(ofId(e.id)[0]!.verified).toBe(true);
    expect(JSON.parse(ofId(e.id)[0]!.body)).toMatchObject({ type: 'budget.threshold', data: { policy: 'team', percent: 80 } });
    // Queued in Redis, not in either instance's own journal.
    expect(a.webhooks.dispatcher.journal.size + b.webhooks.dispatcher.journal.size).toBe(0);
  });

  it('a commit both instances load: config.applied once; a commit both reject: config.rejected once', async () => {
    const commit = await hubs.commit({ 'policies/touch.yaml': 'name: touch\nrateLimit: { requests: 1000, per: minute }\n' }, 'a change');
    await Promise.all([a.reloader.check(), b.reloader.check()]);
    await waitFor('both live on the change', () => (a.live.snapshot?.commit === commit && b.live.snapshot?.commit === commit ? true : undefined), 5000);
    await waitFor('config.applied of the change', () => ofCommit('config.applied', commit)[0], 5000);

    const bad = commitPastHook(join(hubs.dirs[0]!, 'config.git'), { 'policies/broken.yaml': 'name: broken\nrateLimit: { requests: -1 }\n' }, 'a broken policy');
    hubs.sync();
    await Promise.all([a.reloader.check(), b.reloader.check()]);
    await waitFor('both reject it', () => (a.live.error?.commit === bad && b.live.error?.commit === bad ? true : undefined), 5000);
    await waitFor('config.rejected of the broken commit', () => ofCommit('config.rejected', bad)[0], 5000);
    await quiet(1500);
    expect(ofCommit('config.applied', commit)).toHaveLength(1);
    expect(ofCommit('config.rejected', bad)).toHaveLength(1);
    expect(ofCommit('config.rejected', bad)[0]).toMatchObject({ status: 200, verified: true });
  });

  it('the delivery log answers the same on both instances; a replay asked of the non-leader is sent by the leader', async () => {
    const [logA, logB] = await Promise.all([ownerA.get('/api/webhooks/ops/deliveries'), ownerB.get('/api/webhooks/ops/deliveries')]);
    expect(logA.status).toBe(200);
    expect(logA.body.total).toBeGreaterThanOrEqual(4);
    expect(logB.body).toEqual(logA.body);
    const budget = logA.body.deliveries.find((d: { type: string }) => d.type === 'budget.threshold');
    expect(budget).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200 });
    const [oneA, oneB] = await Promise.all([ownerA.get(`/api/webhooks/deliveries/${budget.id}`), ownerB.get(`/api/webhooks/deliveries/${budget.id}`)]);
    expect(oneA.status).toBe(200);
    expect(oneB.body).toEqual(oneA.body);
    const [listA, listB] = await Promise.all([ownerA.get('/api/webhooks'), ownerB.get('/api/webhooks')]);
    expect(listA.body.webhooks[0].state).toMatchObject({ disabledByHub: false, lastSuccessAt: expect.any(String) });
    expect(listB.body.webhooks[0].state).toEqual(listA.body.webhooks[0].state);

    const replay = await ownerB.post(`/api/webhooks/deliveries/${budget.id}/replay`, {});
    expect(replay.status, JSON.stringify(replay.body)).toBe(201);
    await waitFor('the replay delivered', () => (ofId(budget.webhookId).length >= 2 ? true : undefined), 5000);
    expect(ofId(budget.webhookId)[1]!.body).toBe(ofId(budget.webhookId)[0]!.body);
    const again = await waitFor('the replay in A\'s log', async () => {
      const d = (await ownerA.get(`/api/webhooks/deliveries/${replay.body.delivery.id}`)).body.delivery;
      return d?.state === 'delivered' ? d : undefined;
    }, 5000);
    expect(again).toMatchObject({ replayOf: budget.id, webhookId: budget.webhookId });
  });

  it('the leader stops in the middle of a retry schedule: the other takes the lease and delivers, same webhook-id, once', async () => {
    rx.answer = 503;
    const e = a.events.emit('budget.threshold', { policy: 'team', percent: 100 });
    await waitFor('a failed attempt', () => ofId(e.id).find((r) => r.status === 503), 5000);
    // The attempt is recorded in Redis (next due in about a second) before the leader stops.
    await waitFor('the attempt recorded', async () => ((await b.webhooks.dispatcher.store.list('ops')).find((d) => d.webhookId === e.id)?.attempts.length ? true : undefined), 5000);
    await hubs.close(a);
    const took = Date.now();
    await waitFor('hub-1 leads', () => b.cluster.leader.isLeader() || undefined, 5000);
    expect(Date.now() - took).toBeLessThan(2000);
    rx.answer = 200;
    const ok = await waitFor('delivered by hub-1', () => ofId(e.id).find((r) => r.status === 200), 10_000);
    await quiet(1500);
    const all = ofId(e.id);
    expect(all.filter((r) => r.status === 200)).toHaveLength(1);
    expect(all.every((r) => r.verified && r.body === all[0]!.body)).toBe(true);
    expect(ok.headers['webhook-id']).toBe(e.id);
    const log = (await ownerB.get('/api/webhooks/ops/deliveries')).body.deliveries.find((d: { webhookId: string }) => d.webhookId === e.id);
    expect(log).toMatchObject({ state: 'delivered', lastStatus: 200, attempts: all.length });
  }, 30_000);
});
