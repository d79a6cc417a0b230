// The hub itself is imported when the command runs.
import { DATA_OPTION, type Command } from './command.ts';

export const startCommand: Command = {
  name: 'start',
  summary: 'start the hub (creates the data directory on first run)',
  usage: `Usage: sil start [--data DIR] [--host H] [--port N]

Starts the hub: creates DIR on first run (config repository, age identity), serves /healthz
and reloads the config on every new commit of DIR/config.git.

Options:
  -d, --data DIR   data directory (default ./data, or SIL_DATA)
      --host H     address to listen on (default 127.0.0.1, or SIL_HOST)
  -p, --port N     port to listen on (default 8080, or SIL_PORT; 0 picks a free port)`,
  options: { ...DATA_OPTION, host: { type: 'string' }, port: { type: 'string', short: 'p' } },
  async run(values, _positionals, io) {
    // Loaded on use, so that `sil validate` and the push hook start fast.
    const { startHub, hubOptions } = await import('../main.ts');
    const opts = hubOptions(values as { data?: string; host?: string; port?: string }, io.env);
    const hub = await startHub({ ...opts, log: io.err });
    io.out(`sil listening on ${hub.url} (data: ${opts.dataDir})`);
    io.out(`config repository: ${hub.gitdir} — clone it, commit, push; /healthz shows the live commit`);
    const { setupLinkLine } = await import('../api/owner/setup-link.ts');
    const setup = await setupLinkLine({ dataDir: opts.dataDir, url: hub.url }).catch((err: Error) => `owner setup link: not issued (${err.message})`);
    if (setup) io.out(setup);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.err('sil: shutting down');
    await hub.close();
    return 0;
  },
};
