// For the tests of state shared through Redis without whole hubs: the part of a Cluster that the
// shared circuits and tokens use, over a real RedisConnection, and a watch on unhandled rejections.
import { RedisConnection } from '../../../server/cluster/redis-connection.ts';
import type { Cluster } from '../../../server/cluster/cluster.ts';
import { eventually } from '../../helpers/sil-process.ts';

export type StubCluster = Pick<Cluster, 'instanceId' | 'connection' | 'onConnection'> & { conn: RedisConnection; close(): Promise<void> };

/** A connection to `url` under `prefix`, up before it is returned. */
export async function stubCluster(instanceId: string, url: string, prefix: string): Promise<StubCluster> {
  const conn = new RedisConnection({ url, keyPrefix: prefix, failMode: 'local', connectTimeoutMs: 500 }, () => {});
  if (!(await eventually(() => conn.state === 'up', 5000))) throw new Error(`redis at ${url} did not come up`);
  return {
    instanceId,
    conn,
    connection: () => conn,
    onConnection: () => () => true,
    close: () => conn.close(),
  };
}

/** Collects unhandled rejections from now on; `stop()` returns them. */
export function watchRejections(): { stop(): unknown[] } {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', onRejection);
  return {
    stop() {
      process.off('unhandledRejection', onRejection);
      return seen;
    },
  };
}

export const randomPrefix = (): string => `t${Math.random().toString(36).slice(2, 8)}:`;

/** Polls `check` every `everyMs` (default 1) until it holds or `ms` pass; the time it took, or null. */
export async function timeUntil(check: () => boolean | Promise<boolean>, ms: number, everyMs = 1): Promise<number | null> {
  const started = performance.now();
  const rounds = Math.ceil(ms / everyMs);
  for (let i = 0; i <= rounds; i++) {
    if (await check()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return null;
}
