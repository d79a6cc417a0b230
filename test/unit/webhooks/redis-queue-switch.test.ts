// The queue switching between this instance's journal and Redis (a real redis-server): while
// Redis is down a delivery is kept in the journal (with its shared fact), and moved into Redis
// once it is back — except a fact another instance queued meanwhile; the journal forgets what
// moved, across a reopen. The dispatcher on a shared store sends only while it leads.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { eventually } from '../../helpers/sil-process.ts';
import { RedisConnection } from '../../../server/cluster/redis-connection.ts';
import { DeliveryJournal } from '../../../server/webhooks/delivery-journal.ts';
import { EndpointStates } from '../../../server/webhooks/endpoint-states.ts';
import { LocalDeliveryStore } from '../../../server/webhooks/delivery-store.ts';
import { RedisDeliveryStore } from '../../../server/webhooks/redis-journal.ts';
import { RedisEndpointStates } from '../../../server/webhooks/redis-endpoint-states.ts';
import { SwitchedDeliveryStore, SwitchedEndpointStates } from '../../../server/webhooks/queue-switch.ts';
import { moveBuffered } from '../../../server/webhooks/buffer-move.ts';
import { claimFact } from '../../../server/webhooks/fact-claim.ts';
import { WebhookDispatcher } from '../../../server/webhooks/dispatcher.ts';
import { newSigningSecret } from '../../../server/webhooks/signature.ts';
import type { SendRequest } from '../../../server/webhooks/http-send.ts';
import type { Delivery } from '../../../server/webhooks/types.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'sil-whq-'));
  dirs.push(d);
  return d;
};
const delivery = (id: string, over: Partial<Delivery> = {}): Delivery => ({ id, webhookId: `evt_${id}`, subscription: 'ops', type: 'config.applied', createdAt: Date.now(), body: '{}', state: 'pending', attempts: [], nextAt: Date.now(), ...over });

