// The git operations of remote sync on DATA/config.git, through native git (it speaks https,
// ssh and local paths; isomorphic-git cannot reach a local path): fetch into the tracking ref,
// push without force, read refs, tell how two commits relate, move a ref by compare-and-swap.
import { runGit, describeFailure, type GitResult } from './git-run.ts';
import { trackingRef } from './remote-settings.ts';

export class RemoteGitError extends Error {}

export interface Timeouts {
  /** fetch and push (default 120 s). */
  networkMs: number;
  /** local reads and ref updates (default 15 s). */
  localMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { networkMs: 120_000, localMs: 15_000 };

/** How the local branch head relates to the fetched remote head. */
export type Relation = 'same' | 'behind' | 'ahead' | 'diverged' | 'remote-empty';

export type PushOutcome = 'pushed' | 'stale';

export class RemoteGit {
  readonly gitdir: string;
  readonly timeouts: Timeouts;
  readonly env: NodeJS.ProcessEnv | undefined;
  readonly signal: AbortSignal | undefined;

  constructor(gitdir: string, timeouts: Partial<Timeouts> = {}, env?: NodeJS.ProcessEnv, signal?: AbortSignal) {
    this.gitdir = gitdir;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
    this.env = env;
    this.signal = signal;
  }

  private run(args: string[], network = false): Promise<GitResult> {
    return runGit(args, { gitDir: this.gitdir, timeoutMs: network ? this.timeouts.networkMs : this.timeouts.localMs, env: this.env, signal: this.signal });
  }

  private async ok(what: string, args: string[]): Promise<string> {
    const r = await this.run(args);
    if (r.code !== 0) throw new RemoteGitError(describeFailure(what, r, this.timeouts.localMs));
    return r.stdout.trim();
  }

  /** Fetches the remote branch into the tracking ref; its commit, or null when the remote has no such branch. */
  async fetch(url: string, branch: string): Promise<string | null> {
    const ref = trackingRef(branch);
    // `+`: the remote may have been rewritten; the tracking ref follows it, main never does by force.
    const r = await this.run(['-c', 'gc.autoDetach=false', '-c', 'maintenance.autoDetach=false', 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', url, `+refs/heads/${branch}:${ref}`], true);
    if (r.code !== 0) {
      if (!r.timedOut && /couldn't find remote ref/i.test(r.stderr)) {
        await this.run(['update-ref', '-d', ref]);
        return null;
      }
      throw new RemoteGitError(describeFailure('fetch', r, this.timeouts.networkMs));
    }
    return this.resolve(ref);
  }

  /** Pushes `commit` to the remote branch, never forced. `stale`: the remote moved on since the fetch. */
  async push(url: string, branch: string, commit: string): Promise<PushOutcome> {
    const r = await this.run(['push', '--porcelain', '--', url, `${commit}:refs/heads/${branch}`], true);
    if (r.code === 0) return 'pushed';
    if (!r.timedOut && /\[rejected\]/.test(r.stdout) && /(non-fast-forward|fetch first|stale info)/.test(r.stdout)) return 'stale';
    const remoteSaid = r.stdout.split('\n').find((l) => l.includes('[remote rejected]'));
    throw new RemoteGitError(describeFailure('push', remoteSaid ? { ...r, stderr: `${r.stderr}\n${remoteSaid.split('\t').pop()}` } : r, this.timeouts.networkMs));
  }

  /** The commit a ref points at, or null when it does not exist. */
  async resolve(ref: string): Promise<string | null> {
    const r = await this.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return r.code === 0 ? r.stdout.trim() : null;
  }

  async isAncestor(older: string, newer: string): Promise<boolean> {
    const r = await this.run(['merge-base', '--is-ancestor', older, newer]);
    if (r.code === 0) return true;
    if (r.code === 1) return false;
    throw new RemoteGitError(describeFailure('merge-base', r, this.timeouts.localMs));
  }

  async relation(local: string, remote: string | null): Promise<Relation> {
    if (remote === null) return 'remote-empty';
    if (local === remote) return 'same';
    if (await this.isAncestor(local, remote)) return 'behind';
    if (await this.isAncestor(remote, local)) return 'ahead';
    return 'diverged';
  }

  /** Commits only in `local`, and only in `remote` (the remote missing: every commit of local is ahead). */
  async aheadBehind(local: string, remote: string | null): Promise<{ ahead: number; behind: number }> {
    if (remote === null) return { ahead: Number(await this.ok('rev-list', ['rev-list', '--count', local])), behind: 0 };
    const [ahead, behind] = (await this.ok('rev-list', ['rev-list', '--left-right', '--count', `${local}...${remote}`])).split(/\s+/).map(Number);
    return { ahead, behind };
  }

  /** Moves `ref` from `expected` to `next`, or fails when it no longer holds `expected` (the ref lock and the old value are checked by git). */
  async compareAndSwap(ref: string, next: string, expected: string, message: string): Promise<boolean> {
    const r = await this.run(['update-ref', '-m', message, ref, next, expected]);
    return r.code === 0;
  }
}
