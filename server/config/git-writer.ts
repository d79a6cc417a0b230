// The one writer of the config repository in this process: a mutex, a conflict check against
// the commit an edit started from, validation of the new tree, and a compare-and-swap of the
// branch ref through native git (isomorphic-git writes refs without locking).
import { gitFs } from './git-fs.ts';
import git from 'isomorphic-git';
import { SilError } from '../errors.ts';
import { git as nativeGit } from './git-cli.ts';
import { buildTree, blobAt } from './tree-builder.ts';
import { isoGitSource } from './sources/iso-git-source.ts';
import { validateSource } from './validate.ts';
import type { Catalog } from './catalog.ts';

export interface Person { name: string; email: string }

export interface WriteRequest {
  /** The commit the edit started from; null to write on whatever is current. */
  base: string | null;
  /** Path → new content, or null to delete the file. */
  changes: Record<string, string | Uint8Array | null>;
  message: string;
  author: Person;
  /** Validate the resulting tree and refuse to commit an invalid one (default true). */
  validate?: boolean;
}

export interface WriteResult { commit: string; parent: string | null }

/** Signs a commit payload; returns the armored signature for the gpgsig header. */
export type CommitSigner = (payload: string) => Promise<string>;

export interface GitWriterOptions {
  gitdir: string;
  catalog: Catalog;
  branch?: string;
  sign?: CommitSigner;
  now?: () => Date;
}

export class GitWriter {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly ref: string;
  private readonly cache = {};
  private readonly opts: GitWriterOptions;

  constructor(opts: GitWriterOptions) {
    this.opts = opts;
    this.ref = `refs/heads/${opts.branch ?? 'main'}`;
  }

  /** Runs writes one at a time, in call order. */
  commit(req: WriteRequest): Promise<WriteResult> {
    const run = this.queue.then(() => this.write(req, 3));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs fn between writes, in call order: remote sync moves the branch here, so that no write
   * builds a commit on a head that moves under it.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async head(): Promise<string | null> {
    try {
      return await git.resolveRef({ fs: gitFs(this.opts.gitdir), gitdir: this.opts.gitdir, ref: this.ref });
    } catch {
      return null;
    }
  }

  private async write(req: WriteRequest, triesLeft: number): Promise<WriteResult> {
    const { gitdir } = this.opts;
    const head = await this.head();
    const paths = Object.keys(req.changes);
    if (req.base && head && req.base !== head) {
      const conflicts: string[] = [];
      for (const path of paths) {
        const [before, now] = await Promise.all([blobAt(gitdir, req.base, path, this.cache), blobAt(gitdir, head, path, this.cache)]);
        if (before !== now) conflicts.push(path);
      }
      if (conflicts.length) {
        throw new SilError('SIL_GIT_CONFLICT', `changed since ${req.base.slice(0, 7)}: ${conflicts.join(', ')}`, { details: { base: req.base, head, files: conflicts } });
      }
    }
    const changes = new Map<string, Uint8Array | null>();
    for (const [path, content] of Object.entries(req.changes)) {
      changes.set(path, content === null ? null : typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    }
    const baseTree = head ? (await git.readCommit({ fs: gitFs(gitdir), gitdir, oid: head, cache: this.cache })).commit.tree : null;
    const tree = await buildTree(gitdir, baseTree, changes, this.cache);

    if (req.validate !== false) {
      const result = await validateSource(isoGitSource(gitdir, tree, this.cache), this.opts.catalog);
      if (!result.ok) {
        throw new SilError('SIL_CONFIG_INVALID', `the change is invalid: ${result.errors.length} error(s)`, { details: { issues: result.errors } });
      }
    }
    const when = this.opts.now?.() ?? new Date();
    const stamp = { ...req.author, timestamp: Math.floor(when.getTime() / 1000), timezoneOffset: 0 };
    const commit = await git.commit({
      fs: gitFs(gitdir),
      gitdir,
      message: req.message.endsWith('\n') ? req.message : `${req.message}\n`,
      tree,
      parent: head ? [head] : [],
      author: stamp,
      committer: stamp,
      noUpdateBranch: true,
      cache: this.cache,
      ...(this.opts.sign ? { signingKey: 'sil', onSign: async ({ payload }: { payload: string }) => ({ signature: await this.opts.sign!(payload) }) } : {}),
    });
    try {
      // Native update-ref takes the ref lock and checks the old value: a push that landed
      // in between makes it fail instead of being silently overwritten.
      await nativeGit(['update-ref', '-m', req.message.split('\n')[0], this.ref, commit, head ?? ''], { gitDir: gitdir });
    } catch (err) {
      if (triesLeft > 1 && (await this.head()) !== head) return this.write(req.base ? req : { ...req, base: head }, triesLeft - 1);
      throw new SilError('SIL_GIT_REF_MOVED', undefined, { cause: err });
    }
    return { commit, parent: head };
  }
}
