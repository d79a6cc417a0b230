// Two real hubs follow one remote config repository (a bare repository on disk, real git CLI):
// commits pushed by plain git reach both within seconds (on the interval, and at once with the
// signed trigger); a console commit on hub A is pushed and reaches hub B; a diverged history
// raises the critical alert without touching the remote; an invalid remote commit never goes
// live; the trigger refuses bad signatures; GET /api/remote is what openapi.json describes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openApiChecker } from '../../helpers/openapi-check.ts';
import { gitRun } from '../../helpers/git.ts';
import { Browser, signedInOwner } from '../api/owner-app.ts';
import { setUpRemote, waitLive, sign, trigger, type Instance, type RemoteSetup } from './remote-fixture.ts';

const SECRET = 'sync-secret-for-tests-0123456789';
const policy = (name: string) => `name: ${name}\nrateLimit: { requests: 10, per: minute }\n`;

describe('two hubs following one remote', () => {
  let setup: RemoteSetup;
  let a: Instance;
  let b: Instance;
  let owner: Browser;
  const figures: string[] = [];
  const signed = (hubUrl: string, body = '{"ref":"refs/heads/main"}') => trigger(hubUrl, body, { 'x-hub-signature-256': sign(SECRET, body) });

  beforeAll(async () => {
    process.env.SIL_SYNC_SECRET = SECRET;
    setup = await setUpRemote(1);
    a = await setup.start('a');
    b = await setup.start('b');
    owner = await signedInOwner(a.hub.url, a.dataDir);
  });
  afterAll(async () => {
    delete process.env.SIL_SYNC_SECRET;
    if (figures.length) console.log(`remote sync figures:\n  ${figures.join('\n  ')}`);
    await setup?.stop();
  });

  it('sil init --from cloned the remote and says what is left to do', () => {
    expect(gitRun(a.hub.gitdir, ['rev-parse', 'refs/heads/main'])).toBe(setup.remoteHead());
    const out = b.initOutput.join('\n');
    expect(out).toContain(`from ${setup.remote} main`);
    expect(out).toContain('sil recipients add age1');
    expect(out).toContain('SIL_SYNC_SECRET');
    expect(b.hub.remoteSync.status()).toMatchObject({ url: setup.remote, branch: 'main', push: true, pullIntervalSeconds: 1, trigger: true });
  });

  it('a commit pushed to the remote by plain git goes live on both hubs within seconds (pull interval 1 s)', async () => {
    const t0 = performance.now();
    const c = setup.push({ 'policies/first.yaml': policy('first') });
    const took = await waitLive([a.hub, b.hub], c, t0, 8000);
    figures.push(`plain git push → live, interval 1 s: hub A ${took[0]} ms, hub B ${took[1]} ms`);
    expect(Math.max(...took)).toBeLessThan(5000);
  });

  it('a console commit on hub A is pushed to the remote at once and reaches hub B', async () => {
    const base = (await owner.get('/api/policies')).body.commit as string;
    const t0 = performance.now();
    const answer = await owner.post('/api/policies', { base, policy: { name: 'from-console', rateLimit: { requests: 5, per: 'minute' } } });
    expect(answer.status).toBe(201);
    const commit = answer.body.commit as string;
    for (let i = 0; i < 500 && a.hub.remoteSync.status().lastPush?.commit !== commit; i++) await new Promise((r) => setTimeout(r, 10));
    const pushedMs = Math.round(performance.now() - t0);
    expect(setup.remoteHead()).toBe(commit);
    const took = await waitLive([b.hub], commit, t0, 5000);
    figures.push(`console commit on A → on the remote ${pushedMs} ms, live on B ${took[0]} ms (interval 1 s)`);
    expect(pushedMs).toBeLessThan(3000);
    expect(a.hub.remoteSync.status()).toMatchObject({ lastPush: { commit }, ahead: 0, behind: 0 });
  });

  it('GET /api/remote answers the sync status as openapi.json describes it', async () => {
    const validate = openApiChecker((await owner.get('/api/openapi.json')).body);
    await a.hub.remoteSync.syncNow();
    const res = await owner.get('/api/remote');
    expect(res.status).toBe(200);
    validate('RemoteStatus', res.body);
    expect(res.body).toMatchObject({ url: setup.remote, branch: 'main', diverged: false, error: null, ahead: 0, behind: 0, trigger: true });
    expect(res.body.lastFetch.commit).toBe(setup.remoteHead());
  });

  it('with a long interval, the signed trigger makes both hubs fetch at once; a burst is one fetch', async () => {
    const slow = setup.push({ 'sil.yaml': setup.settings().replace('pullIntervalSeconds: 1', 'pullIntervalSeconds: 3600') }, 'pull hourly');
    await waitLive([a.hub, b.hub], slow, performance.now(), 5000);
    await Promise.all([a.hub.remoteSync.syncNow(), b.hub.remoteSync.syncNow()]);
    expect(b.hub.remoteSync.status().pullIntervalSeconds).toBe(3600);

    const t0 = performance.now();
    const c = setup.push({ 'policies/triggered.yaml': policy('triggered') });
    const pushedAt = performance.now();
    const answers = await Promise.all([signed(a.hub.url), signed(b.hub.url)]);
    expect(answers.map((r) => r.status)).toEqual([202, 202]);
    expect(await answers[0].json()).toEqual({ accepted: true });
    const took = await waitLive([a.hub, b.hub], c, pushedAt, 5000);
    figures.push(`plain git push + signed trigger → live (interval 3600 s): hub A ${took[0]} ms, hub B ${took[1]} ms (the push itself ${Math.round(pushedAt - t0)} ms)`);
    // The interval is an hour: only the trigger explains this (a few hundred ms when the machine is idle).
    expect(Math.max(...took)).toBeLessThan(3000);

    await b.hub.remoteSync.syncNow();
    const before = b.hub.remoteSync.fetches;
    const burst = await Promise.all(Array.from({ length: 10 }, () => signed(b.hub.url)));
    expect(burst.every((r) => r.status === 202)).toBe(true);
    for (let i = 0; i < 200 && b.hub.remoteSync.fetches === before; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));
    expect(b.hub.remoteSync.fetches - before).toBe(1);
  });

  it('the trigger refuses a missing or wrong signature (401), takes GitLab\'s token, and is closed without the secret (404)', async () => {
    const body = '{"ref":"refs/heads/main"}';
    const none = await trigger(a.hub.url, body, {});
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('SIL_SYNC_SIGNATURE');
    expect((await trigger(a.hub.url, body, { 'x-hub-signature-256': sign('wrong-secret', body) })).status).toBe(401);
    expect((await trigger(a.hub.url, `${body} `, { 'x-hub-signature-256': sign(SECRET, body) })).status).toBe(401);
    expect((await trigger(a.hub.url, body, { 'x-gitlab-token': SECRET })).status).toBe(202);
    expect((await trigger(a.hub.url, body, { 'x-gitlab-token': 'nope' })).status).toBe(401);
    const get = await fetch(`${a.hub.url}/sync/trigger`);
    expect(get.status).toBe(405);
    const big = 'x'.repeat(1024 * 1024 + 10);
    expect((await trigger(a.hub.url, big, { 'x-hub-signature-256': sign(SECRET, big) })).status).toBe(413);
    delete process.env.SIL_SYNC_SECRET;
    try {
      const closed = await trigger(a.hub.url, body, { 'x-hub-signature-256': sign(SECRET, body) });
      expect(closed.status).toBe(404);
      expect(((await closed.json()) as { error: { code: string } }).error.code).toBe('SIL_SYNC_NOT_CONFIGURED');
    } finally {
      process.env.SIL_SYNC_SECRET = SECRET;
    }
    expect(a.logs.filter((l) => l.includes('refused a sync trigger'))).toHaveLength(1);
  });

  it('an invalid commit on the remote does not go live; the fix forward does', async () => {
    const good = a.hub.live.snapshot!.commit;
    const bad = setup.push({ 'bindings/bad.yaml': 'name: bad\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: no-such-provider }\n' }, 'a broken binding');
    await Promise.all([signed(a.hub.url), signed(b.hub.url)]);
    for (let i = 0; i < 500 && !(a.hub.live.error?.commit === bad && b.hub.live.error?.commit === bad); i++) await new Promise((r) => setTimeout(r, 10));
    for (const i of [a, b]) {
      expect(i.hub.live.error?.commit).toBe(bad);
      expect(i.hub.live.snapshot!.commit).toBe(good);
      expect(gitRun(i.hub.gitdir, ['rev-parse', 'refs/heads/main'])).toBe(bad);
      expect(i.logs.some((l) => l.includes(`rejected commit ${bad.slice(0, 7)}`))).toBe(true);
      expect(i.logs.some((l) => l.includes(`fetched commit ${bad.slice(0, 7)} is invalid`))).toBe(true);
      expect(((await (await fetch(`${i.hub.url}/healthz`)).json()) as { status: string }).status).toBe('degraded');
    }
    const fixed = setup.push({ 'bindings/bad.yaml': null }, 'fix forward');
    await Promise.all([signed(a.hub.url), signed(b.hub.url)]);
    await waitLive([a.hub, b.hub], fixed, performance.now(), 5000);
  });

  it('a diverged history raises the critical alert on the hub, leaves the remote as it was, and resolves after a merge there', async () => {
    await Promise.all([a.hub.remoteSync.syncNow(), b.hub.remoteSync.syncNow()]);
    const theirs = setup.push({ 'policies/remote-side.yaml': policy('remote-side') }, 'remote side');
    // Hub B commits before it has fetched (its interval is an hour): a history of its own.
    const mine = await b.hub.writer.commit({ base: null, changes: { 'policies/b-side.yaml': policy('b-side') }, message: 'b side', author: { name: 'Owner', email: 'owner@example.test' } });
    await b.hub.reloader.check();
    const id = `remote-sync:${setup.remote}`;
    for (let i = 0; i < 500 && b.hub.alerts.get(id)?.state !== 'firing'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(b.hub.alerts.get(id)).toMatchObject({ kind: 'remote-sync', severity: 'critical', state: 'firing' });
    expect(setup.remoteHead()).toBe(theirs);
    expect(b.hub.live.snapshot!.commit).toBe(mine.commit);
    expect(b.hub.remoteSync.status()).toMatchObject({ diverged: true, ahead: 1, behind: 1 });
    expect(b.logs.some((l) => l.includes('have diverged'))).toBe(true);
    // Another sync changes nothing: still no push, still diverged.
    await b.hub.remoteSync.syncNow();
    expect(setup.remoteHead()).toBe(theirs);

    // The operator merges hub B's commit into the remote; B then only moves forward.
    gitRun(setup.work, ['pull', '-q', '--ff-only', 'origin', 'main']);
    gitRun(setup.work, ['fetch', '-q', b.hub.gitdir, 'main']);
    gitRun(setup.work, ['merge', '-q', '--no-edit', 'FETCH_HEAD']);
    gitRun(setup.work, ['push', '-q', 'origin', 'HEAD:main']);
    const merged = setup.remoteHead();
    await Promise.all([signed(a.hub.url), signed(b.hub.url)]);
    await waitLive([a.hub, b.hub], merged, performance.now(), 5000);
    await b.hub.remoteSync.syncNow();
    expect(b.hub.alerts.get(id)?.state).toBe('resolved');
    expect(b.hub.remoteSync.status()).toMatchObject({ diverged: false, ahead: 0, behind: 0 });
    expect(a.hub.alerts.get(id)).toBeUndefined();
  });
});
