// Owner authentication and the defences, over real HTTP against a running server.
import { describe, it, expect, afterEach } from 'vitest';
import { setupLinkLine } from '../../../server/api/owner/setup-link.ts';
import { totpCode } from '../../../server/api/owner/totp.ts';
import { caught } from '../../helpers/caught.ts';
import { ownerCommand } from '../../../server/cli/owner.ts';
import { parseCommandArgs, type Io } from '../../../server/cli/command.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, PASSWORD, login, setUpOwner, startApp, type TestApp } from './owner-app.ts';

const apps: TestApp[] = [];
afterEach(async () => { await Promise.all(apps.splice(0).map((a) => a.stop())); });
async function app(security: Record<string, unknown> = {}): Promise<TestApp> {
  const a = await startApp(security);
  apps.push(a);
  return a;
}
async function tokenOf(a: TestApp): Promise<string> {
  const text = await setupLinkLine({ dataDir: a.dataDir, url: a.url, now: new Date(a.clock.now) });
  const m = /\/setup#([A-Za-z0-9_-]{43})/.exec(text ?? '');
  if (!m) throw new Error(`no setup link in ${text}`);
  return m[1];
}
/** An app with its owner set up; returns a logged-in browser and the TOTP secret. */
async function ownedApp(security: Record<string, unknown> = {}) {
  const a = await app(security);
  const browser = new Browser(a.url);
  const secret = await setUpOwner(a, browser, await tokenOf(a));
  return { a, browser, secret };
}

