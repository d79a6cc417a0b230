// Keeps DATA/config.git's main in step with the remote of sil.yaml `remote:` (docs/remote-sync.md):
// fetches on an interval (±10 % jitter), on a signed trigger and after each local commit; moves
// main forward when the remote is ahead (a compare-and-swap run between the GitWriter's writes,
// so no console edit is built on a head that moves under it); pushes, never forced, when this
// instance is ahead; reports a diverged history and repeated failures as the remote-sync alert.
// Validation still decides what goes live: the reloader loads the new head like any other.
import type { LiveConfig, RejectedCommit } from '../config/live-config.ts';
import type { ConfigSnapshot } from '../config/snapshot.ts';
import type { AlertRaiser } from '../observe/alerts/types.ts';
import { RemoteGit, RemoteGitError, type Timeouts } from './remote-git.ts';
import { displayRemote, remoteSettingsOf, sameRemote, trackingRef, type RemoteSettings } from './remote-settings.ts';
import { planSync } from './sync-plan.ts';
import { remoteSyncAlert, remoteSyncAlertId, FAILURES_BEFORE_ALERT } from './sync-alert.ts';

const MAIN = 'refs/heads/main';
/** Fetch again at once when the remote or main moved during a sync, at most this often per run. */
const MAX_ATTEMPTS = 3;

export interface RemoteStatus {
  url: string | null;
  branch: string | null;
  push: boolean | null;
  pullIntervalSeconds: number | null;
  /** Whether SIL_SYNC_SECRET is set, so that POST /sync/trigger is open. */
  trigger: boolean;
  lastFetch: { at: string; commit: string | null } | null;
  lastPush: { at: string; commit: string } | null;
  /** Commits of main not on the remote branch, and the other way round (null before the first fetch). */
  ahead: number | null;
  behind: number | null;
  diverged: boolean;
  /** The last sync's failure (null once a sync succeeds); failures: how many in a row. */
  error: { at: string; message: string; failures: number } | null;
}

export interface RemoteSyncOptions {
  gitdir: string;
  live: LiveConfig;
  /** Runs a function between the GitWriter's writes (GitWriter.exclusive). */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
  alerts?: AlertRaiser;
  log: (line: string) => void;
  /** Called after main was moved to a fetched commit (the reloader's check()). */
  onMainMoved?: () => void;
  secret?: () => string | undefined;
  env?: NodeJS.ProcessEnv;
  timeouts?: Partial<Timeouts>;
  /** How long a trigger waits for more triggers before fetching (default 100 ms). */
  triggerDelayMs?: number;
  failuresBeforeAlert?: number;
  random?: () => number;
  now?: () => number;
}

export class RemoteSync {
  /** Fetches since start (tests count them). */
  fetches = 0;
  #settings: RemoteSettings | null = null;
  #git: RemoteGit;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #soon: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;
  #lastFetch: RemoteStatus['lastFetch'] = null;
  #lastPush: RemoteStatus['lastPush'] = null;
  #counts: { ahead: number; behind: number } | null = null;
  #diverged = false;
  #failures = 0;
  #error: { at: string; message: string } | null = null;
  /** What the alert was last raised with; null: not raised; undefined: unknown (one may persist from an earlier run). */
  #raised: string | null | undefined = undefined;
  readonly #opts: RemoteSyncOptions;
  readonly #onLoaded = (s: ConfigSnapshot) => this.#loaded(s);
  readonly #onRejected = (r: RejectedCommit) => this.#rejected(r);

  constructor(opts: RemoteSyncOptions) {
    this.#opts = opts;
    this.#git = new RemoteGit(opts.gitdir, opts.timeouts, opts.env, this.#abort.signal);
  }

