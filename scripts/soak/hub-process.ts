// One sil instance of the soak, run as its own process: what `sil start` does — the data
// directory's lock, the hub, on SIGTERM a drain (requests in progress finish, up to 8 s) and a
// clean stop within 10 s (server/cli/start.ts) — without the console, which
// `sil start` rebuilds when admin/dist is older than its sources (the soak measures the hub).
// The soak starts it with the V8 flags of server/runtime-flags.json, as bin/sil.js does, and an
// IPC channel: when the soak goes, even by kill -9, this process stops too.
import { parseArgs } from 'node:util';
import { acquireDataLock } from '../../server/config/data-lock.ts';
import { startHub } from '../../server/main.ts';

const SHUTDOWN_MS = 10_000;
const DRAIN_MS = 8_000;
const { values } = parseArgs({ options: { data: { type: 'string' }, port: { type: 'string' } } });
if (!values.data || !values.port) throw new Error('usage: hub-process.ts --data DIR --port N');
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const lock = acquireDataLock(values.data, { command: 'soak instance' });
let stopping: Promise<void> | null = null;
try {
  const hub = await startHub({ dataDir: values.data, host: '127.0.0.1', port: Number(values.port), consoleDir: null, log });
  lock.update({ url: hub.url });
  process.stdout.write(`sil listening on ${hub.url} (pid ${process.pid})\n`);
  const stop = (why: string) => {
    stopping ??= (async () => {
      log(`sil: shutting down (${why})`);
      setTimeout(() => {
        log(`sil: still shutting down after ${SHUTDOWN_MS / 1000} s; exiting`);
        lock.release();
        process.exit(1);
      }, SHUTDOWN_MS).unref();
      await hub.close({ drainMs: DRAIN_MS });
      lock.release();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => stop('the soak is gone'));
  }
} catch (err) {
  lock.release();
  throw err;
}
