// The webhook queue in a real redis-server: deliveries saved and listed, a claim that hides a
// due delivery from another instance until it runs out (then the other takes it, same
// webhook-id), the retention of finished deliveries (never the pending ones), and the shared-fact
// claim (SET NX EX) that queues a fact once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { eventually } from '../../helpers/sil-process.ts';
import { RedisConnection } from '../../../server/cluster/redis-connection.ts';
import { RedisDeliveryStore } from '../../../server/webhooks/redis-journal.ts';
import { RedisEndpointStates } from '../../../server/webhooks/redis-endpoint-states.ts';
import { claimFact, FACT_TTL_SECONDS } from '../../../server/webhooks/fact-claim.ts';
import type { Delivery } from '../../../server/webhooks/types.ts';

const T0 = 1_800_000_000_000;
const delivery = (id: string, over: Partial<Delivery> = {}): Delivery => ({ id, webhookId: `evt_${id}`, subscription: 'ops', type: 'config.applied', createdAt: T0, body: '{}', state: 'pending', attempts: [], nextAt: T0, ...over });

describe('webhook queue in Redis', () => {
  let redis: TestRedis;
  const conns: RedisConnection[] = [];
  const connect = async (keyPrefix: string) => {
    const c = new RedisConnection({ url: redis.url, keyPrefix, failMode: 'local', connectTimeoutMs: 500 }, () => {});
    conns.push(c);
    expect(await eventually(() => c.state === 'up', 5000)).toBe(true);
    return c;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of conns) await c.close();
    await redis?.stop();
  });

  it('saves, reads and lists deliveries newest first, per subscription', async () => {
    const s = new RedisDeliveryStore(await connect('t1:'), { claimMs: 1000 });
    await s.save(delivery('a', { createdAt: T0 }), T0);
    await s.save(delivery('b', { createdAt: T0 + 1 }), T0);
    await s.save(delivery('c', { subscription: 'other' }), T0);
    expect(await s.get('b')).toEqual(delivery('b', { createdAt: T0 + 1 }));
    expect(await s.get('nope')).toBeUndefined();
    expect((await s.list('ops')).map((d) => d.id)).toEqual(['b', 'a']);
    expect((await s.pendingOf('other')).map((d) => d.id)).toEqual(['c']);
    await s.save(delivery('a', { state: 'delivered', nextAt: null, attempts: [{ at: T0, status: 200, ms: 3 }] }), T0);
    expect((await s.pendingOf('ops')).map((d) => d.id)).toEqual(['b']);
    expect((await s.list('ops')).find((d) => d.id === 'a')).toMatchObject({ state: 'delivered', attempts: [{ status: 200 }] });
  });

  it('a claim hides a due delivery from the other instance until it runs out; then the other takes it', async () => {
    const leader = new RedisDeliveryStore(await connect('t2:'), { claimMs: 5000 });
    const next = new RedisDeliveryStore(await connect('t2:'), { claimMs: 5000 });
    await leader.save(delivery('due'), T0);
    await leader.save(delivery('later', { nextAt: T0 + 60_000 }), T0);
    expect((await leader.claimDue(T0, 8, new Set())).map((d) => d.id)).toEqual(['due']);
    // The leader "dies" mid-attempt: nothing is due for the next one until the claim runs out.
    expect(await next.claimDue(T0 + 4999, 8, new Set())).toEqual([]);
    const retaken = await next.claimDue(T0 + 5000, 8, new Set());
    expect(retaken.map((d) => d.webhookId)).toEqual(['evt_due']);
    // Recording the attempt sets the real next time; a release gives an unattempted claim back.
    await next.save({ ...retaken[0]!, attempts: [{ at: T0 + 5000, status: 500, ms: 1 }], nextAt: T0 + 10_000 }, T0);
    expect(await next.claimDue(T0 + 9999, 8, new Set())).toEqual([]);
    const again = await next.claimDue(T0 + 10_000, 8, new Set());
    expect(again).toHaveLength(1);
    await next.release(again[0]!);
    expect((await leader.claimDue(T0 + 10_000, 8, new Set())).map((d) => d.id)).toEqual(['due']);
    // Finished: never due again.
    await leader.save({ ...again[0]!, state: 'delivered', nextAt: null }, T0);
    expect(await leader.claimDue(T0 + 10 ** 9, 8, new Set())).toEqual([delivery('later', { nextAt: T0 + 60_000 })]);
  });

  it('claims at most `max`, soonest first, and skips the ids in flight here', async () => {
    const s = new RedisDeliveryStore(await connect('t3:'), { claimMs: 1000 });
    for (let i = 0; i < 5; i++) await s.save(delivery(`d${i}`, { nextAt: T0 + 10 * (5 - i) }), T0);
    expect((await s.claimDue(T0 + 100, 2, new Set())).map((d) => d.id)).toEqual(['d4', 'd3']);
    expect((await s.claimDue(T0 + 100, 8, new Set(['d2']))).map((d) => d.id)).toEqual(['d1', 'd0']);
  });

  it('keeps finished deliveries up to the cap and the age, pending ones whatever their number', async () => {
    const s = new RedisDeliveryStore(await connect('t4:'), { claimMs: 1000, retention: { maxAgeMs: 1000, perSubscription: 3 } });
    for (let i = 0; i < 4; i++) await s.save(delivery(`p${i}`, { createdAt: T0 + i }), T0);
    for (let i = 0; i < 5; i++) await s.save(delivery(`f${i}`, { createdAt: T0 + 10 + i, state: 'failed', nextAt: null }), T0 + 20);
    const ids = (await s.list('ops')).map((d) => d.id);
    expect(ids).toEqual(['f4', 'f3', 'f2', 'p3', 'p2', 'p1', 'p0']);
    expect(await s.get('f0')).toBeUndefined();
    // Past the age: the old finished ones go at the next finish; pending ones stay.
    await s.save(delivery('late', { createdAt: T0 + 5000, state: 'delivered', nextAt: null }), T0 + 5000);
    expect((await s.list('ops')).map((d) => d.id)).toEqual(['late', 'p3', 'p2', 'p1', 'p0']);
  });

  it('endpoint states are shared; seeding never overwrites', async () => {
    const a = new RedisEndpointStates(await connect('t5:'));
    const b = new RedisEndpointStates(await connect('t5:'));
    await a.write('ops', { disabledAt: T0, disabledReason: 'gone' });
    expect(await b.read('ops')).toEqual({ disabledAt: T0, disabledReason: 'gone' });
    await b.seed('ops', { lastSuccessAt: 1 });
    await b.seed('new', { lastSuccessAt: 2 });
    expect(await a.read('ops')).toEqual({ disabledAt: T0, disabledReason: 'gone' });
    expect(await a.read('new')).toEqual({ lastSuccessAt: 2 });
    await a.write('ops', {});
    expect(await b.read('ops')).toEqual({});
  });

  it('a shared fact is claimed once: by the first event, and again only by that same event', async () => {
    const a = await connect('t6:');
    const b = await connect('t6:');
    expect(await claimFact(a, 'config.applied:abc', 'evt_a')).toBe(true);
    expect(await claimFact(b, 'config.applied:abc', 'evt_b')).toBe(false);
    expect(await claimFact(b, 'config.applied:abc', 'evt_a')).toBe(true);
    expect(await claimFact(b, 'config.applied:def', 'evt_b')).toBe(true);
    const ttl = await a.client.ttl('t6:events:fact:config.applied:abc');
    expect(ttl).toBeGreaterThan(FACT_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(FACT_TTL_SECONDS);
  });
});
