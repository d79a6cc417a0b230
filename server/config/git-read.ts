// Reads single files of a commit with isomorphic-git (for the writers: keys, tokens, settings).
import git from 'isomorphic-git';
import { gitFs } from './git-fs.ts';

export async function headCommit(gitdir: string, branch = 'main'): Promise<string | null> {
  try {
    return await git.resolveRef({ fs: gitFs(gitdir), gitdir, ref: `refs/heads/${branch}` });
  } catch {
    return null;
  }
}

/** The text of a file at a commit, or null when the commit has no such file. */
export async function readTextAt(gitdir: string, commit: string, path: string, cache: object = {}): Promise<string | null> {
  try {
    const { blob } = await git.readBlob({ fs: gitFs(gitdir), gitdir, oid: commit, filepath: path, cache });
    return Buffer.from(blob).toString('utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'NotFoundError') return null;
    throw err;
  }
}
