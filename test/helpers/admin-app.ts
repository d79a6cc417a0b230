// A Koa app serving the admin API with real AdminDeps over a fresh data directory: the real
// git writer, loader, reloader and vault, on 127.0.0.1. Requests are real HTTP.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Koa from 'koa';
import { initDataDir } from '../../server/config/repo-init.ts';
import { projectCatalog } from '../../server/config/catalog.ts';
import { ConfigLoader } from '../../server/config/loader.ts';
import { LiveConfig } from '../../server/config/live-config.ts';
import { Reloader } from '../../server/config/reloader.ts';
import { GitWriter } from '../../server/config/git-writer.ts';
import { loadHubIdentity } from '../../server/vault/identity.ts';
import { RequestLog } from '../../server/proxy/request-log.ts';
import { MemoryUsageRecorder } from '../../server/observe/usage-recorder.ts';
import { adminApi, adminRouter } from '../../server/api/admin/index.ts';
import type { AdminDeps } from '../../server/api/admin/context.ts';
import { tempDir } from './tmp.ts';
import { commitSigner } from '../../server/vault/signing-key.ts';
import { allowedSignerLine } from '../../server/config/allowed-signers.ts';
import { writeFileSync } from 'node:fs';

export interface ApiAnswer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export interface AdminApp {
  url: string;
  gitdir: string;
  /** An allowed-signers file holding the hub's signing key. */
  signersFile: string;
  deps: AdminDeps;
  /** Every answer's text, for "no secret ever appears" checks. */
  answers: string[];
  logs: string[];
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** GET a resource and return its `commit` (the base for the next change). */
  base(): Promise<string>;
  router: ReturnType<typeof adminRouter>;
  stop(): Promise<void>;
}

export async function startAdminApp(): Promise<AdminApp> {
  const tmp = tempDir('sil-admin-');
  const init = await initDataDir(join(tmp.path, 'data'));
  const { paths } = init;
  // Stock git's allowed-signers file for the hub key: `git verify-commit` checks the API's commits.
  const signersFile = join(tmp.path, 'allowed_signers');
  writeFileSync(signersFile, `${allowedSignerLine('sil@localhost', init.signingKey.publicKey)}\n`);
  const { catalog } = projectCatalog();
  const logs: string[] = [];
  const log = (l: string) => logs.push(l);
  const hub = await loadHubIdentity(paths.ageKey);
  const live = new LiveConfig();
  const reloader = new Reloader({ loader: new ConfigLoader({ gitdir: paths.gitdir, catalog, identities: hub.identities }), live, gitdir: paths.gitdir, pollMs: 50, log });
  await reloader.start();
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog, sign: commitSigner(init.signingKey) });
  const author = { name: 'Test Owner', email: 'owner@example.test' };
  const deps: AdminDeps = {
    live,
    writer,
    gitdir: paths.gitdir,
    catalog,
    vault: { gitdir: paths.gitdir, writer, catalog, hub, author, now: () => new Date() },
    author: () => author,
    now: () => new Date(),
    log,
    reload: () => reloader.check(),
    requestLog: new RequestLog(),
    usage: new MemoryUsageRecorder(),
  };
  const app = new Koa();
  app.silent = true;
  app.use(adminApi(deps));
  const server: Server = createServer(app.callback());
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const answers: string[] = [];
  const api: AdminApp['api'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    answers.push(text);
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return {
    url,
    gitdir: paths.gitdir,
    signersFile,
    deps,
    answers,
    logs,
    api,
    async base() {
      return (await api('GET', '/api/status')).body.commit as string;
    },
    router: adminRouter(deps),
    async stop() {
      reloader.stop();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      tmp.cleanup();
    },
  };
}
