// Two hubs of one deployment on 127.0.0.1 sharing a real Redis: one config repository with the
// files given (sil.yaml gets the `redis:` block), provider keys, a client `web` allowed every
// binding; the data directory is copied before the first start, so both have the same config
// and the same age identity. Health probes are off (they would add requests to the mocks).
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { makeTestDataDir } from '../../helpers/test-data-dir.ts';
import { timeUntil } from './shared-stubs.ts';

export interface PairedHubs {
  a: Hub;
  b: Hub;
  /** The client token of `web`. */
  token: string;
  /** The deployment's age identity (data/keys/age.key of both). */
  identity: string;
  prefix: string;
  logs: string[];
  /** A plain client of the shared Redis, for the test to look. */
  redis: Redis;
  stop(): Promise<void>;
}

export async function startPairedHubs(redisUrl: string, files: Record<string, string>, keys: Record<string, Record<string, string>>): Promise<PairedHubs> {
  const tmp = tempDir('sil-paired-');
  const dataA = join(tmp.path, 'a');
  const dataB = join(tmp.path, 'b');
  const prefix = `p${Math.random().toString(36).slice(2, 8)}:`;
  const { token, identity } = await makeTestDataDir(dataA, {
    ...files,
    'sil.yaml': `version: 1\nenvironments: [dev, prod]\nredis:\n  url: ${redisUrl}\n  keyPrefix: "${prefix}"\n  connectTimeoutMs: 500\n`,
  }, keys, 'paired hubs config');
  cpSync(dataA, dataB, { recursive: true });
  const logs: string[] = [];
  const options = (dataDir: string, instanceId: string) => ({ dataDir, host: '127.0.0.1', port: 0, log: (l: string) => logs.push(`${instanceId}: ${l}`), consoleDir: null, health: { probes: false }, cluster: { instanceId } });
  const started: Hub[] = [];
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  const stop = async () => {
    for (const h of started) await h.close().catch(() => {});
    redis.disconnect();
    tmp.cleanup();
  };
  try {
    started.push(await startHub(options(dataA, 'a')));
    started.push(await startHub(options(dataB, 'b')));
    await redis.connect();
    // Both connected, both listening to the circuit events.
    const ready = await timeUntil(async () => started.every((h) => h.cluster.status().redis === 'up')
      && ((await redis.pubsub('NUMSUB', `${prefix}circuits:events`)) as [string, number])[1] >= 2, 10_000, 20);
    if (ready === null) throw new Error(`the two hubs did not connect to Redis: ${logs.join('\n')}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { a: started[0], b: started[1], token, identity, prefix, logs, redis, stop };
}

/** GET or POST through a hub with the client token. */
export function call(hub: Hub, token: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${hub.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The hub's sil_circuit_state of a provider: 0 closed, 1 half-open, 2 open. */
export async function circuitLevel(hub: Hub, provider: string): Promise<number> {
  const text = await hub.metrics.registry.getSingleMetricAsString('sil_circuit_state');
  const m = new RegExp(`sil_circuit_state\\{[^}]*provider="${provider}"[^}]*\\} (\\d)`).exec(text);
  return m ? Number(m[1]) : -1;
}
