// A hub on 127.0.0.1 over a fresh config repository with the given files and provider keys,
// for proxy tests.
import { join } from 'node:path';
import { startHub, type Hub, type HubOptions } from '../../server/main.ts';
import { tempDir } from './tmp.ts';
import { makeTestDataDir } from './test-data-dir.ts';

export interface ProxyHub { hub: Hub; token: string; logs: string[]; stop(): Promise<void> }

/** Files of the config repository, a client `web` (prod) allowed every binding, and keys by provider; `options` of the hub (its HTTP limits). */
export async function startProxyHub(files: Record<string, string>, keys: Record<string, Record<string, string>>, options: Pick<HubOptions, 'limits' | 'health'> = {}): Promise<ProxyHub> {
  const tmp = tempDir('sil-proxy-hub-');
  const data = join(tmp.path, 'data');
  const { token } = await makeTestDataDir(data, files, keys, 'proxy test config');
  const logs: string[] = [];
  const hub = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: (l) => logs.push(l), ...options });
  return {
    hub,
    token,
    logs,
    async stop() {
      await hub.close();
      tmp.cleanup();
    },
  };
}
