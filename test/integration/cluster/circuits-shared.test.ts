// Circuit breakers shared through a real redis-server (server/cluster/shared-circuits.ts), two
// instances as two registries on two connections: an open circuit reaches the peer within
// milliseconds, one instance only probes, the probe's close (or re-open) reaches the peer, a
// newcomer reads the open circuits, and without Redis each instance decides alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { CircuitRegistry } from '../../../server/core/circuit-registry.ts';
import { SharedCircuits } from '../../../server/cluster/shared-circuits.ts';
import { randomPrefix, stubCluster, timeUntil, watchRejections, type StubCluster } from './shared-stubs.ts';

const cfg = { errorRate: 0.5, minRequests: 4, windowSeconds: 10, cooldownSeconds: 1 };

interface Instance { cluster: StubCluster; shared: SharedCircuits; registry: CircuitRegistry }

async function instance(id: string, url: string, prefix: string): Promise<Instance> {
  const cluster = await stubCluster(id, url, prefix);
  const shared = new SharedCircuits({ cluster, log: () => {} });
  const registry = new CircuitRegistry(Date.now, { peers: shared });
  shared.follow(registry);
  return { cluster, shared, registry };
}

/** Until `n` connections listen on the prefix's channel. */
async function subscribed(i: Instance, n: number): Promise<void> {
  const channel = i.cluster.conn.key('circuits:events');
  const took = await timeUntil(async () => ((await i.cluster.conn.client.pubsub('NUMSUB', channel)) as [string, number])[1] >= n, 5000, 10);
  if (took === null) throw new Error('the subscribers did not listen');
}

function trip(i: Instance, key: string): void {
  const b = i.registry.get(key, cfg);
  for (let n = 0; n < 4; n++) {
    if (b.allow()) b.record(false);
  }
  expect(b.state()).toBe('open');
}

