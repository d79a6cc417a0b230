// A real hub on 127.0.0.1 with a temporary data directory.
import { join } from 'node:path';
import { startHub, type Hub } from '../../server/main.ts';
import { tempDir } from './tmp.ts';
import type { HealthBody } from '../../server/api/healthz.ts';

export interface TestHub extends Hub {
  dir: string;
  logs: string[];
  health(): Promise<{ status: number; body: HealthBody }>;
  /** Polls /healthz until `predicate` holds or `ms` pass; returns the last answer and the wait. */
  waitFor(predicate: (b: HealthBody) => boolean, ms?: number): Promise<{ body: HealthBody; waitedMs: number }>;
  stop(): Promise<void>;
}

export async function startTestHub(): Promise<TestHub> {
  const tmp = tempDir('sil-hub-');
  const logs: string[] = [];
  const hub = await startHub({ dataDir: join(tmp.path, 'data'), host: '127.0.0.1', port: 0, log: (l) => logs.push(l) });
  const health = async () => {
    const res = await fetch(`${hub.url}/healthz`);
    return { status: res.status, body: (await res.json()) as HealthBody };
  };
  return {
    ...hub,
    dir: tmp.path,
    logs,
    health,
    async waitFor(predicate, ms = 3000) {
      const started = performance.now();
      let body = (await health()).body;
      while (!predicate(body) && performance.now() - started < ms) {
        await new Promise((r) => setTimeout(r, 10));
        body = (await health()).body;
      }
      return { body, waitedMs: performance.now() - started };
    },
    async stop() {
      await hub.close();
      tmp.cleanup();
    },
  };
}
