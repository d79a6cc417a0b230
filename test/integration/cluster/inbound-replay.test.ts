// A provider webhook accepted by one instance is a replay on the other (Redis shared); while
// Redis is down each instance's own memory still refuses what it saw itself.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { clusterDataDirs } from '../../helpers/cluster-data.ts';
import { eventually } from '../../helpers/sil-process.ts';

const SECRET = 'whsec_Test0123456789abcdef';
const event = (id: string) => JSON.stringify({ id, object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } });
const signed = (payload: string, t = Math.floor(Date.now() / 1000)) => `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${payload}`).digest('hex')}`;

describe('inbound replays across instances', () => {
  const tmp = tempDir('sil-hook-replay-');
  let redis: TestRedis;
  let a: Hub;
  let b: Hub;
  const post = (hub: Hub, payload: string) => fetch(`${hub.url}/hooks/stripe-main`, { method: 'POST', headers: { 'content-type': 'application/json', 'Stripe-Signature': signed(payload) }, body: payload });
  const code = async (res: Response) => (res.status === 200 ? 'ok' : ((await res.json()) as { error: { code: string } }).error.code);

  beforeAll(async () => {
    redis = await startRedis();
    const { dirs } = await clusterDataDirs(tmp.path, 2, {
      'sil.yaml': `version: 1\nenvironments: [dev, prod]\nredis:\n  url: ${redis.url}\n  connectTimeoutMs: 300\n`,
      'providers/stripe-main.yaml': 'id: stripe-main\ntemplate: stripe\nname: Stripe\nenvironment: prod\n',
    }, { 'stripe-main': { secretKey: 'sk_test_abc123', webhookSecret: SECRET } });
    [a, b] = await Promise.all(dirs.map((dataDir) => startHub({ dataDir, host: '127.0.0.1', port: 0, log: () => {}, consoleDir: null })));
    expect(await eventually(() => a.cluster.status().redis === 'up' && b.cluster.status().redis === 'up', 5000)).toBe(true);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
    tmp.cleanup();
  });

  it('accepts an event once across both instances, freshly signed or not', async () => {
    const body = event('evt_cluster_1');
    expect(await code(await post(a, body))).toBe('ok');
    expect(await code(await post(b, body))).toBe('SIL_HOOK_REPLAY');
    expect(await code(await post(a, body))).toBe('SIL_HOOK_REPLAY');
    // Concurrent copies of a new event on both: exactly one is accepted.
    const twin = event('evt_cluster_2');
    const verdicts = await Promise.all([post(a, twin), post(b, twin), post(a, twin), post(b, twin)].map(async (r) => code(await r)));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'SIL_HOOK_REPLAY')).toHaveLength(3);
  });

  it('with Redis down each instance still refuses its own replays, and accepts new events', async () => {
    await redis.kill();
    expect(await eventually(() => a.cluster.status().redis === 'down', 5000)).toBe(true);
    const body = event('evt_cluster_3');
    expect(await code(await post(a, body))).toBe('ok');
    expect(await code(await post(a, body))).toBe('SIL_HOOK_REPLAY');
    await redis.restart();
  });
});
