// Reads a commit's tree with isomorphic-git: no index, no work tree, blobs straight from the object store.
import { gitFs } from '../git-fs.ts';
import git from 'isomorphic-git';
import { CONFIG_DIRS, type ConfigSource, type TreeEntry } from './source.ts';

const DIRS = new Set<string>(CONFIG_DIRS);

function kindOf(type: string): TreeEntry['kind'] {
  return type === 'blob' ? 'file' : type === 'tree' ? 'dir' : 'other';
}

export function isoGitSource(gitdir: string, commit: string, cache: object = {}): ConfigSource {
  return {
    label: commit,
    async list() {
      const root = await git.readTree({ fs: gitFs(gitdir), gitdir, oid: commit, cache });
      const out: TreeEntry[] = [];
      for (const e of root.tree) {
        out.push({ path: e.path, id: e.oid, kind: kindOf(e.type) });
        if (e.type === 'tree' && DIRS.has(e.path)) {
          const sub = await git.readTree({ fs: gitFs(gitdir), gitdir, oid: e.oid, cache });
          for (const s of sub.tree) out.push({ path: `${e.path}/${s.path}`, id: s.oid, kind: kindOf(s.type) });
        }
      }
      return out;
    },
    async read(entries) {
      return Promise.all(entries.map(async (e) => (await git.readBlob({ fs: gitFs(gitdir), gitdir, oid: e.id, cache })).blob));
    },
  };
}
