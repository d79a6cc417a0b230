// The whole owner side through the real hub (server/main.ts wiring): the setup link, setup with
// TOTP, a CSRF-protected change through the admin API that lands as a signed commit stock git
// verifies, the proxy door untouched by the console's middleware, and the audit log recording it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { setupLinkLine } from '../../../server/api/owner/setup-link.ts';
import { totpCode } from '../../../server/api/owner/totp.ts';
import { allowedSignerLine } from '../../../server/config/allowed-signers.ts';
import { loadSigningKey } from '../../../server/vault/signing-key.ts';
import { Browser } from './owner-app.ts';

let hub: TestHub;
let browser: Browser;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  hub = await startTestHub();
  browser = new Browser(hub.url);
});
afterAll(async () => {
  await hub?.stop();
});

describe('the owner side of a running hub', () => {
  it('refuses the admin API without a session, with security headers on', async () => {
    const res = await fetch(`${hub.url}/api/providers`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sets the owner up from the printed link and takes a change only with the CSRF token', async () => {
    const printed = await setupLinkLine({ dataDir: join(hub.dir, 'data'), url: hub.url });
    const token = /\/setup#(\S+)/.exec(printed ?? '')?.[1];
    expect(token).toBeTruthy();
    await browser.get('/api/session');
    const start = await browser.post('/api/setup/start', { token });
    expect(start.status).toBe(200);
    const done = await browser.post('/api/setup/complete', { token, password: PASSWORD, totp: totpCode(start.body.totpSecret, Date.now()) });
    expect(done.status).toBe(200);
    expect(done.setCookies.join('\n')).toMatch(/sil_session=[^;]+;.*HttpOnly/i);
    await browser.get('/api/session');

    const listed = await browser.get('/api/providers');
    expect(listed.status).toBe(200);
    const provider = { id: 'openai-main', template: 'openai', environment: 'prod', connection: { baseUrl: 'http://127.0.0.1:9/v1' } };
    const forged = await browser.request('POST', '/api/providers', { json: { base: listed.body.commit, provider }, csrf: false });
    expect(forged.status).toBe(403);
    const added = await browser.post('/api/providers', { base: listed.body.commit, provider });
    expect(added.status, JSON.stringify(added.body)).toBe(201);

    const metadata = await browser.post('/api/providers', { base: added.body.commit, provider: { ...provider, id: 'sneaky', connection: { baseUrl: 'http://169.254.169.254/latest' } } });
    expect(metadata.status).toBe(400);
    expect(metadata.body.error.code).toBe('SIL_BASE_URL_FORBIDDEN');
    // By name too, without asking DNS (which does not know metadata.google.internal off GCP).
    const named = await browser.post('/api/providers', { base: added.body.commit, provider: { ...provider, id: 'sneaky', connection: { baseUrl: 'http://metadata.google.internal/computeMetadata/v1' } } });
    expect(named.status).toBe(400);
    expect(named.body.error).toMatchObject({ code: 'SIL_BASE_URL_FORBIDDEN', message: expect.stringMatching(/metadata\.google\.internal is the metadata service's name/) });

    // The commit is signed by the hub's key: stock git accepts it.
    const signers = join(hub.dir, 'allowed_signers');
    const key = await loadSigningKey(join(hub.dir, 'data', 'keys', 'signing'));
    writeFileSync(signers, `${allowedSignerLine('owner@localhost', key.publicKey)}\n`);
    const out = execFileSync('git', ['--git-dir', hub.gitdir, '-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${signers}`, 'verify-commit', added.body.commit], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
    const log = execFileSync('git', ['--git-dir', hub.gitdir, 'log', '-1', '--format=%an <%ae>|%s', added.body.commit], { encoding: 'utf8' }).trim();
    expect(log).toBe('owner <owner@localhost>|providers: add openai-main (openai)');
  });

  it('leaves the proxy doors to the proxy (no console middleware, no session needed)', async () => {
    const res = await fetch(`${hub.url}/v1/models`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SIL_PROXY_UNAUTHENTICATED');
    expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it('records setup, the refused token and the config changes in a chain that verifies', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const page = await hub.auditLog.page({ limit: 100 });
    const types = page.entries.map((e) => e.type);
    for (const t of ['hub.started', 'setup.completed', 'token.denied', 'config.loaded']) expect(types).toContain(t);
    expect((await hub.auditLog.verify()).report.ok).toBe(true);
  });

  it('pages through the audit log and the config history through the API', async () => {
    const first = await browser.get('/api/audit?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0].seq).toBeGreaterThan(first.body.entries[1].seq);
    const older = await browser.get(`/api/audit?limit=500&before=${first.body.next}`);
    expect(older.body.entries[0].seq).toBe(first.body.entries[1].seq - 1);
    const denied = await browser.get('/api/audit?type=token.denied');
    expect(denied.body.entries.every((e: { type: string }) => e.type === 'token.denied')).toBe(true);
    expect((await browser.get('/api/audit/verify')).body).toMatchObject({ ok: true });
    const history = await browser.get('/api/history?limit=5');
    expect(history.body.commits[0]).toMatchObject({ subject: 'providers: add openai-main (openai)', signature: { status: 'good' } });
    const text = JSON.stringify([first.body, older.body, history.body]);
    expect(text).not.toContain(PASSWORD);
  });
});