  start(): void {
    this.#opts.live.on('loaded', this.#onLoaded);
    this.#opts.live.on('rejected', this.#onRejected);
    if (this.#opts.live.snapshot) this.#apply(this.#opts.live.snapshot.settings);
  }

  settings(): RemoteSettings | null {
    return this.#settings;
  }

  /** Whether POST /sync/trigger is open: a remote is followed and SIL_SYNC_SECRET is set. */
  triggerSecret(): string | undefined {
    return this.#settings ? this.#opts.secret?.() || undefined : undefined;
  }

  /** A fetch soon; triggers within triggerDelayMs (and during a running sync) make one more fetch. */
  trigger(): void {
    this.#request(this.#opts.triggerDelayMs ?? 100);
  }

  /** Syncs now (or joins the running sync and one more after it) and resolves when done. */
  async syncNow(): Promise<void> {
    this.#request(0);
    while (this.#running || this.#soon) {
      await (this.#running ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  status(): RemoteStatus {
    const s = this.#settings;
    return {
      url: s ? displayRemote(s.url) : null,
      branch: s?.branch ?? null,
      push: s?.push ?? null,
      pullIntervalSeconds: s ? s.pullIntervalMs / 1000 : null,
      trigger: Boolean(this.triggerSecret()),
      lastFetch: this.#lastFetch,
      lastPush: this.#lastPush,
      ahead: this.#counts?.ahead ?? null,
      behind: this.#counts?.behind ?? null,
      diverged: this.#diverged,
      error: this.#error ? { ...this.#error, failures: this.#failures } : null,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#opts.live.off('loaded', this.#onLoaded);
    this.#opts.live.off('rejected', this.#onRejected);
    this.#clearTimers();
    // A fetch or push in flight is killed rather than waited for (up to its timeout).
    this.#abort.abort();
    await this.#running?.catch(() => {});
  }

  #iso(): string {
    return new Date(this.#opts.now?.() ?? Date.now()).toISOString();
  }

  #loaded(s: ConfigSnapshot): void {
    if (this.#apply(s.settings)) return;
    // A commit made here (console, API, key rotation, a push to this hub): push it now.
    if (this.#settings && s.commit !== this.#lastFetch?.commit) this.#request(0);
  }

  #rejected(r: RejectedCommit): void {
    if (this.#settings && r.commit === this.#lastFetch?.commit) {
      this.#opts.log(`remote: the fetched commit ${r.commit.slice(0, 7)} is invalid and does not go live (${r.errors.length} error(s), listed above); fix it forward on the remote`);
    }
  }

  /** Follows a new `remote:` block; true when it changed (a sync is then on its way). */
  #apply(settings: ConfigSnapshot['settings']): boolean {
    const next = remoteSettingsOf(settings);
    const prev = this.#settings;
    if (sameRemote(prev, next)) return false;
    this.#settings = next;
    if (prev && (!next || prev.url !== next.url || prev.branch !== next.branch)) {
      if (this.#raised !== null) this.#opts.alerts?.resolve(remoteSyncAlertId(displayRemote(prev.url)));
      this.#raised = null;
      this.#lastFetch = this.#lastPush = this.#error = this.#counts = null;
      this.#diverged = false;
      this.#failures = 0;
    }
    this.#clearTimers();
    if (!next) {
      this.#opts.log('remote: sil.yaml follows no remote; sync stopped');
      return true;
    }
    this.#opts.log(`remote: following ${displayRemote(next.url)} branch ${next.branch} (fetch every ${next.pullIntervalMs / 1000} s${next.push ? ', push' : ', no push'})`);
    this.#request(0);
    return true;
  }

  #clearTimers(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    this.#timer = this.#soon = null;
  }

  #request(delayMs: number): void {
    if (this.#closed || !this.#settings || this.#soon) return;
    this.#soon = setTimeout(() => {
      this.#soon = null;
      this.#run();
    }, delayMs);
    this.#soon.unref();
  }

  #schedule(): void {
    if (this.#closed || !this.#settings) return;
    if (this.#timer) clearTimeout(this.#timer);
    const jitter = 0.9 + 0.2 * (this.#opts.random ?? Math.random)();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#request(0);
    }, Math.round(this.#settings.pullIntervalMs * jitter));
    this.#timer.unref();
  }

  #run(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        const settings = this.#settings;
        if (!settings || this.#closed) break;
        await this.#syncOnce(settings);
      } while (this.#again);
    })().finally(() => {
      this.#running = null;
      this.#schedule();
    });
  }

  async #syncOnce(s: RemoteSettings): Promise<void> {
    const remote = displayRemote(s.url);
    try {
      let settled = false;
      for (let attempt = 0; attempt < MAX_ATTEMPTS && !settled; attempt++) settled = await this.#step(s, remote);
      if (!settled) throw new RemoteGitError(`main and ${s.branch} on the remote kept moving during ${MAX_ATTEMPTS} tries; trying again at the next sync`);
      if (this.#failures > 0) this.#opts.log(`remote: ${remote} syncs again`);
      this.#failures = 0;
      this.#error = null;
    } catch (err) {
      if (this.#closed) return;
      const message = err instanceof RemoteGitError ? err.message : `sync failed: ${(err as Error).message}`;
      // Logged when it says something new (git's messages carry timings: "after 3 ms").
      const gist = (m: string | undefined) => m?.replace(/\d+/g, 'N');
      if (gist(this.#error?.message) !== gist(message)) this.#opts.log(`remote: ${remote}: ${message}`);
      this.#failures++;
      this.#error = { at: this.#iso(), message };
    }
    this.#updateAlert(s, remote);
  }

  /** One fetch and what follows from it; false when something moved and it should run again. */
  async #step(s: RemoteSettings, remote: string): Promise<boolean> {
    const git = this.#git;
    const fetched = await git.fetch(s.url, s.branch);
    this.fetches++;
    this.#lastFetch = { at: this.#iso(), commit: fetched };
    const local = await git.resolve(MAIN);
    if (!local) throw new RemoteGitError('the local branch main does not exist');
    const relation = await git.relation(local, fetched);
    const action = planSync(relation, s.push);
    const wasDiverged = this.#diverged;
    this.#diverged = action === 'diverged';
    if (action === 'fast-forward') {
      const moved = await this.#opts.exclusive(() => git.compareAndSwap(MAIN, fetched!, local, `sync: fast-forward from ${remote}`));
      if (!moved) return false;
      this.#opts.log(`remote: main moved ${local.slice(0, 7)} → ${fetched!.slice(0, 7)} from ${remote}`);
      this.#opts.onMainMoved?.();
    } else if (action === 'push') {
      if ((await git.push(s.url, s.branch, local)) === 'stale') return false;
      this.#lastPush = { at: this.#iso(), commit: local };
      await git.compareAndSwap(trackingRef(s.branch), local, fetched ?? '', `sync: pushed to ${remote}`);
      this.#opts.log(`remote: pushed main ${local.slice(0, 7)} to ${remote} ${s.branch}`);
    }
    this.#counts = await git.aheadBehind((await git.resolve(MAIN)) ?? local, await git.resolve(trackingRef(s.branch)));
    if (this.#diverged && !wasDiverged) {
      this.#opts.log(`remote: main and ${s.branch} on ${remote} have diverged (${this.#counts.ahead} commit(s) here, ${this.#counts.behind} there); serving the local main, pushing nothing`);
    }
    return true;
  }

  #updateAlert(s: RemoteSettings, remote: string): void {
    const alerts = this.#opts.alerts;
    if (!alerts) return;
    const want = remoteSyncAlert(remote, s.branch, { diverged: this.#diverged, ahead: this.#counts?.ahead ?? null, behind: this.#counts?.behind ?? null, failures: this.#failures, error: this.#error?.message ?? null }, this.#opts.failuresBeforeAlert ?? FAILURES_BEFORE_ALERT);
    if (want) {
      const key = `${want.severity}\n${want.detail}`;
      if (key !== this.#raised) alerts.raise(want);
      this.#raised = key;
    } else if (this.#raised !== null) {
      alerts.resolve(remoteSyncAlertId(remote));
      this.#raised = null;
    }
  }
}
