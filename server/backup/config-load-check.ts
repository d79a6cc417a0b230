// Does the config at a commit of a repository load as the hub would load it: valid (the
// validator) and every secrets file opened with the given age identities. Used by `sil restore`
// on what it restored and by `sil doctor` on the data directory.
import { projectCatalog } from '../config/catalog.ts';
import { validateSource } from '../config/validate.ts';
import { nativeGitSource } from '../config/sources/native-git-source.ts';
import { git } from '../config/git-cli.ts';
import { loadKeyrings } from '../vault/load-keyrings.ts';
import type { ConfigIssue } from '../config/issues.ts';
import type { Identities } from '../vault/sops/data-key.ts';

export interface ConfigLoadReport {
  ok: boolean;
  commit: string;
  errors: ConfigIssue[];
  warnings: number;
  providers: number;
  bindings: number;
  clients: number;
  secretsFiles: number;
  /** Keys across every secrets file that decrypted. */
  keys: number;
}

export async function checkConfigLoads(gitdir: string, identities: Identities, rev = 'main'): Promise<ConfigLoadReport> {
  const commit = (await git(['rev-parse', '--verify', `${rev}^{commit}`], { gitDir: gitdir })).toString('utf8').trim();
  const result = await validateSource(nativeGitSource(gitdir, commit), projectCatalog().catalog);
  const errors = [...result.errors];
  let keys = 0;
  if (result.ok) {
    const vault = await loadKeyrings(result.model, identities);
    errors.push(...vault.issues);
    for (const ring of vault.keyrings.values()) keys += ring.keys.length;
  }
  return {
    ok: errors.length === 0,
    commit,
    errors,
    warnings: result.warnings.length,
    providers: result.model.providers.size,
    bindings: result.model.bindings.size,
    clients: result.model.clients.size,
    secretsFiles: result.model.secrets.size,
    keys,
  };
}