describe('owner setup and login', () => {
  it('first run: the one-time link sets the password and TOTP, and logs in', async () => {
    const a = await app();
    const text = await setupLinkLine({ dataDir: a.dataDir, url: a.url, now: new Date(a.clock.now) });
    expect(text).toContain(`${a.url}/setup#`);
    const token = /#([\w-]+)/.exec(text!)![1];
    const b = new Browser(a.url);

    const s = await b.get('/api/session');
    expect(s.status).toBe(200);
    expect(s.body).toEqual({ authenticated: false, setupNeeded: true, csrfToken: expect.stringMatching(/^[\w-]{43}$/) });
    expect(s.setCookies[0]).toMatch(/^sil_presession=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);

    expect((await b.post('/api/setup/start', { token: 'x'.repeat(43) })).body.error.code).toBe('SIL_SETUP_TOKEN');
    const start = await b.post('/api/setup/start', { token });
    expect(start.status).toBe(200);
    expect(start.body.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(start.body.otpauthUri).toBe(`otpauth://totp/sil:owner?secret=${start.body.totpSecret}&issuer=sil`);
    expect(start.body.qrSvg).toMatch(/^<svg/);
    const secret = start.body.totpSecret;

    const weak = await b.post('/api/setup/complete', { token, password: 'too short', totp: totpCode(secret, a.clock.now) });
    expect([weak.status, weak.body.error.code]).toEqual([400, 'SIL_PASSWORD_WEAK']);
    const wrongCode = await b.post('/api/setup/complete', { token, password: PASSWORD, totp: totpCode(secret, a.clock.now + 120_000) });
    expect([wrongCode.status, wrongCode.body.error.code]).toEqual([401, 'SIL_LOGIN_FAILED']);
    expect((await b.get('/api/things')).status).toBe(401);

    const done = await b.post('/api/setup/complete', { token, password: PASSWORD, totp: totpCode(secret, a.clock.now) });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ authenticated: true, setupNeeded: false, csrfToken: expect.any(String) });
    const cookie = done.setCookies.find((c) => c.startsWith('sil_session='))!;
    expect(cookie).toMatch(/^sil_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(done.setCookies.some((c) => /^sil_presession=;.*Max-Age=0/.test(c))).toBe(true);

    expect(await b.get('/api/things')).toMatchObject({ status: 200, body: { things: [] } });
    expect((await b.get('/api/session')).body).toMatchObject({ authenticated: true, setupNeeded: false, session: { idleMinutes: 30 } });
    // the link is used up
    const again = await new Browser(a.url).post('/api/setup/start', { token });
    expect(again.status).toBe(403); // no CSRF token in a fresh browser
    const fresh = new Browser(a.url);
    await fresh.get('/api/session');
    expect((await fresh.post('/api/setup/start', { token })).body.error.code).toBe('SIL_SETUP_DONE');
    expect(a.audit.map((e) => e.type)).toEqual(['setup.failed', 'setup.started', 'setup.completed']);
    expect(await setupLinkLine({ dataDir: a.dataDir, url: a.url })).toBeNull();
  });

  it('every API route but setup, login and session needs the session (401)', async () => {
    const { a } = await ownedApp();
    const b = new Browser(a.url);
    for (const path of ['/api/things', '/api/providers', '/api', '/api/setupx']) {
      const r = await b.get(path);
      expect([path, r.status, r.body.error.code]).toEqual([path, 401, 'SIL_SESSION_REQUIRED']);
    }
    await b.get('/api/session');
    const post = await b.post('/api/things', { a: 1 });
    expect([post.status, post.body.error.code]).toEqual([401, 'SIL_SESSION_REQUIRED']);
    expect((await b.get('/api/session')).status).toBe(200);
    // a forged cookie is no session, and GET /api/session tells the browser to forget it
    b.cookies.set('sil_session', 'A'.repeat(43));
    expect((await b.get('/api/things')).status).toBe(401);
    await b.get('/api/session');
    expect(b.cookies.has('sil_session')).toBe(false);
  });

  it('logs in with password and TOTP; rotates the session; a used code is refused', async () => {
    const { a, browser: first, secret } = await ownedApp();
    const second = new Browser(a.url);
    const r = await login(a, second, secret);
    expect(r.status).toBe(200);
    expect(r.setCookies.find((c) => c.startsWith('sil_session='))).toMatch(/HttpOnly; SameSite=Strict/);
    expect(second.cookies.get('sil_session')).not.toBe(first.cookies.get('sil_session'));
    expect((await second.get('/api/things')).status).toBe(200);
    // rotation: the earlier session ended
    expect((await first.get('/api/things')).status).toBe(401);
    // the same code again (same 30 s step) is refused
    const third = new Browser(a.url);
    await third.get('/api/session');
    const replay = await third.post('/api/login', { password: PASSWORD, totp: totpCode(secret, a.clock.now) });
    expect([replay.status, replay.body.error.code]).toEqual([401, 'SIL_LOGIN_FAILED']);
    expect(a.audit.at(-1)).toMatchObject({ type: 'login.failed', ip: '127.0.0.1', detail: { reason: 'code-replayed' } });
  });

  it('ends sessions after sessionIdleMinutes idle and sessionMaxHours in all; logout ends one', async () => {
    const { a, browser, secret } = await ownedApp({ sessionIdleMinutes: 5, sessionMaxHours: 1 });
    a.clock.advance(4 * 60_000);
    expect((await browser.get('/api/things')).status).toBe(200);
    a.clock.advance(5 * 60_000 + 1);
    expect((await browser.get('/api/things')).status).toBe(401);
    expect(a.audit.at(-1)).toMatchObject({ type: 'session.expired', actor: 'owner', ip: '127.0.0.1', detail: { reason: 'idle' } });

    expect((await login(a, browser, secret)).status).toBe(200);
    for (let i = 0; i < 14; i++) {
      a.clock.advance(4 * 60_000);
      expect((await browser.get('/api/things')).status).toBe(200);
    }
    a.clock.advance(4.5 * 60_000); // 60.5 minutes after login
    expect((await browser.get('/api/things')).status).toBe(401);
    expect(a.audit.at(-1)).toMatchObject({ type: 'session.expired', detail: { reason: 'max-age' } });

    expect((await login(a, browser, secret)).status).toBe(200);
    const out = await browser.post('/api/logout');
    expect(out.status).toBe(200);
    expect(out.setCookies[0]).toMatch(/^sil_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/);
    expect(browser.cookies.has('sil_session')).toBe(false);
    expect(a.audit.at(-1)?.type).toBe('logout');
  });

  it('`sil owner reset` removes the owner and its sessions, and prints a new link', async () => {
    const { a, browser } = await ownedApp();
    // A locked-out login (5 failures) is lifted by the reset in the running hub too.
    const guesser = new Browser(a.url);
    await guesser.get('/api/session');
    for (let i = 1; i <= 5; i++) {
      await guesser.post('/api/login', { password: `wrong password ${i}`, totp: '000000' });
      a.clock.advance(8000);
    }
    expect((await guesser.post('/api/login', { password: PASSWORD, totp: '000000' })).body.error.code).toBe('SIL_LOGIN_LOCKED');
    mkdirSync(join(a.dataDir, 'config.git'), { recursive: true });
    writeFileSync(join(a.dataDir, 'config.git', 'HEAD'), 'ref: refs/heads/main\n');
    const out: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l), stdin: process.stdin, env: {} };
    expect(parseCommandArgs(ownerCommand, ['reset', '--data', a.dataDir]).positionals).toEqual(['reset']);
    expect(await ownerCommand.run({ data: a.dataDir, url: a.url }, ['reset'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/owner account removed; every session ended/);
    const token = new RegExp(`${a.url.replace(/[.[\]]/g, '\\$&')}/setup#([\\w-]{43})`).exec(out.join('\n'))![1];

    expect((await browser.get('/api/things')).status).toBe(401);
    expect(a.audit.slice(-2).map((e) => e.type)).toEqual(['owner.reset', 'session.expired']);
    expect((await browser.get('/api/session')).body).toMatchObject({ authenticated: false, setupNeeded: true });
    const secret = await setUpOwner(a, new Browser(a.url), token);
    const after = new Browser(a.url);
    await after.get('/api/session');
    expect((await login(a, after, secret)).status).toBe(200); // from the address that was locked out

    out.length = 0;
    expect(await ownerCommand.run({ data: a.dataDir }, ['status'], io)).toBe(0);
    expect(out[0]).toMatch(/^owner: set up /);
    expect((await caught(ownerCommand.run({ data: a.dataDir }, ['nope'], io))).code).toBe('SIL_USAGE');
    expect((await caught(ownerCommand.run({ data: a.dataDir, url: a.url }, ['status'], io))).message).toMatch(/status does not take --url/);
    expect((await caught(ownerCommand.run({ data: join(a.dataDir, 'nowhere') }, ['reset'], io))).code).toBe('SIL_DATA_DIR');
  });
});