describe('webhook queue switching between the journal and Redis', () => {
  let redis: TestRedis;
  let conn: RedisConnection;
  beforeAll(async () => {
    redis = await startRedis();
    conn = new RedisConnection({ url: redis.url, keyPrefix: 'q:', failMode: 'local', connectTimeoutMs: 300 }, () => {});
    expect(await eventually(() => conn.state === 'up', 5000)).toBe(true);
  });
  afterAll(async () => {
    await conn?.close();
    await redis?.stop();
  });

  it('Redis down: kept in the journal with its fact; back: moved into Redis, a fact queued elsewhere dropped, the journal forgets both', async () => {
    const dir = await tmp();
    const journal = await DeliveryJournal.open(dir, { now: Date.now() });
    const side = new RedisDeliveryStore(conn, { claimMs: 30_000 });
    let buffered = 0;
    const store = new SwitchedDeliveryStore(new LocalDeliveryStore(journal), { connection: () => conn, redis: () => side, onBuffered: () => buffered++, log: () => {} });
    expect(store.shared).toBe(true);
    await store.save(delivery('up'), Date.now());
    expect(journal.size).toBe(0);
    expect(await side.get('up')).toBeDefined();

    await redis.kill();
    expect(await eventually(() => conn.state === 'down', 5000)).toBe(true);
    await store.save(delivery('mine', { fact: 'config.applied:c1' }), Date.now());
    await store.save(delivery('theirs', { webhookId: 'evt_theirs', fact: 'config.applied:c2' }), Date.now());
    expect(buffered).toBe(2);
    expect(journal.size).toBe(2);
    // The log while down: what waits here. The leader claims nothing (only from Redis).
    expect((await store.list('ops')).map((d) => d.id).sort()).toEqual(['mine', 'theirs']);
    expect(await store.claimDue(Date.now() + 1000, 8, new Set())).toEqual([]);

    await redis.restart();
    expect(await eventually(() => conn.state === 'up', 8000)).toBe(true);
    // Another instance queued the fact of c2 while this one could not reach Redis.
    expect(await claimFact(conn, 'config.applied:c2', 'evt_other')).toBe(true);
    const r = await moveBuffered(journal, side, (f, id) => claimFact(conn, f, id), Date.now());
    expect(r).toEqual({ moved: 1, dropped: 1 });
    expect(journal.size).toBe(0);
    const moved = await side.get('mine');
    expect(moved).toMatchObject({ webhookId: 'evt_mine', state: 'pending' });
    expect(moved!.fact).toBeUndefined();
    expect(await side.get('theirs')).toBeUndefined();
    expect((await store.claimDue(Date.now() + 1000, 8, new Set())).map((d) => d.id)).toEqual(['mine']);
    await journal.close();
    const reopened = await DeliveryJournal.open(dir, { now: Date.now() });
    expect(reopened.size).toBe(0);
    await reopened.close();
  });

  it('endpoint states changed while Redis is down reach it when it is back; the local file then holds nothing', async () => {
    const dir = await tmp();
    const local = await EndpointStates.open(dir, () => {});
    await local.update('old', () => ({ disabledAt: 5, disabledReason: 'gone before redis' }));
    const side = new RedisEndpointStates(conn);
    const states = new SwitchedEndpointStates(local, { connection: () => conn, redis: () => side, onBuffered: () => {}, log: () => {} });
    await states.update('ops', () => ({ lastSuccessAt: 1 }));
    expect(await side.read('ops')).toEqual({ lastSuccessAt: 1 });
    await redis.kill();
    expect(await eventually(() => conn.state === 'down', 5000)).toBe(true);
    await states.update('ops', (s) => ({ ...s, failingSince: 2 }));
    expect(await states.read('ops')).toEqual({ lastSuccessAt: 1, failingSince: 2 });
    expect(states.waiting).toBe(true);
    await redis.restart();
    expect(await eventually(() => conn.state === 'up', 8000)).toBe(true);
    await states.flush(side);
    expect(await side.read('ops')).toEqual({ lastSuccessAt: 1, failingSince: 2 });
    expect(await side.read('old')).toEqual({ disabledAt: 5, disabledReason: 'gone before redis' });
    expect(states.waiting).toBe(false);
    expect(local.entries()).toEqual([]);
  });

  it('the dispatcher on the shared queue sends only while it leads, each delivery once', async () => {
    const side = new RedisDeliveryStore(conn, { claimMs: 30_000 });
    const secret = newSigningSecret();
    const make = async (leads: () => boolean) => {
      const dir = await tmp();
      const sent: SendRequest[] = [];
      const d = new WebhookDispatcher({
        journal: await DeliveryJournal.open(dir, { now: Date.now() }), store: side, endpoints: await EndpointStates.open(dir, () => {}),
        subscriptions: () => new Map([['ops', { name: 'ops', url: 'http://127.0.0.1:9/hook', events: ['*'] }]]), secrets: () => [secret],
        send: async (req) => (sent.push(req), { status: 200 }), now: Date.now, leads, pollMs: 50, log: () => {},
      });
      d.start();
      return { d, sent };
    };
    let aLeads = false;
    const a = await make(() => aLeads);
    const b = await make(() => !aLeads);
    // b leads; a (not leading) queues an event: b sends it.
    await a.d.accept({ id: 'evt_from_a', type: 'config.applied', at: Date.now(), data: {} });
    expect(await eventually(() => b.sent.length === 1, 3000)).toBe(true);
    expect(b.sent[0]!.headers['webhook-id']).toBe('evt_from_a');
    // The lead moves to a: a sends what b queues; nobody sends twice.
    aLeads = true;
    a.d.wake();
    await b.d.accept({ id: 'evt_from_b', type: 'config.applied', at: Date.now(), data: {} });
    expect(await eventually(() => a.sent.length === 1, 3000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.sent.map((s) => s.headers['webhook-id'])).toEqual(['evt_from_b']);
    expect(b.sent.map((s) => s.headers['webhook-id'])).toEqual(['evt_from_a']);
    expect((await side.list('ops')).filter((d) => d.state === 'delivered').map((d) => d.webhookId).sort()).toEqual(['evt_from_a', 'evt_from_b']);
    await a.d.close();
    await b.d.close();
  });
});
