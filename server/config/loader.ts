// Loads one commit of the config repository into a snapshot: read with isomorphic-git, validate,
// compile. Keeps a parse cache so a reload re-reads only the files that changed.
import { gitFs } from './git-fs.ts';
import git from 'isomorphic-git';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isoGitSource } from './sources/iso-git-source.ts';
import { validateSource } from './validate.ts';
import { compileSnapshot } from './compile.ts';
import type { ParseCache } from './read-tree.ts';
import type { Catalog } from './catalog.ts';
import type { ConfigIssue } from './issues.ts';
import type { ConfigSnapshot } from './snapshot.ts';
import { loadKeyrings, type KeyringCache } from '../vault/load-keyrings.ts';
import type { Identities } from '../vault/sops/data-key.ts';
import { commitSignatureIssue, type SigningGate } from './signature-gate.ts';

export type LoadResult =
  | { ok: true; snapshot: ConfigSnapshot }
  | { ok: false; commit: string; errors: ConfigIssue[] };

export interface ConfigLoaderOptions {
  gitdir: string;
  catalog: Catalog;
  /** The hub's age identities; without them secrets files are checked but not decrypted. */
  identities?: Identities;
  branch?: string;
  now?: () => Date;
  /** security.requireSignedCommits: the hub's key and the live config's signing settings. */
  signing?: SigningGate;
}

export class ConfigLoader {
  readonly ref: string;
  private readonly opts: ConfigLoaderOptions;
  private gitCache = {};
  private packs = '';
  private readonly parseCache: ParseCache = new Map();
  private readonly keyringCache: KeyringCache = new Map();

  constructor(opts: ConfigLoaderOptions) {
    this.opts = opts;
    this.ref = `refs/heads/${opts.branch ?? 'main'}`;
  }

  /** The commit the branch points at, or null when it does not exist. */
  async head(): Promise<string | null> {
    try {
      return await git.resolveRef({ fs: gitFs(this.opts.gitdir), gitdir: this.opts.gitdir, ref: this.ref });
    } catch {
      return null;
    }
  }

  /**
   * isomorphic-git's cache keeps every packfile it has opened. When `git gc` or a push
   * replaces packs, start a new cache so that removed packs do not stay in memory.
   */
  private async refreshGitCache(): Promise<void> {
    const packs = (await readdir(join(this.opts.gitdir, 'objects', 'pack')).catch(() => [])).filter((f) => f.endsWith('.pack')).sort().join(',');
    if (packs !== this.packs) {
      this.packs = packs;
      this.gitCache = {};
    }
  }

  async load(commit: string): Promise<LoadResult> {
    try {
      await this.refreshGitCache();
      const source = isoGitSource(this.opts.gitdir, commit, this.gitCache);
      const result = await validateSource(source, this.opts.catalog, this.parseCache);
      if (!result.ok) return { ok: false, commit, errors: result.errors };
      const signature = await commitSignatureIssue(this.opts.gitdir, commit, result.model.settings?.file, this.opts.signing ?? {}, this.gitCache);
      if (signature.issue) return { ok: false, commit, errors: [signature.issue] };
      const vault = this.opts.identities ? await loadKeyrings(result.model, this.opts.identities, this.keyringCache) : { keyrings: new Map(), issues: [] };
      if (vault.issues.length) return { ok: false, commit, errors: vault.issues };
      const loadedAt = (this.opts.now?.() ?? new Date()).toISOString();
      return { ok: true, snapshot: compileSnapshot(result.model, result.definitions, { commit, loadedAt, warnings: [...result.warnings, ...signature.warnings], keyrings: vault.keyrings }) };
    } catch (err) {
      const message = `the commit cannot be read: ${(err as Error).message}`;
      return { ok: false, commit, errors: [{ file: '.', line: 1, column: 1, code: 'SIL_GIT_NOT_FOUND', message, hint: 'check the repository with `git fsck`', severity: 'error' }] };
    }
  }

  /** First-parent ancestors of a commit, newest first (for finding the last good one). */
  async ancestors(commit: string, depth: number): Promise<string[]> {
    const out: string[] = [];
    let current = commit;
    while (out.length < depth) {
      const { commit: c } = await git.readCommit({ fs: gitFs(this.opts.gitdir), gitdir: this.opts.gitdir, oid: current, cache: this.gitCache });
      if (c.parent.length === 0) break;
      current = c.parent[0];
      out.push(current);
    }
    return out;
  }
}