describe('defences', () => {
  it('refuses a state-changing request without the CSRF defence (403)', async () => {
    const { a, browser } = await ownedApp();
    const noHeader = await browser.request('POST', '/api/things', { json: { a: 1 }, csrf: false });
    expect([noHeader.status, noHeader.body.error.code]).toEqual([403, 'SIL_CSRF']);
    const wrong = await browser.request('POST', '/api/things', { json: { a: 1 }, headers: { 'x-sil-csrf': 'A'.repeat(43) } });
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'SIL_CSRF']);
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      expect((await browser.request(method, '/api/things', { json: {}, csrf: false })).status).toBe(403);
    }
    const evil = await browser.request('POST', '/api/things', { json: { a: 1 }, headers: { origin: 'https://evil.example' } });
    expect([evil.status, evil.body.error.code]).toEqual([403, 'SIL_CSRF']);
    expect((await browser.request('POST', '/api/things', { json: {}, headers: { origin: 'null' } })).status).toBe(403);
    expect((await browser.request('POST', '/api/things', { json: {}, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await browser.request('POST', '/api/logout', { csrf: false })).status).toBe(403);
    // the login form needs it too (login CSRF)
    const anon = new Browser(a.url);
    expect((await anon.post('/api/login', { password: PASSWORD, totp: '000000' })).body.error.code).toBe('SIL_CSRF');
    // with the token, same origin: accepted
    const ok = await browser.request('POST', '/api/things', { json: { a: 1 }, headers: { origin: a.url, 'sec-fetch-site': 'same-origin' } });
    expect(ok).toMatchObject({ status: 200, body: { got: { a: 1 } } });
    expect((await browser.request('DELETE', '/api/things')).status).toBe(204);
    // another browser's token does not fit this session
    const other = new Browser(a.url);
    await other.get('/api/session');
    expect((await browser.request('POST', '/api/things', { json: {}, headers: { 'x-sil-csrf': other.csrf! } })).status).toBe(403);
    // behind a reverse proxy the browser's origin is the proxy's name: X-Forwarded-Host counts, from a trusted proxy only
    const proxied = { origin: 'https://sil.example.com', 'x-forwarded-host': 'sil.example.com' };
    expect((await browser.request('POST', '/api/things', { json: {}, headers: proxied })).status).toBe(403);
    a.setSecurity({ trustedProxies: ['127.0.0.1'] });
    expect((await browser.request('POST', '/api/things', { json: {}, headers: proxied })).status).toBe(200);
  });

  it('throttles wrong passwords, then locks the client out (correct passwords too), then lets it in', async () => {
    const { a, secret } = await ownedApp({ trustedProxies: ['127.0.0.1'] });
    const b = new Browser(a.url);
    const from = { 'x-forwarded-for': '198.51.100.7' };
    await b.get('/api/session');
    const attempt = (password: string) => b.post('/api/login', { password, totp: totpCode(secret, a.clock.now) }, from);

    expect((await attempt('wrong password 1')).body.error.code).toBe('SIL_LOGIN_FAILED');
    expect((await attempt('wrong password 2')).status).toBe(401);
    const throttled = await attempt('wrong password 3');
    expect([throttled.status, throttled.body.error.code, throttled.headers.get('retry-after')]).toEqual([429, 'SIL_LOGIN_THROTTLED', '1']);
    a.clock.advance(1000);
    expect((await attempt('wrong password 3')).status).toBe(401);
    a.clock.advance(2000);
    expect((await attempt('wrong password 4')).status).toBe(401);
    a.clock.advance(4000);
    const locked = await attempt('wrong password 5');
    expect([locked.status, locked.body.error.code, locked.headers.get('retry-after')]).toEqual([429, 'SIL_LOGIN_LOCKED', '900']);

    a.clock.advance(30_000);
    const correct = await attempt(PASSWORD);
    expect([correct.status, correct.body.error.code]).toEqual([429, 'SIL_LOGIN_LOCKED']);
    expect(Number(correct.headers.get('retry-after'))).toBe(870);
    // another client is not locked out
    const other = new Browser(a.url);
    await other.get('/api/session', { 'x-forwarded-for': '203.0.113.9' });
    expect((await other.post('/api/login', { password: 'nope nope nope', totp: '123456' }, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(401);

    a.clock.advance(15 * 60_000);
    expect((await attempt(PASSWORD)).status).toBe(200);
    const types = a.audit.map((e) => e.type).filter((t) => t.startsWith('login.'));
    expect(types).toEqual(['login.failed', 'login.failed', 'login.failed', 'login.failed', 'login.failed', 'login.locked', 'login.failed', 'login.succeeded']);
    expect(a.audit.find((e) => e.type === 'login.locked')).toMatchObject({ ip: '198.51.100.7', detail: { scope: 'client', seconds: 900 } });
  });

  it('refuses an address outside the allowlist, also when it forges X-Forwarded-For (403)', async () => {
    const a = await app({ consoleIpAllowlist: ['10.0.0.0/8', '2001:db8::/32'] });
    const b = new Browser(a.url);
    for (const path of ['/api/session', '/', '/setup', '/api/things']) {
      const r = await b.get(path);
      expect([path, r.status, r.body.error?.code]).toEqual([path, 403, 'SIL_IP_FORBIDDEN']);
    }
    for (const xff of ['10.1.2.3', '10.1.2.3, 10.9.9.9', '2001:db8::1', '[2001:db8::1]:443']) {
      const r = await b.get('/api/session', { 'x-forwarded-for': xff });
      expect([xff, r.status]).toEqual([xff, 403]);
    }
    expect((await b.post('/api/login', { password: PASSWORD, totp: '000000' })).status).toBe(403);
    // the proxy doors and /healthz are not the console's
    expect((await b.get('/healthz')).status).toBe(200);
    expect((await b.get('/v1/models')).status).toBe(200);

    // behind a trusted proxy, the address it recorded counts — and only the part it vouches for
    a.setSecurity({ consoleIpAllowlist: ['10.0.0.0/8', '2001:db8::/32'], trustedProxies: ['127.0.0.1'] });
    expect((await b.get('/api/session', { 'x-forwarded-for': '10.1.2.3' })).status).toBe(200);
    expect((await b.get('/api/session', { 'x-forwarded-for': '2001:db8::1' })).status).toBe(200);
    expect((await b.get('/api/session', { 'x-forwarded-for': '10.1.2.3, 192.0.2.7' })).status).toBe(403);
    expect((await b.get('/api/session', { 'x-forwarded-for': '192.0.2.7' })).status).toBe(403);
    expect((await b.get('/api/session')).status).toBe(403); // the proxy itself is not in the list

    // refusals are audited, once per address and minute
    expect(a.audit.filter((e) => e.type === 'access.denied').map((e) => e.ip)).toEqual(['127.0.0.1', '192.0.2.7']);
    a.setSecurity({ consoleIpAllowlist: ['127.0.0.1/32'] });
    expect((await b.get('/api/session')).status).toBe(200);
    a.setSecurity({ consoleIpAllowlist: [] });
    expect((await b.get('/api/session')).status).toBe(200);
  });

  it('matches IPv6 peers against IPv6 ranges', async () => {
    let a: TestApp;
    try {
      a = await startApp({ consoleIpAllowlist: ['::1/128'] }, '::1');
    } catch {
      return; // no IPv6 loopback here
    }
    apps.push(a);
    const b = new Browser(a.url);
    expect((await b.get('/api/session')).status).toBe(200);
    a.setSecurity({ consoleIpAllowlist: ['fe80::/10', '127.0.0.1'] });
    expect((await b.get('/api/session')).status).toBe(403);
  });

  it('sets the cookie flags and security headers (Secure only over TLS, as a trusted proxy says)', async () => {
    const { a, browser, secret } = await ownedApp();
    for (const path of ['/api/session', '/', '/api/nope', '/healthz']) {
      const r = await browser.get(path);
      expect(r.headers.get('content-security-policy')).toBe("default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; img-src 'self' data:");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('cache-control')).toBe(path.startsWith('/api') ? 'no-store' : null);
    }
    // refusals carry them too
    const refused = await new Browser(a.url).get('/api/things');
    expect([refused.status, refused.headers.get('x-frame-options'), refused.headers.get('cache-control')]).toEqual([401, 'DENY', 'no-store']);
    // the proxy's answers are its own business
    expect((await browser.get('/v1/models')).headers.get('content-security-policy')).toBeNull();

    // X-Forwarded-Proto from an untrusted peer: no Secure
    const plain = await login(a, new Browser(a.url), secret);
    expect(plain.setCookies.find((c) => c.startsWith('sil_session='))).not.toMatch(/Secure/);
    const forged = new Browser(a.url);
    a.clock.advance(30_000);
    await forged.get('/api/session', { 'x-forwarded-proto': 'https' });
    const r1 = await forged.post('/api/login', { password: PASSWORD, totp: totpCode(secret, a.clock.now) }, { 'x-forwarded-proto': 'https' });
    expect(r1.setCookies.find((c) => c.startsWith('sil_session='))).not.toMatch(/Secure/);
    // from a trusted proxy: Secure
    a.setSecurity({ trustedProxies: ['127.0.0.0/8'] });
    const tls = new Browser(a.url);
    a.clock.advance(30_000);
    const s = await tls.get('/api/session', { 'x-forwarded-proto': 'https' });
    expect(s.setCookies[0]).toMatch(/^sil_presession=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    const r2 = await tls.post('/api/login', { password: PASSWORD, totp: totpCode(secret, a.clock.now) }, { 'x-forwarded-proto': 'https' });
    expect(r2.status).toBe(200);
    expect(r2.setCookies.find((c) => c.startsWith('sil_session='))).toMatch(/^sil_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('limits API body sizes (413) and reads only JSON', async () => {
    const { browser } = await ownedApp();
    const big = await browser.request('POST', '/api/things', { body: JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
    expect([big.status, big.body.error.code]).toEqual([413, 'SIL_BODY_TOO_LARGE']);
    // without a Content-Length (chunked), the reader stops at the limit
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 0) c.enqueue(new TextEncoder().encode('{"x":"'));
        if (sent++ < 40) c.enqueue(chunk); else { c.enqueue(new TextEncoder().encode('"}')); c.close(); }
      },
    });
    const chunked = await browser.request('POST', '/api/things', { body: stream, headers: { 'content-type': 'application/json' } });
    expect([chunked.status, chunked.body.error.code]).toEqual([413, 'SIL_BODY_TOO_LARGE']);
    const form = await browser.request('POST', '/api/things', { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([form.status, form.body.error.code]).toEqual([415, 'SIL_BODY_MEDIA_TYPE']);
    const bad = await browser.request('POST', '/api/things', { body: '{"a":', headers: { 'content-type': 'application/json' } });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'SIL_BODY_INVALID']);
    expect((await browser.request('POST', '/api/things', { json: { a: [1, 2] } })).body).toEqual({ got: { a: [1, 2] } });
  });
});
