// Decrypts every secrets file of a validated config into keyrings, for the snapshot. Files
// that did not change since the last load are not decrypted again.
import type { ProviderKey } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { issue, type ConfigIssue } from '../config/issues.ts';
import { decryptSops } from './sops/sops-file.ts';
import { decryptSopsTree } from './sops/tree-decrypt.ts';
import { ProviderKeyring } from './provider-keyring.ts';
import type { Identities } from './sops/data-key.ts';
import type { ConfigModel } from '../config/config-model.ts';

export type KeyringCache = Map<string, ProviderKeyring>;

export async function loadKeyrings(
  model: ConfigModel,
  ids: Identities,
  cache: KeyringCache = new Map(),
): Promise<{ keyrings: Map<string, ProviderKeyring>; issues: ConfigIssue[] }> {
  const keyrings = new Map<string, ProviderKeyring>();
  const issues: ConfigIssue[] = [];
  const live = new Set<string>();
  for (const [provider, cf] of model.secrets) {
    const key = `${cf.path}\0${cf.id}`;
    live.add(key);
    let ring = cache.get(key);
    if (!ring) {
      try {
        const fast = await decryptSopsTree(cf.file.value, ids);
        const data = fast?.data ?? (await decryptSops(cf.file.text, cf.path.endsWith('.json') ? 'json' : 'yaml', ids)).data;
        ring = new ProviderKeyring(provider, (data.keys ?? []) as ProviderKey[]);
        cache.set(key, ring);
      } catch (err) {
        const e = err instanceof SilError ? err : new SilError('SIL_VAULT_FORMAT', (err as Error).message);
        issues.push(issue(cf.path, { line: 1, column: 1 }, e.code, `cannot decrypt: ${e.message}`, e.hint));
        continue;
      }
    }
    keyrings.set(provider, ring);
  }
  for (const k of cache.keys()) if (!live.has(k)) cache.delete(k);
  return { keyrings, issues };
}
