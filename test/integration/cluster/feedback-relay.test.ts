// POST /v1/feedback sent to the other instance than the one that answered: with Redis the score
// reaches the answering instance (once, only from the client that made the request); without
// a peer that knows the id the caller gets SIL_FEEDBACK_UNKNOWN_REQUEST as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { clusterDataDirs } from '../../helpers/cluster-data.ts';
import { eventually } from '../../helpers/sil-process.ts';

describe('feedback across instances', () => {
  const tmp = tempDir('sil-feedback-relay-');
  let redis: TestRedis;
  let upstream: MockUpstream;
  let a: Hub;
  let b: Hub;
  let token = '';
  const chat = async (hub: Hub) => {
    const res = await fetch(`${hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
    await res.text();
    expect(res.status).toBe(200);
    return res.headers.get('x-sil-request-id')!;
  };
  const feedback = async (hub: Hub, requestId: string, score: number) => {
    const res = await fetch(`${hub.url}/v1/feedback`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ request_id: requestId, score }) });
    const body = (await res.json()) as { counted?: boolean; error?: { code: string } };
    return res.status === 200 ? `counted:${body.counted}` : body.error!.code;
  };
  const scores = async (hub: Hub) => (await hub.usageStore!.rows('minute', Date.now() - 600_000, Date.now() + 120_000)).reduce((n, r) => n + r.scoreCount, 0);

  beforeAll(async () => {
    redis = await startRedis();
    upstream = await startMockUpstream(() => ({ status: 200, body: chatCompletion('gpt-4o-mini', 'ok') }));
    let dirs: string[];
    ({ dirs, token } = await clusterDataDirs(tmp.path, 2, {
      'sil.yaml': `version: 1\nenvironments: [dev, prod]\nredis:\n  url: ${redis.url}\n`,
      'providers/oa.yaml': `id: oa\ntemplate: openai\nname: oa\nenvironment: prod\nconnection:\n  baseUrl: ${upstream.url}/v1\n`,
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: oa, model: gpt-4o-mini }\n',
    }, { oa: { apiKey: `sk-proj-${'a'.repeat(40)}` } }));
    [a, b] = await Promise.all(dirs.map((dataDir) => startHub({ dataDir, host: '127.0.0.1', port: 0, log: () => {}, consoleDir: null, usageFlushMs: 200 })));
    expect(await eventually(() => a.cluster.status().redis === 'up' && b.cluster.status().redis === 'up', 5000)).toBe(true);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await upstream?.close();
    await redis?.stop();
    tmp.cleanup();
  });

  it('a score sent to the other instance counts once, on the instance that answered', async () => {
    const id = await chat(a);
    // The subscriber connection may still be coming up right after start: ask until a peer answers.
    let first = '';
    expect(await eventually(async () => (first = await feedback(b, id, 0.8)) === 'counted:true', 3000)).toBe(true);
    expect(await feedback(b, id, 0.2)).toBe('counted:false');
    expect(await feedback(a, id, 0.2)).toBe('counted:false');
    expect(await feedback(b, 'no-such-request', 1)).toBe('SIL_FEEDBACK_UNKNOWN_REQUEST');
    // Counted once, and (through the shared usage stream) seen by both instances' analytics.
    expect(await eventually(async () => (await scores(a)) === 1 && (await scores(b)) === 1, 5000)).toBe(true);
  });

  it('without Redis the other instance does not know the request', async () => {
    const id = await chat(a);
    await redis.kill();
    expect(await eventually(() => b.cluster.status().redis === 'down', 5000)).toBe(true);
    expect(await feedback(b, id, 1)).toBe('SIL_FEEDBACK_UNKNOWN_REQUEST');
    expect(await feedback(a, id, 1)).toBe('counted:true');
    await redis.restart();
  });
});
