// RemoteSync against real repositories with the real git CLI: a bare "remote", a work clone that
// plays the other side, and DATA/config.git as a bare clone; the live config is a LiveConfig fed
// by hand (only `settings.remote` and `commit` matter to the sync).
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { LiveConfig } from '../../../server/config/live-config.ts';
import type { ConfigSnapshot } from '../../../server/config/snapshot.ts';
import { RemoteSync } from '../../../server/remote/remote-sync.ts';
import type { AlertRaise } from '../../../server/observe/alerts/types.ts';
import { gitRun, commitFiles, commitPastHook } from '../../helpers/git.ts';
import { tempDir } from '../../helpers/tmp.ts';

type Remote = { url: string; branch?: string; pullIntervalSeconds?: number; push?: boolean };

describe('RemoteSync with real git', () => {
  let tmp: ReturnType<typeof tempDir>;
  let origin: string;
  let work: string;
  let local: string;
  let live: LiveConfig;
  let sync: RemoteSync | null;
  let raised: AlertRaise[];
  let resolved: string[];
  let logs: string[];
  let moved: number;

  const head = (gitdir: string, ref = 'refs/heads/main') => gitRun(gitdir, ['rev-parse', ref]);
  const load = (remote: Remote | null, commit = head(local)) => live.accept({ commit, settings: remote ? { remote } : {} } as unknown as ConfigSnapshot);
  const start = (remote: Remote | null, extra: Partial<ConstructorParameters<typeof RemoteSync>[0]> = {}) => {
    sync = new RemoteSync({
      gitdir: local, live, exclusive: (fn) => fn(), log: (l) => logs.push(l), onMainMoved: () => moved++,
      alerts: { raise: (a) => { raised.push(a); return a as never; }, resolve: (id) => { resolved.push(id); return undefined; } },
      secret: () => 'sec', ...extra,
    });
    load(remote);
    sync.start();
    return sync;
  };

  beforeEach(() => {
    tmp = tempDir('sil-remote-sync-');
    origin = join(tmp.path, 'origin.git');
    work = join(tmp.path, 'work');
    local = join(tmp.path, 'config.git');
    gitRun(tmp.path, ['init', '-q', '--bare', '-b', 'main', origin]);
    gitRun(tmp.path, ['clone', '-q', origin, work]);
    commitFiles(work, { 'sil.yaml': 'version: 1\nenvironments: [prod]\n' }, 'first');
    gitRun(work, ['push', '-q', 'origin', 'HEAD:main']);
    gitRun(tmp.path, ['clone', '-q', '--bare', origin, local]);
    live = new LiveConfig();
    raised = [];
    resolved = [];
    logs = [];
    moved = 0;
    sync = null;
  });
  afterEach(async () => {
    await sync?.close();
    tmp.cleanup();
  });

  it('fast-forwards main to a commit pushed to the remote, and counts ahead/behind', async () => {
    const s = start({ url: origin, pullIntervalSeconds: 3600 });
    await s.syncNow();
    const c = commitFiles(work, { 'policies/p.yaml': 'name: p\n' }, 'remote change');
    gitRun(work, ['push', '-q', 'origin', 'HEAD:main']);
    await s.syncNow();
    expect(head(local)).toBe(c);
    expect(head(local, 'refs/remotes/sil-remote/main')).toBe(c);
    expect(moved).toBe(1);
    expect(s.status()).toMatchObject({ url: origin, branch: 'main', ahead: 0, behind: 0, diverged: false, error: null, lastFetch: { commit: c }, lastPush: null, trigger: true });
    expect(logs.some((l) => l.includes('main moved'))).toBe(true);
  });

  it('pushes a commit made here, without force, and right after it is loaded', async () => {
    const s = start({ url: origin, pullIntervalSeconds: 3600 });
    await s.syncNow();
    const mine = commitPastHook(local, { 'policies/here.yaml': 'name: here\n' }, 'console edit');
    const before = s.fetches;
    load({ url: origin, pullIntervalSeconds: 3600 }, mine); // what the reloader does after a local commit
    for (let i = 0; i < 200 && s.status().lastPush?.commit !== mine; i++) await new Promise((r) => setTimeout(r, 10));
    expect(head(origin)).toBe(mine);
    expect(s.fetches).toBe(before + 1);
    expect(s.status()).toMatchObject({ ahead: 0, behind: 0, lastPush: { commit: mine } });
  });

  it('pushes the whole history to an empty remote branch', async () => {
    const empty = join(tmp.path, 'empty.git');
    gitRun(tmp.path, ['init', '-q', '--bare', '-b', 'main', empty]);
    const s = start({ url: empty, pullIntervalSeconds: 3600 });
    await s.syncNow();
    expect(head(empty)).toBe(head(local));
    expect(s.status()).toMatchObject({ ahead: 0, behind: 0, lastFetch: { commit: null } });
  });

  it('on a diverged history raises the critical alert, pushes nothing, keeps main; a merge on the remote resolves it', async () => {
    const s = start({ url: origin, pullIntervalSeconds: 3600 }, { alerts: undefined });
    const alerting = start({ url: origin, pullIntervalSeconds: 3600 });
    await s.close();
    const theirs = commitFiles(work, { 'policies/there.yaml': 'name: there\n' }, 'remote side');
    gitRun(work, ['push', '-q', 'origin', 'HEAD:main']);
    const mine = commitPastHook(local, { 'policies/here.yaml': 'name: here\n' }, 'local side');
    await alerting.syncNow();
    expect(head(origin)).toBe(theirs);
    expect(head(local)).toBe(mine);
    expect(alerting.status()).toMatchObject({ diverged: true, ahead: 1, behind: 1 });
    expect(raised.at(-1)).toMatchObject({ kind: 'remote-sync', subject: origin, severity: 'critical' });
    expect(logs.filter((l) => l.includes('diverged'))).toHaveLength(1);
    // The operator merges both sides on the remote; the hub then only moves forward.
    gitRun(work, ['fetch', '-q', local, 'main']);
    gitRun(work, ['merge', '-q', '--no-edit', 'FETCH_HEAD']);
    gitRun(work, ['push', '-q', 'origin', 'HEAD:main']);
    await alerting.syncNow();
    expect(head(local)).toBe(head(origin));
    expect(alerting.status()).toMatchObject({ diverged: false, ahead: 0, behind: 0 });
    expect(resolved).toContain(`remote-sync:${origin}`);
  });

  it('with push: false holds a local commit back and says it is ahead', async () => {
    const s = start({ url: origin, pullIntervalSeconds: 3600, push: false });
    const before = head(origin);
    commitPastHook(local, { 'policies/here.yaml': 'name: here\n' });
    await s.syncNow();
    expect(head(origin)).toBe(before);
    expect(s.status()).toMatchObject({ push: false, ahead: 1, behind: 0, diverged: false });
  });

  it('an unreachable remote: a warning after three failures, never the credentials; resolved once it syncs', async () => {
    const s = start({ url: 'https://user:s3cr3t-token@127.0.0.1:1/config.git', pullIntervalSeconds: 3600 });
    for (let i = 0; i < 3; i++) await s.syncNow();
    const status = s.status();
    expect(status.error).toMatchObject({ failures: 3, message: expect.stringContaining('fetch failed') });
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ severity: 'warning', subject: 'https://127.0.0.1:1/config.git' });
    const everything = JSON.stringify({ status, raised, logs });
    expect(everything).not.toContain('s3cr3t');
    expect(logs.filter((l) => l.includes('fetch failed'))).toHaveLength(1);
    load({ url: origin, pullIntervalSeconds: 3600 });
    await s.syncNow();
    expect(s.status().error).toBeNull();
    expect(resolved).toContain('remote-sync:https://127.0.0.1:1/config.git');
  });

  it('times out a git call that hangs (the whole process group is killed)', async () => {
    // An "ssh" that never answers; its unusual duration finds it among the processes afterwards.
    const s = start({ url: 'ssh://sil-test.invalid/config.git', pullIntervalSeconds: 3600 }, { env: { ...process.env, GIT_SSH_COMMAND: "sh -c 'sleep 37.25' --" }, timeouts: { networkMs: 400 } });
    const t0 = performance.now();
    await s.syncNow();
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(s.status().error?.message).toBe('fetch timed out after 0.4 s');
    await new Promise((r) => setTimeout(r, 100));
    const sleeping = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('37.25'); } catch { return false; }
    });
    expect(sleeping).toEqual([]);
  });

  it('close() kills a fetch in flight instead of waiting for its timeout', async () => {
    const s = start({ url: 'ssh://sil-test.invalid/config.git', pullIntervalSeconds: 3600 }, { env: { ...process.env, GIT_SSH_COMMAND: "sh -c 'sleep 41.75' --" }, timeouts: { networkMs: 60_000 } });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    await s.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(logs.some((l) => l.includes('failed') || l.includes('timed out'))).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    const sleeping = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('41.75'); } catch { return false; }
    });
    expect(sleeping).toEqual([]);
  });

  it('coalesces a burst of triggers into one fetch', async () => {
    const s = start({ url: origin, pullIntervalSeconds: 3600 }, { triggerDelayMs: 50 });
    await s.syncNow();
    const before = s.fetches;
    for (let i = 0; i < 20; i++) s.trigger();
    await new Promise((r) => setTimeout(r, 60));
    await s.syncNow();
    // the burst's fetch, then the one syncNow asked for
    expect(s.fetches - before).toBeLessThanOrEqual(2);
    const after = s.fetches;
    for (let i = 0; i < 20; i++) s.trigger();
    for (let i = 0; i < 100 && s.fetches === after; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 150));
    expect(s.fetches - after).toBe(1);
  });

  it('fetches on its interval, with jitter, and stops when remote: is removed', async () => {
    const s = start({ url: origin, pullIntervalSeconds: 1 }, { random: () => 0 });
    await s.syncNow();
    const before = s.fetches;
    await new Promise((r) => setTimeout(r, 2100));
    expect(s.fetches - before).toBeGreaterThanOrEqual(2);
    load(null);
    const stopped = s.fetches;
    await new Promise((r) => setTimeout(r, 1200));
    expect(s.fetches).toBe(stopped);
    expect(s.status()).toMatchObject({ url: null, trigger: false });
    expect(s.triggerSecret()).toBeUndefined();
  });
});
