// A real Koa app with the owner middleware on 127.0.0.1 (port 0), a dummy protected /api route,
// a dummy console page and proxy door, an injected clock, and a browser-like client with a
// cookie jar. Every request is real HTTP.
import Koa from 'koa';
import { createServer, type Server } from 'node:http';
import { errorHandler } from '../../../server/http/error-handler.ts';
import { LiveConfig } from '../../../server/config/live-config.ts';
import type { ConfigSnapshot } from '../../../server/config/snapshot.ts';
import { ownerAuth, type AuditEvent, type OwnerAuth } from '../../../server/api/owner/index.ts';
import { readJsonBody } from '../../../server/api/security/body.ts';
import { totpCode } from '../../../server/api/owner/totp.ts';
import { setupLinkLine } from '../../../server/api/owner/setup-link.ts';
import { tempDir } from '../../helpers/tmp.ts';

/** The fake clock starts at the real time (`sil owner reset` issues its token by the real clock), at the start of a TOTP step. */
export const T0 = Math.floor(Date.now() / 30_000) * 30_000;
export const PASSWORD = 'correct horse battery staple';

export function snapshotWith(security: Record<string, unknown>): ConfigSnapshot {
  return { settings: { security: { requireSignedCommits: false, allowPrivateBaseUrls: false, ...security }, defaults: {} } } as unknown as ConfigSnapshot;
}

export interface TestApp {
  url: string;
  dataDir: string;
  live: LiveConfig;
  owner: OwnerAuth;
  audit: AuditEvent[];
  logs: string[];
  clock: { now: number; advance(ms: number): void };
  setSecurity(security: Record<string, unknown>): void;
  stop(): Promise<void>;
}

export async function startApp(security: Record<string, unknown> = {}, host = '127.0.0.1'): Promise<TestApp> {
  const tmp = tempDir('sil-owner-api-');
  const live = new LiveConfig();
  live.snapshot = snapshotWith(security);
  const clock = { now: T0, advance(ms: number) { this.now += ms; } };
  const audit: AuditEvent[] = [];
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const owner = ownerAuth({ live, dataDir: tmp.path, now: () => new Date(clock.now), log, audit: (e) => { audit.push(e); } });
  const app = new Koa();
  app.silent = true;
  app.use(errorHandler(log));
  app.use(owner.middleware);
  app.use(async (ctx, next) => {
    if (ctx.path === '/healthz') ctx.body = { status: 'ok' };
    else if (ctx.path === '/v1/models') ctx.body = { data: [] };
    else if (ctx.path === '/') ctx.body = '<!doctype html><title>sil</title>';
    else if (ctx.path === '/api/things' && ctx.method === 'GET') ctx.body = { things: [] };
    else if (ctx.path === '/api/things' && (ctx.method === 'POST' || ctx.method === 'PUT')) ctx.body = { got: await readJsonBody(ctx) };
    else if (ctx.path === '/api/things' && ctx.method === 'DELETE') ctx.status = 204;
    else await next();
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    dataDir: tmp.path,
    live,
    owner,
    audit,
    logs,
    clock,
    setSecurity(s) { live.snapshot = snapshotWith(s); },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await owner.close();
      tmp.cleanup();
    },
  };
}

export interface Answer { status: number; headers: Headers; body: any; setCookies: string[] }

/** A browser-like client: keeps cookies (by name), sends them back, knows the CSRF token. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  async request(method: string, path: string, opts: { json?: unknown; headers?: Record<string, string>; body?: RequestInit['body']; csrf?: boolean } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (opts.json !== undefined) headers['content-type'] ??= 'application/json';
    if (opts.csrf !== false && this.csrf && method !== 'GET') headers['x-sil-csrf'] ??= this.csrf;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body,
      ...(opts.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (/max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
    const text = await res.text();
    let body: any = text;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    if (body && typeof body === 'object' && typeof body.csrfToken === 'string') this.csrf = body.csrfToken;
    return { status: res.status, headers: res.headers, body, setCookies };
  }

  get(path: string, headers?: Record<string, string>) { return this.request('GET', path, { headers }); }
  post(path: string, json?: unknown, headers?: Record<string, string>) { return this.request('POST', path, { json, headers }); }
}

/** Runs setup with `token` in `browser` (a fresh one) and returns the TOTP secret. */
export async function setUpOwner(app: TestApp, browser: Browser, token: string): Promise<string> {
  await browser.get('/api/session');
  const start = await browser.post('/api/setup/start', { token });
  if (start.status !== 200) throw new Error(`setup/start: ${start.status} ${JSON.stringify(start.body)}`);
  const secret = start.body.totpSecret as string;
  const done = await browser.post('/api/setup/complete', { token, password: PASSWORD, totp: totpCode(secret, app.clock.now) });
  if (done.status !== 200) throw new Error(`setup/complete: ${done.status} ${JSON.stringify(done.body)}`);
  return secret;
}

/** The owner of a real hub (startHub), set up from the link the hub would print, signed in. */
export async function signedInOwner(hubUrl: string, dataDir: string): Promise<Browser> {
  const token = /\/setup#(\S+)/.exec((await setupLinkLine({ dataDir, url: hubUrl })) ?? '')?.[1];
  if (!token) throw new Error(`no setup link for ${dataDir}: the owner is set up already`);
  const owner = new Browser(hubUrl);
  await setUpOwner({ clock: { now: Date.now() } } as TestApp, owner, token);
  await owner.get('/api/session');
  return owner;
}

/** Logs in with the right password and the code of the next unused step (advances 30 s). */
export async function login(app: TestApp, browser: Browser, secret: string, password = PASSWORD): Promise<Answer> {
  app.clock.advance(30_000);
  await browser.get('/api/session');
  return browser.post('/api/login', { password, totp: totpCode(secret, app.clock.now) });
}
