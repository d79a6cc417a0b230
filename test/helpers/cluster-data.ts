// Data directories for several instances of one deployment: the first made like proxy-hub.ts
// (config files, a client `web` with a token, provider keys), the others copies of it — the
// same config repository, age identity and signing key, as an operator's second instance has.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestDataDir } from './test-data-dir.ts';

export interface ClusterData { dirs: string[]; token: string }

/** `count` data directories under `root` (data-0, data-1, …) holding `files` (sil.yaml included) and `keys`. */
export async function clusterDataDirs(root: string, count: number, files: Record<string, string>, keys: Record<string, Record<string, string>> = {}): Promise<ClusterData> {
  const first = join(root, 'data-0');
  const { token } = await makeTestDataDir(first, files, keys, 'cluster test config');
  const dirs = [first];
  for (let i = 1; i < count; i++) {
    const dir = join(root, `data-${i}`);
    cpSync(first, dir, { recursive: true });
    dirs.push(dir);
  }
  return { dirs, token };
}
