// Works out the changes that undo one commit on top of a later commit (`base`), file by file:
// a file untouched since the commit goes back to its parent's version; a file changed again
// later is merged three-way (git merge-file), and a clash is a conflict: nothing is written.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SilError } from '../../errors.ts';
import { git } from '../../config/git-cli.ts';
import { changedFiles, readBlob, treeBlobs, type CommitInfo, type FileChange } from './history-log.ts';

export interface RevertPlan {
  changes: Record<string, Uint8Array | null>;
  /** What the revert does to each file: A (restores a deleted file), M, D (removes an added one). */
  files: FileChange[];
}

/** Three-way merge of the undo into a file that changed after the commit; null on a clash. */
async function mergeUndo(gitdir: string, current: string, inCommit: string, inParent: string): Promise<Buffer | null> {
  const dir = await mkdtemp(join(tmpdir(), 'sil-revert-'));
  try {
    const names = ['current', 'commit', 'parent'].map((n) => join(dir, n));
    await Promise.all([current, inCommit, inParent].map(async (oid, i) => writeFile(names[i], await readBlob(gitdir, oid), { mode: 0o600 })));
    return await git(['merge-file', '-p', '-q', ...names]);
  } catch (err) {
    // merge-file exits with the number of conflicts (or fails on binary files): not mergeable.
    if (err instanceof SilError && err.code === 'SIL_GIT_NATIVE') return null;
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function planRevert(gitdir: string, commit: CommitInfo, base: string): Promise<RevertPlan> {
  const short = commit.id.slice(0, 7);
  const parent = commit.parents[0];
  if (!parent) throw new SilError('SIL_HISTORY_REVERT', `${short} is the first commit of the repository: there is nothing before it to go back to`);
  const touched = (await changedFiles(gitdir, [commit.id])).get(commit.id) ?? [];
  const [inParent, inCommit, atBase] = await Promise.all([treeBlobs(gitdir, parent), treeBlobs(gitdir, commit.id), treeBlobs(gitdir, base)]);
  const changes: RevertPlan['changes'] = {};
  const files: FileChange[] = [];
  const conflicts: string[] = [];
  for (const { path } of touched) {
    const p = inParent.get(path) ?? null;
    const c = inCommit.get(path) ?? null;
    const cur = atBase.get(path) ?? null;
    if (cur === p) continue; // already back to what it was
    if (cur === c) {
      changes[path] = p === null ? null : await readBlob(gitdir, p);
      files.push({ path, status: p === null ? 'D' : c === null ? 'A' : 'M' });
      continue;
    }
    const merged = p && c && cur ? await mergeUndo(gitdir, cur, c, p) : null;
    if (merged === null) conflicts.push(path);
    else {
      changes[path] = merged;
      files.push({ path, status: 'M' });
    }
  }
  if (conflicts.length) {
    throw new SilError('SIL_GIT_CONFLICT', `cannot revert ${short}: ${conflicts.join(', ')} changed again after it in a way that clashes with undoing it`, {
      hint: 'revert the later commits that touched these files first, or edit the files by hand',
      details: { commit: commit.id, base, files: conflicts },
    });
  }
  if (files.length === 0) {
    throw new SilError('SIL_HISTORY_REVERT', `nothing to revert: the changes of ${short} are already undone at ${base.slice(0, 7)}`);
  }
  return { changes, files };
}
