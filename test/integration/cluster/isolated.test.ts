// `sil start --isolated` (SIL_ISOLATED=1), the restore drill's hub: with sil.yaml naming a real
// Redis and a real remote, it opens no connection to the Redis, never fetches or pushes, refuses
// the sync trigger, and still serves the proxy. The same data directory started normally does
// join both (so the test would notice a hub that ignores them anyway).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { hubOptions, startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { clusterDataDirs } from '../../helpers/cluster-data.ts';
import { eventually } from '../../helpers/sil-process.ts';

describe('an isolated hub', () => {
  const tmp = tempDir('sil-isolated-');
  let redis: TestRedis;
  let probe: Redis;
  let upstream: MockUpstream;
  let dirs: string[] = [];
  let token = '';
  let remote = '';
  const hubs: Hub[] = [];
  const clients = async () => (await probe.client('LIST') as string).split('\n').filter((l) => l.includes('name=sil')).length;
  const remoteHead = () => { try { return execFileSync('git', ['--git-dir', remote, 'rev-parse', '--verify', '-q', 'refs/heads/main'], { encoding: 'utf8' }).trim(); } catch { return ''; } };

  beforeAll(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url);
    upstream = await startMockUpstream(() => ({ status: 200, body: chatCompletion('gpt-4o-mini', 'ok') }));
    remote = join(tmp.path, 'remote.git');
    mkdirSync(remote);
    execFileSync('git', ['init', '-q', '--bare', remote]);
    ({ dirs, token } = await clusterDataDirs(tmp.path, 2, {
      'sil.yaml': `version: 1\nenvironments: [dev, prod]\nredis:\n  url: ${redis.url}\nremote:\n  url: ${remote}\n  pullIntervalSeconds: 1\n`,
      'providers/oa.yaml': `id: oa\ntemplate: openai\nname: oa\nenvironment: prod\nconnection:\n  baseUrl: ${upstream.url}/v1\n`,
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: oa, model: gpt-4o-mini }\n',
    }, { oa: { apiKey: `sk-proj-${'a'.repeat(40)}` } }));
  });
  afterAll(async () => {
    for (const h of hubs) await h.close();
    probe?.disconnect();
    await upstream?.close();
    await redis?.stop();
    tmp.cleanup();
  });

  it('SIL_ISOLATED=1 and --isolated select it', () => {
    expect(hubOptions({}, { SIL_ISOLATED: '1' }).isolated).toBe(true);
    expect(hubOptions({ isolated: true }, {}).isolated).toBe(true);
    expect(hubOptions({}, {}).isolated).toBeUndefined();
  });

  it('joins no Redis, follows no remote, and serves the proxy', async () => {
    const hub = await startHub({ dataDir: dirs[0], host: '127.0.0.1', port: 0, log: () => {}, consoleDir: null, isolated: true });
    hubs.push(hub);
    const health = (await (await fetch(`${hub.url}/healthz`)).json()) as { cluster: { isolated?: boolean; redis: string; leader: boolean } };
    expect(health.cluster).toMatchObject({ isolated: true, redis: 'off', leader: true });
    const res = await fetch(`${hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(res.status).toBe(200);
    await res.text();
    const trigger = await fetch(`${hub.url}/sync/trigger`, { method: 'POST', body: '{}' });
    expect(trigger.status).toBe(404);
    await trigger.text();
    // Over three pull intervals: no connection to Redis, nothing pushed to the (empty) remote.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await clients()).toBe(0);
    expect(await probe.dbsize()).toBe(0);
    expect(remoteHead()).toBe('');
  });

  it('the same deployment started normally joins both', async () => {
    const hub = await startHub({ dataDir: dirs[1], host: '127.0.0.1', port: 0, log: () => {}, consoleDir: null });
    hubs.push(hub);
    expect(await eventually(async () => (await clients()) > 0 && remoteHead() !== '', 8000)).toBe(true);
  });
});
