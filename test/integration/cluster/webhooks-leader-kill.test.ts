// kill -9 of the leading instance in the middle of a delivery's retry schedule: a hub child
// process (sil.yaml `redis:`, SIL_LEADER_LEASE_MS=600) leads and sends; the in-process hub (not
// leading) queues an event into Redis, the receiver fails the leader's first attempt, the child is
// SIGKILLed; the other hub takes the lease once it lapses and delivers the pending delivery, with
// the same webhook-id and body, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Hub } from '../../../server/main.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { eventually, killIfRunning, processRuns, spawnSil, type SilProcess } from '../../helpers/sil-process.ts';
import { startReceiver, type Receiver } from '../webhooks/receiver.ts';
import { LEASE_MS, prepareWebhookHubs, waitFor, type WebhookHubs } from '../webhooks/redis-hubs.ts';

const CHILD = fileURLToPath(new URL('../webhooks/hub-child.ts', import.meta.url));
const LISTENING = /sil listening on (http:\/\/127\.0\.0\.1:\d+)/;

describe('outgoing webhooks: the leader killed with SIGKILL mid-retry-schedule', () => {
  let redis: TestRedis;
  let rx: Receiver;
  let hubs: WebhookHubs;
  let child: SilProcess | undefined;
  let other: Hub;

  beforeAll(async () => {
    redis = await startRedis();
    rx = await startReceiver();
    hubs = await prepareWebhookHubs({ count: 2, redisUrl: redis.url, receiverUrl: rx.url, events: ['budget.threshold'], scheduleSeconds: [2, 2, 2, 2, 2] });
    rx.secret = hubs.secret;
  });
  afterAll(async () => {
    killIfRunning(child?.child.pid);
    await hubs?.stop();
    await rx?.close();
    await redis?.stop();
  });

  it('the other instance takes the lease and delivers the pending delivery, same webhook-id, once', async () => {
    child = spawnSil([hubs.dirs[0]!], { bin: CHILD, env: { SIL_LEADER_LEASE_MS: String(LEASE_MS), SIL_INSTANCE_NAME: 'child' } });
    const url = (await child.waitFor(LISTENING, 60_000))[1]!;
    const childLeads = async () => ((await (await fetch(`${url}/healthz`)).json()) as { cluster?: { leader: boolean } }).cluster?.leader === true;
    expect(await eventually(childLeads, 10_000)).toBe(true);
    other = await hubs.start(1);
    await waitFor('the in-process hub on Redis, not leading', () => (other.cluster.status().redis === 'up' && other.cluster.leader.leaderId()?.startsWith('child') ? true : undefined), 5000);
    expect(other.cluster.leader.isLeader()).toBe(false);

    rx.answer = 503;
    const e = other.events.emit('budget.threshold', { policy: 'team', percent: 90 });
    const first = await waitFor('the leader\'s first attempt', () => rx.received.find((r) => r.headers['webhook-id'] === e.id), 10_000);
    expect(first).toMatchObject({ status: 503, verified: true });
    await waitFor('the attempt recorded in Redis', async () => ((await other.webhooks.dispatcher.store.list('ops')).find((d) => d.webhookId === e.id)?.attempts.length === 1 ? true : undefined), 5000);

    const pid = child.child.pid!;
    process.kill(pid, 'SIGKILL');
    expect(await eventually(() => !processRuns(pid), 5000)).toBe(true);
    const killed = Date.now();
    rx.answer = 200;
    await waitFor('the other instance leads', () => other.cluster.leader.isLeader() || undefined, 5000);
    const takeover = Date.now() - killed;
    expect(takeover).toBeLessThan(LEASE_MS + 1000);

    const ok = await waitFor('delivered by the new leader', () => rx.received.find((r) => r.headers['webhook-id'] === e.id && r.status === 200), 10_000);
    expect(ok.verified).toBe(true);
    expect(ok.body).toBe(first.body);
    // Nothing more for this event after its success (2 s is the schedule's next retry).
    await new Promise((r) => setTimeout(r, 2500));
    const all = rx.received.filter((r) => r.headers['webhook-id'] === e.id);
    expect(all.map((r) => r.status)).toEqual([503, 200]);
    const log = (await other.webhooks.dispatcher.store.list('ops')).find((d) => d.webhookId === e.id)!;
    expect(log).toMatchObject({ state: 'delivered', nextAt: null });
    expect(log.attempts.map((x) => x.status)).toEqual([503, 200]);
    console.log(`webhooks leader kill: takeover ${takeover} ms after SIGKILL (lease ${LEASE_MS} ms)`);
  }, 90_000);
});
