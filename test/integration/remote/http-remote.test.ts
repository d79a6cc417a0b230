// The same sync over git's smart HTTP transport (what https remotes speak): the remote is served
// by `git http-backend` behind a node http server on 127.0.0.1; two hubs made with
// `sil init --from http://...` fetch and push through it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { dirname } from 'node:path';
import { setUpRemote, waitLive, sign, trigger, type Instance, type RemoteSetup } from './remote-fixture.ts';
import { startGitHttpServer, type GitHttpServer } from './git-http-server.ts';

const SECRET = 'http-sync-secret-0123456789';

describe('remote sync over http (git http-backend)', () => {
  let http: GitHttpServer;
  let setup: RemoteSetup;
  let a: Instance;
  let b: Instance;
  let url: string;
  const figures: string[] = [];

  beforeAll(async () => {
    process.env.SIL_SYNC_SECRET = SECRET;
    let root = '';
    setup = await setUpRemote(3600, (bare) => {
      root = dirname(bare);
      return `http://127.0.0.1:PORT/remote.git`;
    });
    http = await startGitHttpServer(root);
    url = `${http.url}/remote.git`;
    // sil.yaml names the server's real port.
    setup.push({ 'sil.yaml': setup.settings().replace('http://127.0.0.1:PORT/remote.git', url) }, 'follow the remote over http');
    a = await setup.start('a', url);
    b = await setup.start('b', url);
  });
  afterAll(async () => {
    delete process.env.SIL_SYNC_SECRET;
    if (figures.length) console.log(`remote sync over http:\n  ${figures.join('\n  ')}`);
    await setup?.stop();
    await http?.close();
  });

  it('sil init --from an http URL cloned the remote', () => {
    expect(a.hub.live.snapshot!.commit).toBe(setup.remoteHead());
    expect(a.hub.remoteSync.status()).toMatchObject({ url, branch: 'main' });
    expect(http.requests).toBeGreaterThan(0);
  });

  it('a push to the remote reaches both hubs over http on the trigger', async () => {
    const c = setup.push({ 'policies/over-http.yaml': 'name: over-http\nrateLimit: { requests: 1, per: second }\n' });
    const t0 = performance.now();
    const body = '{}';
    const answers = await Promise.all([a, b].map((i) => trigger(i.hub.url, body, { 'x-hub-signature-256': sign(SECRET, body) })));
    expect(answers.map((r) => r.status)).toEqual([202, 202]);
    const took = await waitLive([a.hub, b.hub], c, t0, 5000);
    figures.push(`trigger → live over http: hub A ${took[0]} ms, hub B ${took[1]} ms`);
  });

  it('a commit made on hub A is pushed over http and reaches hub B', async () => {
    const before = http.requests;
    const t0 = performance.now();
    const mine = await a.hub.writer.commit({ base: null, changes: { 'policies/from-a.yaml': 'name: from-a\nrateLimit: { requests: 2, per: second }\n' }, message: 'from hub A', author: { name: 'Owner', email: 'owner@example.test' } });
    await a.hub.reloader.check();
    for (let i = 0; i < 500 && a.hub.remoteSync.status().lastPush?.commit !== mine.commit; i++) await new Promise((r) => setTimeout(r, 10));
    expect(setup.remoteHead()).toBe(mine.commit);
    const pushedMs = Math.round(performance.now() - t0);
    expect(http.requests).toBeGreaterThan(before);
    expect(a.hub.remoteSync.status()).toMatchObject({ lastPush: { commit: mine.commit }, error: null });
    const body = '{}';
    await trigger(b.hub.url, body, { 'x-gitlab-token': SECRET });
    const took = await waitLive([b.hub], mine.commit, t0, 5000);
    figures.push(`commit on A → on the remote over http ${pushedMs} ms, live on B (trigger) ${took[0]} ms`);
  });

  it('an http remote that is down: three failed syncs in a row raise the warning', async () => {
    await http.close();
    for (let i = 0; i < 3; i++) await b.hub.remoteSync.syncNow();
    const status = b.hub.remoteSync.status();
    expect(status.error).toMatchObject({ failures: 3, message: expect.stringContaining('fetch failed') });
    expect(b.hub.alerts.get(`remote-sync:${url}`)).toMatchObject({ severity: 'warning', state: 'firing' });
  });
});
