// Usage counted by two instances sharing one Redis: each instance's store (and so its analytics)
// holds the traffic of both, exactly once; while Redis is down each counts its own, and nothing
// is lost or doubled when it comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { eventually } from '../../helpers/sil-process.ts';
import { usageDataDir } from '../usage/usage-config.ts';

describe('usage shared through the Redis stream', () => {
  // One window for the whole file, from before its first request: minute buckets start on the
  // minute, so a window begun mid-file would drop the earlier minute's requests from one count.
  const SINCE = Date.now() - 600_000;
  const tmp = tempDir('sil-usage-stream-');
  let redis: TestRedis;
  let good: MockUpstream;
  let a: Hub;
  let b: Hub;
  let token = '';
  const start = (dataDir: string) => startHub({ dataDir, host: '127.0.0.1', port: 0, log: () => {}, consoleDir: null, usageFlushMs: 200, cluster: { leaseMs: 1000 } });
  const chat = async (hub: Hub) => {
    const res = await fetch(`${hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
    await res.text();
    return res.status;
  };
  const requests = async (hub: Hub, from: number) => (await hub.usageStore!.rows('minute', from, Date.now() + 120_000, { binding: 'chat' })).reduce((n, r) => n + r.requests, 0);

  beforeAll(async () => {
    redis = await startRedis();
    good = await startMockUpstream(() => ({ status: 200, body: chatCompletion('gpt-4o-mini', 'ok') }));
    let data: string;
    ({ data, token } = await usageDataDir(tmp.path, good.url, good.url, 'UTC', `redis:\n  url: ${redis.url}\n  connectTimeoutMs: 300\n`));
    cpSync(data, join(tmp.path, 'data-b'), { recursive: true });
    a = await start(data);
    b = await start(join(tmp.path, 'data-b'));
    expect(await eventually(() => a.cluster.status().redis === 'up' && b.cluster.status().redis === 'up', 5000)).toBe(true);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await good?.close();
    await redis?.stop();
    tmp.cleanup();
  });

  it('every instance counts the traffic of both, once', async () => {
    const from = SINCE;
    for (let i = 0; i < 7; i++) expect(await chat(a)).toBe(200);
    for (let i = 0; i < 5; i++) expect(await chat(b)).toBe(200);
    expect(await eventually(async () => (await requests(a, from)) === 12 && (await requests(b, from)) === 12, 5000)).toBe(true);
    // Further flushes add nothing twice.
    await a.usageStore!.flush();
    await b.usageStore!.flush();
    await new Promise((r) => setTimeout(r, 500));
    expect(await requests(a, from)).toBe(12);
    expect(await requests(b, from)).toBe(12);
  });

  it('while Redis is down each instance counts its own; afterwards the shared counts go on', async () => {
    const from = SINCE;
    const before = await requests(a, from);
    await redis.kill();
    expect(await eventually(() => a.cluster.status().redis === 'down' && b.cluster.status().redis === 'down', 5000)).toBe(true);
    for (let i = 0; i < 3; i++) expect(await chat(a)).toBe(200);
    await a.usageStore!.flush();
    expect(await requests(a, from)).toBe(before + 3);
    await redis.restart();
    expect(await eventually(() => a.cluster.status().redis === 'up' && b.cluster.status().redis === 'up', 8000)).toBe(true);
    const beforeB = await requests(b, from);
    for (let i = 0; i < 4; i++) expect(await chat(b)).toBe(200);
    expect(await eventually(async () => (await requests(a, from)) === before + 7 && (await requests(b, from)) === beforeB + 4, 5000)).toBe(true);
  });

  it('an instance restarted catches up from its cursor: the counts of its downtime, nothing twice', async () => {
    const from = SINCE;
    // (a also holds the 3 requests it counted alone while Redis was down.)
    expect(await eventually(async () => (await requests(a, from)) === (await requests(b, from)) + 3, 5000)).toBe(true);
    const before = await requests(b, from);
    await b.close();
    for (let i = 0; i < 6; i++) expect(await chat(a)).toBe(200);
    b = await start(join(tmp.path, 'data-b'));
    expect(await eventually(async () => (await requests(b, from)) === before + 6, 8000)).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(await requests(b, from)).toBe(before + 6);
    expect(await requests(a, from)).toBe(before + 6 + 3);
  });
});
