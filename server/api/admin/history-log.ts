// Reads the config repository's history with native git (one process per step, not per
// commit): first-parent commit ids, the raw commit objects, the files each commit changed and
// the patch of one commit. Commit ids are checked as 40 hex digits before they reach git.
import { SilError } from '../../errors.ts';
import { git } from '../../config/git-cli.ts';

export const MAIN_REF = 'refs/heads/main';
const COMMIT_ID = /^[0-9a-f]{40}$/;

export interface Stamp { name: string; email: string; date: string; timezone: string }

export interface CommitInfo {
  id: string;
  tree: string;
  parents: string[];
  author: Stamp;
  committer: Stamp;
  message: string;
  subject: string;
  /** The commit carries a signature (gpgsig header); whether it is good is checked elsewhere. */
  signed: boolean;
  /** The raw commit object (for the signature check). */
  raw: Buffer;
}

export type FileStatus = 'A' | 'M' | 'D' | 'T';
export interface FileChange { path: string; status: FileStatus }

/** A commit id from a request: 40 lowercase hex digits (no abbreviations, no revision syntax). */
export function checkCommitId(id: unknown, what = 'commit'): string {
  if (typeof id !== 'string' || !COMMIT_ID.test(id)) {
    throw new SilError('SIL_HISTORY_COMMIT_ID', `${what}: not a full commit id (40 hex digits)`);
  }
  return id;
}

/** Whether `ancestor` is `descendant` or one of its ancestors; false when either is missing. */
export async function isAncestor(gitdir: string, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await git(['merge-base', '--is-ancestor', checkCommitId(ancestor), descendant], { gitDir: gitdir });
    return true;
  } catch (err) {
    if (err instanceof SilError && err.code === 'SIL_HISTORY_COMMIT_ID') throw err;
    return false;
  }
}

/** Up to `limit` first-parent commit ids starting at `start`, newest first. */
export async function firstParentIds(gitdir: string, start: string, limit: number, skip = 0): Promise<string[]> {
  const out = await git(['rev-list', '--first-parent', `--max-count=${limit}`, `--skip=${skip}`, start, '--'], { gitDir: gitdir });
  return out.toString('utf8').split('\n').filter(Boolean);
}

function stamp(line: string): Stamp {
  const m = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(line);
  if (!m) return { name: line, email: '', date: '', timezone: '' };
  return { name: m[1], email: m[2], date: new Date(Number(m[3]) * 1000).toISOString(), timezone: m[4] };
}

export function parseCommit(id: string, raw: Buffer): CommitInfo {
  const text = raw.toString('utf8');
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const message = blank < 0 ? '' : text.slice(blank + 2);
  const info: CommitInfo = { id, tree: '', parents: [], author: stamp(''), committer: stamp(''), message, subject: message.split('\n')[0], signed: false, raw };
  for (const line of head.split('\n')) {
    if (line.startsWith(' ')) continue; // continuation of a multi-line header (gpgsig)
    const sp = line.indexOf(' ');
    const [key, value] = [line.slice(0, sp), line.slice(sp + 1)];
    if (key === 'tree') info.tree = value;
    else if (key === 'parent') info.parents.push(value);
    else if (key === 'author') info.author = stamp(value);
    else if (key === 'committer') info.committer = stamp(value);
    else if (key === 'gpgsig' || key === 'gpgsig-sha256') info.signed = true;
  }
  return info;
}

/** The commits, in the order given; `cat-file --batch` output parsed by sizes. */
export async function readCommits(gitdir: string, ids: readonly string[]): Promise<CommitInfo[]> {
  if (ids.length === 0) return [];
  const out = await git(['cat-file', '--batch'], { gitDir: gitdir, input: ids.map((id) => checkCommitId(id)).join('\n') + '\n' });
  const commits: CommitInfo[] = [];
  let at = 0;
  for (const id of ids) {
    const nl = out.indexOf(0x0a, at);
    const [, type, size] = out.subarray(at, nl).toString('utf8').split(' ');
    if (type !== 'commit') throw new SilError('SIL_GIT_NOT_FOUND', `${id} is not a commit of the config repository`);
    commits.push(parseCommit(id, Buffer.from(out.subarray(nl + 1, nl + 1 + Number(size)))));
    at = nl + 1 + Number(size) + 1;
  }
  return commits;
}

/**
 * The files each commit changed against its first parent (everything, for a root commit), in
 * one `diff-tree --stdin` run. Output tokens (-z): a commit id, then status / path pairs.
 */
export async function changedFiles(gitdir: string, ids: readonly string[]): Promise<Map<string, FileChange[]>> {
  const result = new Map<string, FileChange[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return result;
  const args = ['-c', 'core.quotePath=false', 'diff-tree', '--stdin', '-r', '--no-renames', '--root', '--diff-merges=first-parent', '--name-status', '-z'];
  const out = (await git(args, { gitDir: gitdir, input: ids.join('\n') + '\n' })).toString('utf8');
  const tokens = out.split('\0');
  let current: FileChange[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].replace(/^\n/, '');
    if (!t) continue;
    if (COMMIT_ID.test(t)) current = result.get(t);
    else {
      const path = tokens[++i];
      current?.push({ path, status: (t[0] === 'A' || t[0] === 'D' || t[0] === 'T' ? t[0] : 'M') as FileStatus });
    }
  }
  return result;
}

export interface FileDiff extends FileChange { diff: string | null; truncated?: boolean }

/** The patches of one commit against its first parent, one per changed file, in diff-tree order. */
export async function commitPatches(gitdir: string, id: string): Promise<string[]> {
  const args = ['-c', 'core.quotePath=false', 'diff-tree', '-p', '-r', '--no-renames', '--root', '--diff-merges=first-parent', '--no-color', '--no-ext-diff', '--no-textconv', checkCommitId(id)];
  const text = (await git(args, { gitDir: gitdir })).toString('utf8');
  return text.split(/^(?=diff --git )/m).filter((p) => p.startsWith('diff --git '));
}

/** Pairs files with their patches (both come from the same diff queue); long patches are cut. */
export function withPatches(files: readonly FileChange[], patches: readonly string[], maxPerFile = 256 * 1024): FileDiff[] {
  return files.map((f, i) => {
    const patch = patches[i] ?? null;
    if (patch === null || patch.length <= maxPerFile) return { ...f, diff: patch };
    return { ...f, diff: patch.slice(0, patch.lastIndexOf('\n', maxPerFile) + 1), truncated: true };
  });
}

/** Blob ids of every file of a commit: path → blob id. */
export async function treeBlobs(gitdir: string, commit: string): Promise<Map<string, string>> {
  const out = (await git(['ls-tree', '-r', '-z', '--full-tree', checkCommitId(commit)], { gitDir: gitdir })).toString('utf8');
  const blobs = new Map<string, string>();
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [, type, oid] = record.slice(0, tab).split(' ');
    if (type === 'blob') blobs.set(record.slice(tab + 1), oid);
  }
  return blobs;
}

export async function readBlob(gitdir: string, oid: string): Promise<Buffer> {
  return git(['cat-file', 'blob', checkCommitId(oid, 'blob')], { gitDir: gitdir });
}
