// Key maintenance on two hubs sharing a real redis-server: the timer (every 200 ms here) rotates
// keys on the leader only; runNow() (what the API and CLI call) still works on the other
// instance; when the leader stops, the other takes the lease and runs a pass at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { loadHubIdentity } from '../../../server/vault/identity.ts';
import { changeKeys } from '../../../server/vault/key-ops.ts';
import { addKey } from '../../../server/vault/keyring.ts';
import { startHub, type Hub } from '../../../server/main.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { mockProviderFile } from '../../helpers/mock-key-provider-config.ts';
import { gitRun } from '../../helpers/git.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { waitFor } from '../webhooks/redis-hubs.ts';

const DAY = 86_400_000;
const LEASE = 600;
const author = { name: 'Owner', email: 'owner@example.test' };
const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('key maintenance runs on the leader', () => {
  const tmp = tempDir('sil-leader-keys-');
  let redis: TestRedis;
  const dirs = [join(tmp.path, 'data-0'), join(tmp.path, 'data-1')];
  const logs: Record<string, string[]> = { A: [], B: [] };
  const hubs: Record<string, Hub> = {};
  const keyLines = (name: string) => logs[name]!.filter((l) => l.startsWith('keys: '));
  const head = (i: number) => gitRun(join(dirs[i]!, 'config.git'), ['rev-parse', 'main']);

  const start = async (i: number, name: string) => {
    hubs[name] = await startHub({ dataDir: dirs[i]!, host: '127.0.0.1', port: 0, pollMs: 50, consoleDir: null, usageStore: false, keyMaintenanceMs: 200, log: (l) => logs[name]!.push(l), cluster: { leaseMs: LEASE, instanceId: name } });
    return hubs[name]!;
  };

  beforeAll(async () => {
    redis = await startRedis();
    const { paths } = await initDataDir(dirs[0]!);
    const catalog = projectCatalog().catalog;
    const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
    await writer.commit({
      base: null,
      author,
      message: 'providers and redis',
      changes: {
        'sil.yaml': `version: 1\nenvironments: [prod]\nredis:\n  url: ${redis.url}\n  keyPrefix: "lk${Math.random().toString(36).slice(2, 8)}:"\n  connectTimeoutMs: 300\n`,
        // Nothing listens there: probes are off in the tests, and no recipe calls it.
        'providers/staged.yaml': mockProviderFile('staged', 'http://127.0.0.1:9/v1', false),
        'providers/manual.yaml': mockProviderFile('manual', 'http://127.0.0.1:9/v1', false),
      },
    });
    // Keys made 100 days ago: past the 90-day rotation period.
    const past = new Date(Date.now() - 100 * DAY);
    const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author, now: () => past };
    await changeKeys(vault, 'staged', (k, kc) => addKey(k, kc, { secret: { apiKey: 'old-secret-of-staged' } }));
    await changeKeys(vault, 'staged', (k, kc) => addKey(k, kc, { id: 'next', staged: true, secret: { apiKey: 'next-secret-of-staged' } }));
    await changeKeys(vault, 'manual', (k, kc) => addKey(k, kc, { secret: { apiKey: 'secret-of-manual' } }));
    cpSync(dirs[0]!, dirs[1]!, { recursive: true });
    await start(0, 'A');
    await waitFor('A leads', () => hubs.A!.cluster.leader.isLeader() || undefined, 5000);
    await start(1, 'B');
    await waitFor('B on Redis', () => (hubs.B!.cluster.status().redis === 'up' ? true : undefined), 5000);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(Object.values(hubs).map((h) => h.close()));
    await redis?.stop();
    tmp.cleanup();
  });

  it('the leader rotates on its timer; the other instance\'s timer does nothing', async () => {
    await waitFor('A promotes the staged key', () => keyLines('A').find((l) => /keys: [0-9a-f]{7} keys: promote staged\/next/.test(l)), 5000);
    expect(keyLines('A')).toContainEqual(expect.stringMatching(/^keys: rotation of manual\/primary is overdue/));
    const before = head(1);
    await quiet(1000); // five of B's timer intervals
    expect(keyLines('B')).toEqual([]);
    expect(head(1)).toBe(before);
  });

  it('runNow() works on the instance that does not lead', async () => {
    const before = head(1);
    const lines = await hubs.B!.keyMaintenance.runNow();
    expect(lines).toContainEqual(expect.stringMatching(/^keys: [0-9a-f]{7} keys: promote staged\/next/));
    expect(head(1)).not.toBe(before);
  });

  it('the leader stops: the other takes the lease and maintains the keys at once', async () => {
    logs.B!.length = 0;
    await hubs.A!.close();
    delete hubs.A;
    const stopped = Date.now();
    await waitFor('B reports the overdue key', () => keyLines('B').find((l) => l.startsWith('keys: rotation of manual/primary is overdue')), 3000);
    expect(hubs.B!.cluster.leader.isLeader()).toBe(true);
    expect(Date.now() - stopped).toBeLessThan(LEASE + 1000);
  });
});
