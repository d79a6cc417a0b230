// A hub on 127.0.0.1 over a fresh config repository with the given files and provider keys,
// for proxy tests.
import { join } from 'node:path';
import { initDataDir } from '../../server/config/repo-init.ts';
import { GitWriter } from '../../server/config/git-writer.ts';
import { projectCatalog } from '../../server/config/catalog.ts';
import { loadHubIdentity } from '../../server/vault/identity.ts';
import { changeKeys } from '../../server/vault/key-ops.ts';
import { addKey } from '../../server/vault/keyring.ts';
import { generateClientToken, hashToken } from '../../server/vault/client-token.ts';
import { startHub, type Hub, type HubOptions } from '../../server/main.ts';
import { tempDir } from './tmp.ts';

export interface ProxyHub { hub: Hub; token: string; logs: string[]; stop(): Promise<void> }

/** Files of the config repository, a client `web` (prod) allowed every binding, and keys by provider; `options` of the hub (its HTTP limits). */
export async function startProxyHub(files: Record<string, string>, keys: Record<string, Record<string, string>>, options: Pick<HubOptions, 'limits' | 'health'> = {}): Promise<ProxyHub> {
  const tmp = tempDir('sil-proxy-hub-');
  const data = join(tmp.path, 'data');
  const { paths } = await initDataDir(data);
  const catalog = projectCatalog().catalog;
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
  const author = { name: 'Owner', email: 'owner@example.test' };
  const token = generateClientToken();
  await writer.commit({
    base: null,
    author,
    message: 'proxy test config',
    changes: { ...files, 'clients/web.yaml': `name: web\nenvironment: prod\nbindings: ["*"]\ntokens:\n  - { id: t1, hash: "${hashToken(token)}", createdAt: "2026-01-01T00:00:00Z" }\n` },
  });
  const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author, now: () => new Date() };
  for (const [provider, secret] of Object.entries(keys)) await changeKeys(vault, provider, (k, kc) => addKey(k, kc, { secret }));
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
