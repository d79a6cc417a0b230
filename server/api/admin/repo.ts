// The admin API's view of the config repository: reads at the live commit (what GETs show and
// what clients send back as `base`), reads at a base (what an edit changes), and the one way
// to write: a commit through the GitWriter, then a reload so the answer's commit is live.
import git from 'isomorphic-git';
import { gitFs } from '../../config/git-fs.ts';
import { headCommit, readTextAt } from '../../config/git-read.ts';
import { readConfigTree, type ParseCache } from '../../config/read-tree.ts';
import { isoGitSource } from '../../config/sources/iso-git-source.ts';
import { formatIssue, type ConfigIssue } from '../../config/issues.ts';
import { SilError } from '../../errors.ts';
import type { ConfigModel } from '../../config/config-model.ts';
import type { AdminDeps } from './context.ts';

export interface RepoFile { path: string; text: string }

/** An issue as the API shows it. */
export interface ApiIssue { file: string; line: number; column: number; message: string; code: string; hint: string }

export const apiIssue = (i: ConfigIssue): ApiIssue => ({ file: i.file, line: i.line, column: i.column, message: i.message, code: i.code, hint: i.hint });

export interface WriteAnswer {
  /** The new commit: send it as `base` with the next change. */
  commit: string;
  /** Whether the new commit is live already (it is, unless the reload is slow or failed). */
  live: boolean;
  /** True when the change was already in place: nothing was written, `commit` is the base. */
  unchanged?: boolean;
  warnings?: string[];
}

const EXTENSIONS = ['yaml', 'yml', 'json'] as const;

export class Repo {
  readonly deps: AdminDeps;
  private readonly parseCache: ParseCache = new Map();

  constructor(deps: AdminDeps) {
    this.deps = deps;
  }

  /** The commit GETs read: the live one, or the branch head while nothing is live. */
  async readCommit(): Promise<string> {
    const commit = this.deps.live.snapshot?.commit ?? (await headCommit(this.deps.gitdir));
    if (!commit) throw new SilError('SIL_GIT_NOT_FOUND', 'the config repository has no main branch', { hint: 'create the data directory with `sil init`' });
    return commit;
  }

  /** `<folder>/<name>.yaml|.yml|.json` (or sil.yaml... when folder is null) at a commit. */
  async file(commit: string, folder: string | null, name: string): Promise<RepoFile | null> {
    for (const ext of EXTENSIONS) {
      const path = folder ? `${folder}/${name}.${ext}` : `${name}.${ext}`;
      const text = await readTextAt(this.deps.gitdir, commit, path);
      if (text !== null) return { path, text };
    }
    return null;
  }

  /** Every schema-valid config file at a commit (files with errors are left out). */
  async model(commit: string): Promise<ConfigModel> {
    const { model } = await readConfigTree(isoGitSource(this.deps.gitdir, commit, {}), this.parseCache);
    return model;
  }

  /** Refuses a base that is not a commit of the repository. */
  async checkBase(base: string): Promise<void> {
    try {
      await git.readCommit({ fs: gitFs(this.deps.gitdir), gitdir: this.deps.gitdir, oid: base });
    } catch (err) {
      throw new SilError('SIL_BASE_INVALID', `base ${base.slice(0, 12)} is not a commit of the config repository`, { cause: err });
    }
  }

  /** The answer to a change that changes nothing: no commit, the base stays valid. */
  unchanged(base: string): WriteAnswer {
    return { commit: base, live: this.deps.live.snapshot?.commit === base, unchanged: true };
  }

  /** One commit: stale base → 409 with the files; invalid result → 422 with every issue. */
  async commit(base: string, changes: Record<string, string | null>, message: string): Promise<WriteAnswer> {
    await this.checkBase(base);
    let commit: string;
    try {
      ({ commit } = await this.deps.writer.commit({ base, changes, message, author: this.deps.author() }));
    } catch (err) {
      if (err instanceof SilError && err.code === 'SIL_CONFIG_INVALID') {
        const issues = ((err.details as { issues?: ConfigIssue[] } | undefined)?.issues ?? []);
        const first = issues[0] ? `: ${formatIssue(issues[0]).replace(/ \[SIL_[A-Z_]+\].*$/, '')}` : '';
        const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
        throw new SilError('SIL_CONFIG_INVALID', `"${message.split('\n')[0]}" refused, nothing was written${first}${more}`, {
          hint: issues[0]?.hint ?? err.hint,
          details: { issues: issues.map(apiIssue) },
          cause: err,
        });
      }
      throw err;
    }
    this.deps.log(`api: ${commit.slice(0, 7)} ${message.split('\n')[0]}`);
    if (this.deps.reload) await this.deps.reload().catch((e: Error) => this.deps.log(`api: reload after ${commit.slice(0, 7)} failed: ${e.message}`));
    return { commit, live: this.deps.live.snapshot?.commit === commit };
  }
}
