// Writes a new git tree: a base tree with some files added, replaced or removed.
import { gitFs } from './git-fs.ts';
import git, { type TreeEntry } from 'isomorphic-git';
import { SilError } from '../errors.ts';

/** A repository-relative path sil may write: no empty, `.` or `..` segments, no backslashes. */
export function checkedPath(path: string): string[] {
  const parts = path.split('/');
  if (!path || path.startsWith('/') || path.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..' || p === '.git')) {
    throw new SilError('SIL_CONFIG_FILE_PLACE', `refusing to write "${path}": not a plain path inside the repository`);
  }
  return parts;
}

type Changes = Map<string, Uint8Array | null>;

export async function buildTree(gitdir: string, baseTree: string | null, changes: ReadonlyMap<string, Uint8Array | null>, cache: object = {}): Promise<string> {
  const split = new Map<string, Uint8Array | null>();
  for (const [path, content] of changes) {
    checkedPath(path);
    split.set(path, content);
  }
  return (await writeLevel(gitdir, baseTree, split, cache)) ?? (await git.writeTree({ fs: gitFs(gitdir), gitdir, tree: [] }));
}

/** Returns the new tree id, or null when the tree ends up empty. */
async function writeLevel(gitdir: string, base: string | null, changes: Changes, cache: object): Promise<string | null> {
  const entries = new Map<string, TreeEntry>();
  if (base) for (const e of (await git.readTree({ fs: gitFs(gitdir), gitdir, oid: base, cache })).tree) entries.set(e.path, e);
  const sub = new Map<string, Changes>();
  for (const [path, content] of changes) {
    const slash = path.indexOf('/');
    if (slash < 0) {
      if (content === null) entries.delete(path);
      else entries.set(path, { mode: '100644', path, type: 'blob', oid: await git.writeBlob({ fs: gitFs(gitdir), gitdir, blob: content }) });
    } else {
      const dir = path.slice(0, slash);
      if (!sub.has(dir)) sub.set(dir, new Map());
      sub.get(dir)!.set(path.slice(slash + 1), content);
    }
  }
  for (const [dir, inner] of sub) {
    const existing = entries.get(dir);
    const oid = await writeLevel(gitdir, existing?.type === 'tree' ? existing.oid : null, inner, cache);
    if (oid) entries.set(dir, { mode: '040000', path: dir, type: 'tree', oid });
    else entries.delete(dir);
  }
  if (entries.size === 0) return null;
  return git.writeTree({ fs: gitFs(gitdir), gitdir, tree: [...entries.values()] });
}

/** Blob id of a path at a commit, or null when it does not exist there. */
export async function blobAt(gitdir: string, commit: string, path: string, cache: object = {}): Promise<string | null> {
  try {
    const { oid } = await git.readBlob({ fs: gitFs(gitdir), gitdir, oid: commit, filepath: path, cache });
    return oid;
  } catch (err) {
    if ((err as { code?: string }).code === 'NotFoundError') return null;
    throw err;
  }
}
