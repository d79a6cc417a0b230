// The counter store contract, run against the in-memory store and the Redis store (a real
// redis-server on a free loopback port): the same answers for the same calls, op for op; then
// Redis under concurrency (several connections, as several hubs: a limit is never overshot), and
// the time one checkAndAdd costs on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { MemoryCounterStore } from '../../../server/limits/memory-counter-store.ts';
import { RedisCounterStore } from '../../../server/limits/redis-counter-store.ts';
import type { CheckResult, CounterOp } from '../../../server/limits/counter-store.ts';

interface AnyStore {
  checkAndAdd(ops: readonly CounterOp[], now: number): CheckResult | Promise<CheckResult>;
  add(key: string, amount: number, expiresAt: number, now: number): number | Promise<number>;
  entries(now: number): Iterable<{ key: string; value: number }>;
}

let redis: TestRedis;
const clients: Redis[] = [];
let prefixes = 0;

async function redisClient(): Promise<Redis> {
  const c = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await c.connect();
  clients.push(c);
  return c;
}

/** A Redis store under a prefix of its own (a fresh keyspace per test); `client` shares one with another store (two hubs). */
async function redisStore(prefix = `t${++prefixes}:`, client?: Redis): Promise<RedisCounterStore> {
  const c = client ?? (await redisClient());
  return new RedisCounterStore({ client: c, key: (name) => prefix + name });
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
});

const HOUR = 3_600_000;
const bucket = (key: string, capacity: number, perMs = 0.001, amount = 1): CounterOp => ({ type: 'bucket', key, amount, capacity, refillPerMs: perMs });
const win = (key: string, amount: number, max: number, expiresAt: number): CounterOp => ({ type: 'window', key, amount, max, expiresAt });

const stores: [string, () => Promise<AnyStore>][] = [
  ['memory', async () => new MemoryCounterStore()],
  ['redis', () => redisStore()],
];

describe.each(stores)('counter store contract: %s', (_name, make) => {
  it('adds every op or none', async () => {
    const s = await make();
    const t = Date.now();
    const end = t + HOUR;
    expect(await s.checkAndAdd([bucket('r', 2), win('q', 1, 1, end)], t)).toEqual({ refused: -1, used: [1, 1] });
    // The quota is used up: the bucket is not charged either.
    expect(await s.checkAndAdd([bucket('r', 2), win('q', 1, 1, end)], t)).toMatchObject({ refused: 1, used: [1, 1] });
    expect(await s.checkAndAdd([bucket('r', 2)], t)).toEqual({ refused: -1, used: [2] });
    const refused = await s.checkAndAdd([bucket('r', 2), win('q2', 1, 5, end)], t);
    expect(refused.refused).toBe(0);
    expect(refused.used[0]).toBe(2);
    expect(refused.used[1]).toBeUndefined();
  });

  it('drains buckets at their rate', async () => {
    const s = await make();
    const t = Date.now();
    await s.checkAndAdd([bucket('r', 1)], t);
    expect((await s.checkAndAdd([bucket('r', 1)], t + 500)).refused).toBe(0);
    const later = await s.checkAndAdd([bucket('r', 1)], t + 1_000);
    expect(later.refused).toBe(-1);
    expect(later.used[0]).toBeCloseTo(1, 9);
    // A clock behind the bucket's instant (another hub's) drains nothing.
    expect((await s.checkAndAdd([bucket('r', 1)], t + 900)).refused).toBe(0);
  });

  it('ends a window at its end', async () => {
    const s = await make();
    const t = Date.now();
    await s.checkAndAdd([win('w', 5, 5, t + 150)], t);
    expect((await s.checkAndAdd([win('w', 1, 5, t + 150)], t)).refused).toBe(0);
    await new Promise((r) => setTimeout(r, 250));
    const now = Date.now();
    expect(await s.checkAndAdd([win('w', 1, 5, now + HOUR)], now)).toEqual({ refused: -1, used: [1] });
  });

  it('checks a zero amount as "below the limit" (a budget), with fractional amounts', async () => {
    const s = await make();
    const t = Date.now();
    const end = t + HOUR;
    expect((await s.checkAndAdd([win('b', 0, 1, end)], t)).refused).toBe(-1);
    expect(await s.add('b', 0.6, end, t)).toBeCloseTo(0.6, 12);
    expect((await s.checkAndAdd([win('b', 0, 1, end)], t)).refused).toBe(-1);
    expect(await s.add('b', 0.4, end, t)).toBeCloseTo(1, 12);
    const r = await s.checkAndAdd([win('b', 0, 1, end)], t);
    expect(r.refused).toBe(0);
    expect(r.used[0]).toBeCloseTo(1, 12);
  });

  it('settles without a limit, never below zero, and not into an ended window', async () => {
    const s = await make();
    const t = Date.now();
    const end = t + HOUR;
    await s.checkAndAdd([win('t', 100, 150, end)], t);
    expect(await s.add('t', -70, end, t + 1)).toBe(30);
    expect(await s.add('t', 200, end, t + 1)).toBe(230);
    expect(await s.add('t', -1_000, end, t + 1)).toBe(0);
    expect(await s.add('none', -5, end, t + 1)).toBe(0);
    expect(await s.add('old', 5, t - 10, t)).toBe(0);
    const keys = [...s.entries(t + 1)].map((e) => e.key);
    expect(keys).toContain('t');
    expect(keys).not.toContain('old');
    expect(keys).not.toContain('none');
  });

  it('lists what it counted in entries()', async () => {
    const s = await make();
    const t = Date.now();
    await s.checkAndAdd([bucket('rate|p|client|client:web', 5), win('quota.requests|p|client|client:web|0', 3, 10, t + HOUR)], t);
    const e = new Map([...s.entries(t)].map((x) => [x.key, x.value]));
    expect(e.get('rate|p|client|client:web')).toBe(1);
    expect(e.get('quota.requests|p|client|client:web|0')).toBe(3);
  });
});

