// Data directories for several instances of one deployment: the first made like proxy-hub.ts
// (config files, a client `web` with a token, provider keys), the others copies of it — the
// same config repository, age identity and signing key, as an operator's second instance has.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { initDataDir } from '../../server/config/repo-init.ts';
import { GitWriter } from '../../server/config/git-writer.ts';
import { projectCatalog } from '../../server/config/catalog.ts';
import { loadHubIdentity } from '../../server/vault/identity.ts';
import { changeKeys } from '../../server/vault/key-ops.ts';
import { addKey } from '../../server/vault/keyring.ts';
import { generateClientToken, hashToken } from '../../server/vault/client-token.ts';

export interface ClusterData { dirs: string[]; token: string }

/** `count` data directories under `root` (data-0, data-1, …) holding `files` (sil.yaml included) and `keys`. */
export async function clusterDataDirs(root: string, count: number, files: Record<string, string>, keys: Record<string, Record<string, string>> = {}): Promise<ClusterData> {
  const first = join(root, 'data-0');
  const { paths } = await initDataDir(first);
  const catalog = projectCatalog().catalog;
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
  const author = { name: 'Owner', email: 'owner@example.test' };
  const token = generateClientToken();
  await writer.commit({
    base: null,
    author,
    message: 'cluster test config',
    changes: { ...files, 'clients/web.yaml': `name: web\nenvironment: prod\nbindings: ["*"]\ntokens:\n  - { id: t1, hash: "${hashToken(token)}", createdAt: "2026-01-01T00:00:00Z" }\n` },
  });
  const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author, now: () => new Date() };
  for (const [provider, secret] of Object.entries(keys)) await changeKeys(vault, provider, (k, kc) => addKey(k, kc, { secret }));
  const dirs = [first];
  for (let i = 1; i < count; i++) {
    const dir = join(root, `data-${i}`);
    cpSync(first, dir, { recursive: true });
    dirs.push(dir);
  }
  return { dirs, token };
}
