// The composition root: reads the environment, wires the parts together, starts the hub.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { initDataDir } from './config/repo-init.ts';
import { projectCatalog, type Catalog } from './config/catalog.ts';
import { ConfigLoader } from './config/loader.ts';
import { LiveConfig } from './config/live-config.ts';
import { Reloader } from './config/reloader.ts';
import { GitWriter } from './config/git-writer.ts';
import { formatIssue } from './config/issues.ts';
import { createApp } from './http/app.ts';
import { SilError } from './errors.ts';
import { loadHubIdentity } from './vault/identity.ts';
import { startKeyMaintenance } from './vault/key-maintenance.ts';
import { createUpstream } from './proxy/upstream.ts';
import { createAuthDeps } from './auth-schemes/async-registry.ts';
import { createTargetChoice } from './proxy/target-choice.ts';
import { RequestLog } from './proxy/request-log.ts';
import { MemoryUsageRecorder } from './observe/usage-recorder.ts';
import { resolveDataDir } from './config/data-dir.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface HubOptions {
  dataDir: string;
  host: string;
  port: number;
  pollMs?: number;
  /** How often the hub retires and rotates keys by itself (default hourly). */
  keyMaintenanceMs?: number;
  log?: (line: string) => void;
}

export interface Hub {
  url: string;
  server: Server;
  live: LiveConfig;
  writer: GitWriter;
  reloader: Reloader;
  keyMaintenance: { stop(): void; runNow(): Promise<string[]> };
  requestLog: RequestLog;
  usage: MemoryUsageRecorder;
  catalog: Catalog;
  gitdir: string;
  close(): Promise<void>;
}

/** Flags win over SIL_DATA / SIL_HOST / SIL_PORT, which win over the embedded defaults. */
export function hubOptions(flags: { data?: string; host?: string; port?: string }, env: NodeJS.ProcessEnv = process.env): HubOptions {
  const portText = flags.port ?? env.SIL_PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new SilError('SIL_USAGE', `invalid port "${portText}"`, { hint: 'give a number from 0 to 65535 (0 picks a free port)' });
  return { dataDir: resolveDataDir(flags.data, env), host: flags.host ?? env.SIL_HOST ?? '127.0.0.1', port };
}

export async function startHub(opts: HubOptions): Promise<Hub> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { catalog, issues } = projectCatalog();
  for (const i of issues) log(`catalog: ${formatIssue(i)}`);
  const init = await initDataDir(opts.dataDir);
  if (init.created) log(`created ${init.paths.gitdir} (first commit ${init.commit?.slice(0, 7)})`);
  const { gitdir } = init.paths;

  const live = new LiveConfig();
  live.on('loaded', (s) => log(`config: live at ${s.commit.slice(0, 7)} (${s.providers.size} providers, ${s.bindings.size} bindings)`));
  live.on('rejected', (r) => {
    log(`config: rejected commit ${r.commit.slice(0, 7)}; still serving the last good config`);
    for (const i of r.errors) log(`  ${formatIssue(i)}`);
  });
  const hub = await loadHubIdentity(init.paths.ageKey);
  const loader = new ConfigLoader({ gitdir, catalog, identities: hub.identities });
  const reloader = new Reloader({ loader, live, gitdir, pollMs: opts.pollMs, log });
  await reloader.start();
  const writer = new GitWriter({ gitdir, catalog });
  const vault = { gitdir, writer, catalog, hub, author: { name: 'sil', email: 'sil@localhost' }, now: () => new Date() };
  const keyMaintenance = startKeyMaintenance({ vault, snapshot: () => live.snapshot, log }, opts.keyMaintenanceMs ?? 3_600_000);

  const upstream = createUpstream();
  const requestLog = new RequestLog();
  const usage = new MemoryUsageRecorder();
  const app = createApp({ live, version: VERSION, startedAt: Date.now(), log, proxy: { upstream, choice: createTargetChoice(), auth: createAuthDeps(), log: requestLog, usage, now: () => new Date() } });
  const server = createServer(app.callback());
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reloader.stop();
      keyMaintenance.stop();
      fail(new SilError('SIL_LISTEN', `cannot listen on ${opts.host}:${opts.port}: ${err.code ?? err.message}`, { cause: err }));
    });
    server.listen(opts.port, opts.host, () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    server,
    live,
    writer,
    reloader,
    keyMaintenance,
    requestLog,
    usage,
    catalog,
    gitdir,
    async close() {
      reloader.stop();
      keyMaintenance.stop();
      server.closeAllConnections();
      await upstream.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
