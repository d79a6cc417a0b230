// `sil start` with sil.yaml `redis:` stops promptly on SIGTERM after Redis went away: the extra
// connections (subscribers, the blocking usage reader) would otherwise go on reconnecting and keep
// the process alive until the 10 s shutdown bound (exit 1).
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp.ts';
import { startRedis } from '../../helpers/redis-server.ts';
import { clusterDataDirs } from '../../helpers/cluster-data.ts';
import { spawnSil } from '../../helpers/sil-process.ts';

describe('sil start with Redis gone', () => {
  for (const when of ['before the hub connected', 'after the hub connected'] as const) {
    it(`exits 0 on SIGTERM within seconds, Redis killed ${when}`, async () => {
      const tmp = tempDir('sil-stop-redis-gone-');
      const redis = await startRedis();
      const { dirs } = await clusterDataDirs(tmp.path, 1, { 'sil.yaml': `version: 1\nenvironments: [dev, prod]\nredis:\n  url: ${redis.url}\n  connectTimeoutMs: 300\n` });
      if (when === 'before the hub connected') await redis.kill();
      const sil = spawnSil(['start', '--data', dirs[0], '--host', '127.0.0.1', '--port', '0'], { nodeArgs: ['--max-semi-space-size=32'], env: { SIL_HEALTH_PROBES: 'off' } });
      try {
        await sil.waitFor(/sil listening on/, 60_000);
        if (when === 'after the hub connected') {
          await sil.waitFor(/redis: connected/, 10_000);
          await redis.kill();
          await sil.waitFor(/redis: lost/, 10_000);
        } else {
          await sil.waitFor(/redis: cannot reach/, 10_000);
        }
        await new Promise((r) => setTimeout(r, 1000));
        const stoppedAt = Date.now();
        sil.child.kill('SIGTERM');
        expect(await sil.exited(9_000)).toBe(0);
        expect(Date.now() - stoppedAt).toBeLessThan(5_000);
        expect(sil.output()).not.toMatch(/still shutting down/);
      } finally {
        if (sil.child.exitCode === null && sil.child.signalCode === null) sil.child.kill('SIGKILL');
        await redis.stop().catch(() => {});
        tmp.cleanup();
      }
    }, 90_000);
  }
});
