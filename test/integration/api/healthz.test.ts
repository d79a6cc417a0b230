// /healthz keeps the rejected commit's messages (they name files and values) for callers on this
// machine; anyone else sees the status, the commits and the counts. The owner reads the messages
// at /api/status.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { clone, commitFiles, commitPastHook, gitRun } from '../../helpers/git.ts';
import { MINIMAL } from '../../helpers/config-files.ts';
import { setupLinkLine } from '../../../server/api/owner/setup-link.ts';
import { totpCode } from '../../../server/api/owner/totp.ts';
import { Browser } from './owner-app.ts';

const PROBLEM = /^bindings\/chat\.yaml:7:15: target provider "openai-gone" does not exist/;

describe('/healthz and the rejected commit\'s messages', () => {
  let hub: TestHub;
  let bad: string;
  let good: string;

  beforeAll(async () => {
    hub = await startTestHub();
    const work = clone(hub.gitdir, join(hub.dir, 'work'));
    // The hub's own address is a trusted proxy: a request can say it relays another client.
    good = commitFiles(work, { ...MINIMAL, 'sil.yaml': `${MINIMAL['sil.yaml']}security:\n  trustedProxies: ["127.0.0.1"]\n` }, 'config behind a proxy');
    gitRun(work, ['push', '-q', 'origin', 'main']);
    await hub.waitFor((b) => b.config.commit === good);
    bad = commitPastHook(hub.gitdir, { 'bindings/chat.yaml': MINIMAL['bindings/chat.yaml'].replace('openai-main', 'openai-gone') });
    const { body } = await hub.waitFor((b) => b.config.error?.commit === bad);
    expect(body.config.error?.commit).toBe(bad);
  });
  afterAll(() => hub?.stop());

  const healthFrom = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${hub.url}/healthz`, { headers });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('gives a loopback caller the messages', async () => {
    const { status, body } = await healthFrom();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.config.error).toEqual({ commit: bad, at: expect.any(String), errors: 1, messages: [expect.stringMatching(PROBLEM)] });
  });

  it('gives another caller status, commits and counts, without the messages', async () => {
    const { status, body } = await healthFrom({ 'x-forwarded-for': '203.0.113.9' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', config: { commit: good, providers: 1, bindings: 1, warnings: 0 } });
    expect(body.config.error).toEqual({ commit: bad, at: expect.any(String), errors: 1 });
    expect(JSON.stringify(body)).not.toContain('openai-gone');
  });

  it('gives the owner the messages at /api/status', async () => {
    const browser = new Browser(hub.url);
    const token = /\/setup#(\S+)/.exec((await setupLinkLine({ dataDir: join(hub.dir, 'data'), url: hub.url })) ?? '')?.[1];
    await browser.get('/api/session');
    const start = await browser.post('/api/setup/start', { token });
    expect(start.status).toBe(200);
    const done = await browser.post('/api/setup/complete', { token, password: 'correct horse battery staple', totp: totpCode(start.body.totpSecret, Date.now()) });
    expect(done.status).toBe(200);
    await browser.get('/api/session');

    // From the same outside address that /healthz kept the messages from.
    const status = await browser.request('GET', '/api/status', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(status.status).toBe(200);
    expect(status.body.rejected).toMatchObject({ commit: bad, messages: [expect.stringMatching(PROBLEM)] });
    expect((await fetch(`${hub.url}/api/status`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(401);
  });
});
