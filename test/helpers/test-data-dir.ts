// A data directory for tests: `sil init`'s layout, one commit with the given config files and a
// client `web` (prod, every binding) with a fresh token, then provider keys through the vault.
// proxy-hub.ts, cluster-data.ts and the cluster, usage and nginx fixtures build on it.
import { initDataDir, type DataPaths } from '../../server/config/repo-init.ts';
import { GitWriter } from '../../server/config/git-writer.ts';
import { projectCatalog } from '../../server/config/catalog.ts';
import { loadHubIdentity } from '../../server/vault/identity.ts';
import { changeKeys } from '../../server/vault/key-ops.ts';
import { addKey } from '../../server/vault/keyring.ts';
import { generateClientToken, hashToken } from '../../server/vault/client-token.ts';

export interface TestDataDir {
  paths: DataPaths;
  /** The client `web`'s token (clients/web.yaml holds its hash). */
  token: string;
  /** The hub's age identity (AGE-SECRET-KEY-…), as data/keys/age.key holds it. */
  identity: string;
}

export const webClientYaml = (token: string) => `name: web\nenvironment: prod\nbindings: ["*"]\ntokens:\n  - { id: t1, hash: "${hashToken(token)}", createdAt: "2026-01-01T00:00:00Z" }\n`;

/** Creates `dataDir` with `files` (a `clients/web.yaml` among them replaces the default one) and `keys` by provider. */
export async function makeTestDataDir(dataDir: string, files: Record<string, string>, keys: Record<string, Record<string, string>> = {}, message = 'test config'): Promise<TestDataDir> {
  const { paths } = await initDataDir(dataDir);
  const catalog = projectCatalog().catalog;
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
  const author = { name: 'Owner', email: 'owner@example.test' };
  const token = generateClientToken();
  await writer.commit({ base: null, author, message, changes: { 'clients/web.yaml': webClientYaml(token), ...files } });
  const hub = await loadHubIdentity(paths.ageKey);
  const vault = { gitdir: paths.gitdir, writer, catalog, hub, author, now: () => new Date() };
  for (const [provider, secret] of Object.entries(keys)) await changeKeys(vault, provider, (k, kc) => addKey(k, kc, { secret }));
  return { paths, token, identity: hub.identities.raw[0] };
}
