// A hub that led with Redis stops promptly after Redis went away: nothing it closes may wait for
// a Redis that is not coming back (the alert engine once waited for its claims forever).
import { describe, expect, it } from 'vitest';
import { startHub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startRedis } from '../../helpers/redis-server.ts';
import { clusterDataDirs } from '../../helpers/cluster-data.ts';
import { eventually } from '../../helpers/sil-process.ts';

describe('hub close with Redis gone', () => {
  it('closes within a few seconds', async () => {
    const tmp = tempDir('sil-close-redis-gone-');
    const redis = await startRedis();
    try {
      const { dirs } = await clusterDataDirs(tmp.path, 1, { 'sil.yaml': `version: 1\nenvironments: [dev, prod]\nredis:\n  url: ${redis.url}\n  connectTimeoutMs: 300\n` });
      const hub = await startHub({ dataDir: dirs[0], host: '127.0.0.1', port: 0, log: () => {}, consoleDir: null, cluster: { leaseMs: 600 }, alerts: { evaluateMs: 100 } });
      expect(await eventually(() => hub.cluster.status().leader && hub.cluster.status().redis === 'up', 5000)).toBe(true);
      // Let the leader evaluate (and claim alerts) in the shared store, then take Redis away.
      await new Promise((r) => setTimeout(r, 500));
      await redis.kill();
      expect(await eventually(() => hub.cluster.status().redis === 'down', 5000)).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      const started = Date.now();
      const closed = await Promise.race([hub.close().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 6000))]);
      expect(closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await redis.stop().catch(() => {});
      tmp.cleanup();
    }
  }, 30_000);
});
