// The leader lease on a real redis-server: one leader among two, takeover when the leader stops
// or dies, nobody leads while Redis is down, and without Redis the instance leads alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { RedisConnection } from '../../../server/cluster/redis-connection.ts';
import { Leadership } from '../../../server/cluster/leadership.ts';
import { eventually } from '../../helpers/sil-process.ts';

const settings = (url: string) => ({ url, keyPrefix: `t${Math.random().toString(36).slice(2, 8)}:`, failMode: 'local' as const, connectTimeoutMs: 500 });

describe('leader lease', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('without Redis the instance leads alone', async () => {
    const l = new Leadership({ instanceId: 'a', connection: () => null, log: () => {} });
    await l.tick();
    expect(l.isLeader()).toBe(true);
    await l.stop();
  });

  it('elects one of two, hands over on stop, and on a lapsed lease when the leader dies', async () => {
    const s = settings(redis.url);
    const ca = new RedisConnection(s, () => {});
    const cb = new RedisConnection(s, () => {});
    expect(await eventually(() => ca.state === 'up' && cb.state === 'up', 5000)).toBe(true);
    const a = new Leadership({ instanceId: 'a', connection: () => ca, leaseMs: 600, renewMs: 150, log: () => {} });
    const b = new Leadership({ instanceId: 'b', connection: () => cb, leaseMs: 600, renewMs: 150, log: () => {} });
    const changes: string[] = [];
    a.onChange((x) => changes.push(`a:${x}`));
    b.onChange((x) => changes.push(`b:${x}`));
    await a.tick();
    await b.tick();
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    expect(b.leaderId()).toBe('a');
    // A graceful stop gives the lease up: b takes it at its next try.
    await a.stop();
    await b.tick();
    expect(b.isLeader()).toBe(true);
    // b "dies" (stops renewing without resigning): a new instance c takes over once the lease lapses.
    const cc = new RedisConnection(s, () => {});
    expect(await eventually(() => cc.state === 'up', 5000)).toBe(true);
    const c = new Leadership({ instanceId: 'c', connection: () => cc, leaseMs: 600, renewMs: 150, log: () => {} });
    await c.tick();
    expect(c.isLeader()).toBe(false);
    const started = Date.now();
    expect(await eventually(async () => (await c.tick(), c.isLeader()), 3000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(changes).toEqual(['a:true', 'a:false', 'b:true']);
    await c.stop();
    await Promise.all([ca.close(), cb.close(), cc.close()]);
  });

  it('a leader that cannot reach Redis steps down before its lease could lapse', async () => {
    const s = settings(redis.url);
    const conn = new RedisConnection(s, () => {});
    expect(await eventually(() => conn.state === 'up', 5000)).toBe(true);
    const l = new Leadership({ instanceId: 'x', connection: () => conn, leaseMs: 600, renewMs: 150, log: () => {} });
    l.start();
    expect(await eventually(() => l.isLeader(), 2000)).toBe(true);
    await redis.kill();
    const lost = Date.now();
    expect(await eventually(() => !l.isLeader(), 3000)).toBe(true);
    // Stepped down no later than the lease (600 ms) after the last renewal, plus one renew interval of slack.
    expect(Date.now() - lost).toBeLessThan(1500);
    await redis.restart();
    expect(await eventually(() => l.isLeader(), 8000)).toBe(true);
    await l.stop();
    await conn.close();
  });
});
