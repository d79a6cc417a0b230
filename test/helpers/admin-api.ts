// A Koa app with the history and bundle routes of the admin API over a fresh data directory
// (real git repository, signing writer, vault identity), listening on 127.0.0.1 for real HTTP requests.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Koa from 'koa';
import Router from '@koa/router';
import { initDataDir } from '../../server/config/repo-init.ts';
import { projectCatalog } from '../../server/config/catalog.ts';
import { GitWriter } from '../../server/config/git-writer.ts';
import { LiveConfig } from '../../server/config/live-config.ts';
import { loadHubIdentity } from '../../server/vault/identity.ts';
import { commitSigner } from '../../server/vault/signing-key.ts';
import { errorHandler } from '../../server/http/error-handler.ts';
import { historyRoutes, type HistoryOptions } from '../../server/api/admin/history-routes.ts';
import { bundleRoutes } from '../../server/api/admin/bundle-routes.ts';
import type { AdminDeps } from '../../server/api/admin/context.ts';
import { tempDir } from './tmp.ts';

export const OWNER = { name: 'Test Owner', email: 'owner@example.test' };

export interface AdminApi {
  url: string;
  dataDir: string;
  gitdir: string;
  deps: AdminDeps;
  logs: string[];
  /** Sends a request; a string body goes as is, anything else as JSON. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; text: string; json: any }>;
  stop(): Promise<void>;
}

export async function startAdminApi(opts: HistoryOptions = {}): Promise<AdminApi> {
  const tmp = tempDir('sil-admin-');
  const dataDir = join(tmp.path, 'data');
  const { paths, signingKey } = await initDataDir(dataDir);
  const { catalog } = projectCatalog();
  const hub = await loadHubIdentity(paths.ageKey);
  // As in server/main.ts: the writer signs with the hub's key (the history finds its public key
  // in the data directory).
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog, sign: commitSigner(signingKey) });
  const logs: string[] = [];
  const now = () => new Date();
  const deps: AdminDeps = {
    live: new LiveConfig(),
    writer,
    gitdir: paths.gitdir,
    catalog,
    vault: { gitdir: paths.gitdir, writer, catalog, hub, author: OWNER, now },
    author: () => OWNER,
    now,
    log: (l) => logs.push(l),
  };
  const app = new Koa();
  app.silent = true;
  app.use(errorHandler(deps.log));
  const router = new Router({ prefix: '/api' });
  historyRoutes(router, deps, opts);
  bundleRoutes(router, deps);
  app.use(router.routes());
  app.use(router.allowedMethods());
  const server: Server = createServer(app.callback());
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    dataDir,
    gitdir: paths.gitdir,
    deps,
    logs,
    async call(method, path, body, headers = {}) {
      const isText = typeof body === 'string';
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...(body !== undefined && !isText ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      tmp.cleanup();
    },
  };
}
