// The hub itself is imported when the command runs.
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { DATA_OPTION, type Command } from './command.ts';

/** How long a clean shutdown may take before the process exits anyway. */
const SHUTDOWN_MS = 10_000;
/** Of that, how long requests in progress (streams included) may take to finish (docs/load-balancer.md). */
const DRAIN_MS = 8_000;

export const startCommand: Command = {
  name: 'start',
  summary: 'start the hub (creates the data directory on first run)',
  usage: `Usage: sil start [--data DIR] [--host H] [--port N]

Starts the hub: creates DIR on first run (config repository, age identity), builds the console
when it is missing or stale, serves /healthz and reloads the config on every new commit of
DIR/config.git. One hub per data directory: DIR/hub.lock names the running one, and a second
start on DIR refuses. SIGTERM or SIGINT stops it cleanly: new connections are refused, requests
in progress finish (up to 8 s; /healthz answers 503 "draining" meanwhile), then it exits.

Options:
  -d, --data DIR   data directory (default ./data, or SIL_DATA)
      --host H     address to listen on (default 127.0.0.1, or SIL_HOST; 0.0.0.0 or :: for all)
  -p, --port N     port to listen on (default 8080, or SIL_PORT; 0 picks a free port)
      --isolated   touch nothing outside this hub (a restore drill; or SIL_ISOLATED=1): sil.yaml
                   redis and remote are ignored; no key rotation, health probes, webhook
                   deliveries or notifications. The proxy and the console still serve.`,
  options: { ...DATA_OPTION, host: { type: 'string' }, port: { type: 'string', short: 'p' }, isolated: { type: 'boolean' } },
  async run(values, _positionals, io) {
    // Loaded on use, so that `sil validate` and the push hook start fast.
    const { startHub, hubOptions } = await import('../main.ts');
    const { acquireDataLock } = await import('../config/data-lock.ts');
    const opts = hubOptions(values as { data?: string; host?: string; port?: string; isolated?: boolean }, io.env);
    const lock = acquireDataLock(opts.dataDir, { command: 'sil start' });
    // A stop asked for while starting takes effect once started.
    const stopped = new Promise<string>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve(signal));
    });
    try {
      const { prepareConsole } = await import('./start-console.ts');
      const consoleState = await prepareConsole(io);
      const hub = await startHub({ ...opts, log: io.err });
      lock.update({ url: hub.url });
      const { isUnspecifiedHost, reachableUrls } = await import('./reachable-urls.ts');
      const everywhere = isUnspecifiedHost(opts.host);
      const urls = everywhere ? reachableUrls(opts.host, (hub.server.address() as AddressInfo).port, networkInterfaces()) : [hub.url];
      io.out(`sil listening on ${hub.url} (data: ${opts.dataDir})`);
      if (everywhere) io.out(`  open it as ${urls.join(' or ')}`);
      io.out(`config repository: ${hub.gitdir} — clone it, commit, push; /healthz shows the live commit`);
      const { setupLinkLine } = await import('../api/owner/setup-link.ts');
      const setup = await setupLinkLine({ dataDir: opts.dataDir, url: urls, consoleBuilt: consoleState.built }).catch((err: Error) => `owner setup link: not issued (${err.message})`);
      if (setup) io.out(setup);
      await stopped;
      io.err('sil: shutting down');
      setTimeout(() => {
        io.err(`sil: still shutting down after ${SHUTDOWN_MS / 1000} s; exiting`);
        lock.release();
        process.exit(1);
      }, SHUTDOWN_MS).unref();
      await hub.close({ drainMs: DRAIN_MS });
      return 0;
    } finally {
      lock.release();
    }
  },
};