describe('the Redis store against the in-memory store', () => {
  it('gives the same answers to the same 600 random calls', async () => {
    const mem = new MemoryCounterStore();
    const red = await redisStore();
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const t0 = Date.now();
    const end = t0 + HOUR;
    let now = t0;
    const seen = { admitted: 0, refused: 0 };
    for (let i = 0; i < 600; i++) {
      now += Math.floor(rand() * 400);
      if (rand() < 0.25) {
        const key = rand() < 0.5 ? `w${Math.floor(rand() * 3)}` : `c${Math.floor(rand() * 2)}`;
        const amount = Math.round((rand() * 4 - 1.5) * 1000) / 1000;
        expect(await red.add(key, amount, end, now)).toBeCloseTo(mem.add(key, amount, end, now), 9);
        continue;
      }
      const ops: CounterOp[] = [];
      if (rand() < 0.7) ops.push(bucket(`b${Math.floor(rand() * 2)}`, 5, 0.002));
      if (rand() < 0.6) ops.push(win(`w${Math.floor(rand() * 3)}`, rand() < 0.2 ? 0 : Math.floor(rand() * 3), 12, end));
      if (rand() < 0.3) ops.push(win(`c${Math.floor(rand() * 2)}`, 0, 2.5, end));
      if (ops.length === 0) continue;
      const a = mem.checkAndAdd(ops, now);
      const b = await red.checkAndAdd(ops, now);
      expect(b.refused, `call ${i}`).toBe(a.refused);
      if (a.refused < 0) seen.admitted++;
      else seen.refused++;
      expect(b.used.length).toBe(a.used.length);
      for (let j = 0; j < ops.length; j++) {
        if (a.used[j] === undefined) expect(b.used[j]).toBeUndefined();
        else expect(b.used[j]).toBeCloseTo(a.used[j], 9);
      }
    }
    // Both answers were exercised.
    expect(seen.admitted).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(50);
  });
});

describe('the Redis store under concurrency', () => {
  it('never overshoots: 1,000 concurrent checkAndAdd through 4 connections admit exactly the limit', async () => {
    const prefix = `conc${++prefixes}:`;
    const hubs = await Promise.all([0, 1, 2, 3].map(async () => redisStore(prefix, await redisClient())));
    const t = Date.now();
    const ops = [bucket('rate', 100, 100 / 60_000), win('quota', 1, 150, t + HOUR)];
    const results = await Promise.all(Array.from({ length: 1_000 }, (_, i) => hubs[i % 4].checkAndAdd(ops, t)));
    expect(results.filter((r) => r.refused === -1)).toHaveLength(100);
    // Every refusal was the bucket's, and refused requests were not counted by the quota.
    expect(results.filter((r) => r.refused === 0)).toHaveLength(900);
    expect(await hubs[0].add('quota', 0, t + HOUR, t)).toBe(100);
    // Costs added at once from every connection sum exactly (to the cent).
    const budget = await Promise.all(Array.from({ length: 400 }, (_, i) => hubs[i % 4].add('budget', 0.01, t + HOUR, t)));
    expect(Math.max(...budget)).toBeCloseTo(4, 9);
    expect(await hubs[1].add('budget', 0, t + HOUR, t)).toBeCloseTo(4, 9);
  });

  it('measures one checkAndAdd on loopback (2,000 calls, one after another)', async () => {
    const red = await redisStore();
    const mem = new MemoryCounterStore();
    const t = Date.now();
    const ops = (i: number) => [bucket(`rate${i % 10}`, 1e9, 1), win(`quota${i % 10}`, 1, 1e9, t + HOUR)];
    for (let i = 0; i < 200; i++) await red.checkAndAdd(ops(i), t); // warm-up (EVALSHA cached, JIT)
    let started = process.hrtime.bigint();
    for (let i = 0; i < 2_000; i++) await red.checkAndAdd(ops(i), t + i);
    const redisUs = Number(process.hrtime.bigint() - started) / 1_000 / 2_000;
    started = process.hrtime.bigint();
    for (let i = 0; i < 2_000; i++) mem.checkAndAdd(ops(i), t + i);
    const memoryUs = Number(process.hrtime.bigint() - started) / 1_000 / 2_000;
    started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 2_000 }, (_, i) => red.checkAndAdd(ops(i), t + i)));
    const concurrentUs = Number(process.hrtime.bigint() - started) / 1_000 / 2_000;
    console.log(`[redis-store] checkAndAdd (rate + quota), 2,000 calls on loopback: Redis ${redisUs.toFixed(1)} µs each one after another, ${concurrentUs.toFixed(1)} µs each with all in flight; in memory ${memoryUs.toFixed(2)} µs`);
    expect(redisUs).toBeGreaterThan(memoryUs);
    expect(redisUs).toBeLessThan(5_000);
  });
});