describe('circuits shared through Redis', () => {
  let redis: TestRedis;
  const instances: Instance[] = [];
  const rejections = watchRejections();
  const make = async (id: string, prefix: string) => {
    const i = await instance(id, redis.url, prefix);
    instances.push(i);
    return i;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const i of instances) {
      i.shared.close();
      await i.cluster.close();
    }
    await redis.stop();
  });

  it('an open circuit reaches the peer at once, until the same instant; one probe closes it on both', async () => {
    const prefix = randomPrefix();
    const a = await make('a', prefix);
    const b = await make('b', prefix);
    await subscribed(a, 2);
    const key = 'bad/chat/k1';
    b.registry.get(key, cfg); // B has sent to it before
    trip(a, key);
    const took = await timeUntil(() => !b.registry.wouldAllow(key), 2000);
    console.log(`circuit open on A → refused on B after ${took?.toFixed(1)} ms`);
    expect(took).not.toBeNull();
    expect(took!).toBeLessThan(100);
    expect(b.registry.peek(key)!.openUntil).toBe(a.registry.peek(key)!.openUntil);
    expect(await a.cluster.conn.client.hget(`${prefix}circuits`, key)).toBe(`${a.registry.peek(key)!.openUntil}:a`);

    // The cooldown passes: both are asked to send; exactly one request goes through as the probe.
    const openUntil = a.registry.peek(key)!.openUntil;
    await new Promise((r) => setTimeout(r, openUntil - Date.now() + 5));
    // Asked again and again (at most 2 s, and 50 rounds past the first probe): one probe in all.
    const probes: string[] = [];
    for (let n = 0, after = 0; n < 1000 && after < 50; n++, after += probes.length > 0 ? 1 : 0) {
      for (const [name, i] of [['a', a], ['b', b]] as const) if (i.registry.get(key, cfg).allow()) probes.push(name);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(probes).toHaveLength(1);
    const winner = probes[0] === 'a' ? a : b;
    const other = winner === a ? b : a;
    winner.registry.get(key, cfg).record(true);
    expect(winner.registry.wouldAllow(key)).toBe(true);
    const closed = await timeUntil(() => other.registry.peek(key)!.state() === 'closed', 2000);
    console.log(`probe closed it on ${probes[0]} → closed on the peer after ${closed?.toFixed(1)} ms`);
    expect(closed).not.toBeNull();
    expect(closed!).toBeLessThan(100);
    expect(await a.cluster.conn.client.hexists(`${prefix}circuits`, key)).toBe(0);
  });

  it('a failed probe opens it again on both, for the new period', async () => {
    const prefix = randomPrefix();
    const a = await make('a', prefix);
    const b = await make('b', prefix);
    await subscribed(a, 2);
    const key = 'flaky/chat/-';
    trip(a, key);
    expect(await timeUntil(() => !b.registry.wouldAllow(key), 2000)).not.toBeNull();
    await new Promise((r) => setTimeout(r, a.registry.peek(key)!.openUntil - Date.now() + 5));
    let prober: Instance | null = null;
    for (let n = 0; n < 1000 && !prober; n++) {
      for (const i of [b, a]) if (!prober && i.registry.get(key, cfg).allow()) prober = i;
      if (!prober) await new Promise((r) => setTimeout(r, 2));
    }
    expect(prober).not.toBeNull();
    const before = prober!.registry.peek(key)!.openUntil;
    prober!.registry.get(key, cfg).record(false);
    const reopened = prober!.registry.peek(key)!.openUntil;
    expect(reopened).toBeGreaterThan(before);
    const peer = prober === a ? b : a;
    expect(await timeUntil(() => peer.registry.peek(key)!.openUntil === reopened, 2000)).not.toBeNull();
    expect(peer.registry.wouldAllow(key)).toBe(false);
  });

  it('an instance that connects later reads the open circuits', async () => {
    const prefix = randomPrefix();
    const a = await make('a', prefix);
    await subscribed(a, 1);
    trip(a, 'x/s/-');
    expect(await timeUntil(async () => (await a.cluster.conn.client.hexists(`${prefix}circuits`, 'x/s/-')) === 1, 2000)).not.toBeNull();
    const c = await make('c', prefix);
    expect(await timeUntil(() => !c.registry.wouldAllow('x/s/-'), 3000)).not.toBeNull();
    expect(c.registry.peek('x/s/-')!.openUntil).toBe(a.registry.peek('x/s/-')!.openUntil);
  });

  it('without Redis each instance decides alone; once Redis is back, the circuits open here are written back and adopted', async () => {
    const prefix = randomPrefix();
    const a = await make('a', prefix);
    const b = await make('b', prefix);
    await subscribed(a, 2);
    await redis.kill();
    expect(await timeUntil(() => a.cluster.conn.state !== 'up' && b.cluster.conn.state !== 'up', 3000, 10)).not.toBeNull();
    trip(a, 'down/s/-');
    expect(b.registry.wouldAllow('down/s/-')).toBe(true);
    // B's own breaker works as on a single instance: trips, and probes by itself after the cooldown.
    trip(b, 'own/s/-');
    await new Promise((r) => setTimeout(r, b.registry.peek('own/s/-')!.openUntil - Date.now() + 5));
    expect(b.registry.get('own/s/-', cfg).allow()).toBe(true);
    b.registry.get('own/s/-', cfg).record(true);
    expect(b.registry.peek('own/s/-')!.state()).toBe('closed');

    await redis.restart(); // empty: what was open is written back by the instance it is open on
    // (Its cooldown may have passed meanwhile: B then holds it half-open, waiting for a probe.)
    const openUntil = a.registry.peek('down/s/-')!.openUntil;
    expect(await timeUntil(() => b.registry.peek('down/s/-')?.openUntil === openUntil, 8000, 10)).not.toBeNull();
    expect(b.registry.peek('down/s/-')!.state()).not.toBe('closed');
  });

  it('left no unhandled rejection', () => {
    expect(rejections.stop()).toEqual([]);
  });
});
