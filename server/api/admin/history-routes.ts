// The config history as an API: git history is the audit log. Lists main's first-parent
// commits with author, message, signature status and the files they changed; shows one commit
// with per-file diffs; reverts a commit with a new, validated commit through the writer.
import type Router from '@koa/router';
import { SilError } from '../../errors.ts';
import { headCommit } from '../../config/git-read.ts';
import type { AdminDeps } from './context.ts';
import { changedFiles, checkCommitId, commitPatches, firstParentIds, isAncestor, readCommits, withPatches, type CommitInfo, type FileChange, type FileDiff } from './history-log.ts';
import { planRevert } from './history-revert.ts';
import { clearSecretDetector, safeDiff } from './diff-redact.ts';
import { readJsonBody } from './json-body.ts';
import { baseFrom, intParam } from './call.ts';
import { signatureChecker, type SignatureCheck, type SignatureOptions } from './history-signatures.ts';

export type HistoryOptions = SignatureOptions;

const MAX_LIST_FILES = 200;
const MAX_DIFF_TOTAL = 8 * 1024 * 1024;

function counts(files: readonly FileChange[]) {
  return {
    added: files.filter((f) => f.status === 'A').length,
    modified: files.filter((f) => f.status === 'M' || f.status === 'T').length,
    deleted: files.filter((f) => f.status === 'D').length,
  };
}

function describe(c: CommitInfo, files: readonly FileChange[], sig: SignatureCheck | undefined) {
  const { status, signer, reason } = sig ?? { status: c.signed ? 'unknown-signer' : 'unsigned', reason: 'not checked' };
  return {
    id: c.id,
    parents: c.parents,
    author: c.author,
    committer: c.committer,
    subject: c.subject,
    message: c.message,
    signature: { status, ...(signer ? { signer } : {}), ...(reason ? { reason } : {}) },
    counts: counts(files),
  };
}

/** Diffs made safe to show (diff-redact.ts); the total size is capped. */
function safeDiffs(diffs: FileDiff[], looksSecret: (value: string) => boolean): FileDiff[] {
  let total = 0;
  return diffs.map((d) => {
    const diff = d.diff === null ? null : safeDiff(d.path, d.diff, looksSecret);
    total += diff?.length ?? 0;
    return total > MAX_DIFF_TOTAL ? { ...d, diff: null, truncated: true } : { ...d, diff };
  });
}

export function historyRoutes(router: Router, deps: AdminDeps, opts: HistoryOptions = {}): void {
  const { gitdir } = deps;
  const head = () => headCommit(gitdir);
  const signatures = signatureChecker(gitdir, head, opts);
  const looksSecret = clearSecretDetector(deps.catalog);

  /** A commit id from the path that is part of main's history. */
  async function mainCommit(id: unknown, what = 'commit'): Promise<{ id: string; head: string }> {
    const commit = checkCommitId(id, what);
    const at = await head();
    if (!at || !(await isAncestor(gitdir, commit, at))) throw new SilError('SIL_GIT_NOT_FOUND', `${what} ${commit.slice(0, 7)} is not in the history of main`);
    return { id: commit, head: at };
  }

  router.get('/history', async (ctx) => {
    const limit = intParam(ctx.query.limit, 'limit', 50, 1, 200);
    const at = await head();
    if (!at) {
      ctx.body = { branch: 'main', head: null, commits: [], next: null };
      return;
    }
    const before = ctx.query.before ? (await mainCommit(ctx.query.before, 'before')).id : null;
    const ids = await firstParentIds(gitdir, before ?? at, limit + 1, before ? 1 : 0);
    const page = ids.slice(0, limit);
    const [commits, files] = await Promise.all([readCommits(gitdir, page), changedFiles(gitdir, page)]);
    const sigs = await signatures(commits);
    ctx.body = {
      branch: 'main',
      head: at,
      commits: commits.map((c) => {
        const changed = files.get(c.id) ?? [];
        return { ...describe(c, changed, sigs.get(c.id)), files: changed.slice(0, MAX_LIST_FILES), ...(changed.length > MAX_LIST_FILES ? { filesTruncated: true } : {}) };
      }),
      next: ids.length > limit ? page[page.length - 1] : null,
    };
  });

  router.get('/history/:commit', async (ctx) => {
    const { id, head: at } = await mainCommit(ctx.params.commit);
    const [[commit], files, patches] = await Promise.all([readCommits(gitdir, [id]), changedFiles(gitdir, [id]), commitPatches(gitdir, id)]);
    const changed = files.get(id) ?? [];
    const sigs = await signatures([commit]);
    ctx.body = { head: at, ...describe(commit, changed, sigs.get(id)), files: safeDiffs(withPatches(changed, patches), looksSecret) };
  });

  router.post('/history/:commit/revert', async (ctx) => {
    const { id } = await mainCommit(ctx.params.commit);
    const body = await readJsonBody(ctx.req, 64 * 1024);
    const query = typeof ctx.query.base === 'string' ? ctx.query.base : undefined;
    const base = (await mainCommit(baseFrom(body, ctx.get('if-match') || undefined, query), 'base')).id;
    if (!(await isAncestor(gitdir, id, base))) {
      throw new SilError('SIL_HISTORY_REVERT', `${id.slice(0, 7)} is not in the history of base ${base.slice(0, 7)}`, { hint: 'reload the history and revert from the current head' });
    }
    const [commit] = await readCommits(gitdir, [id]);
    const plan = await planRevert(gitdir, commit, base);
    const message = `revert: ${commit.subject}\n\nThis reverts commit ${id}.`;
    const result = await deps.writer.commit({ base, changes: plan.changes, message, author: deps.author() });
    deps.log(`history: reverted ${id.slice(0, 7)} as ${result.commit.slice(0, 7)} (${plan.files.length} file(s))`);
    // Answer once the new commit is live, as the other writes do.
    if (deps.reload) await deps.reload().catch((e: Error) => deps.log(`api: reload after ${result.commit.slice(0, 7)} failed: ${e.message}`));
    ctx.status = 201;
    ctx.body = { commit: result.commit, parent: result.parent, reverted: id, subject: `revert: ${commit.subject}`, files: plan.files };
  });
}
