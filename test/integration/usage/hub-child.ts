// The hub as `sil start` runs it — options from flags and the environment through hubOptions()
// (so SIL_USAGE_FLUSH_MS too), a clean close on SIGTERM — but without the console build step,
// which tests must not trigger. Usage: node hub-child.ts <data dir>
import { hubOptions, startHub } from '../../../server/main.ts';

const opts = hubOptions({ data: process.argv[2], host: '127.0.0.1', port: '0' }, process.env);
const hub = await startHub({ ...opts, consoleDir: null, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`sil listening on ${hub.url} (flush every ${opts.usageFlushMs ?? 'default'} ms)\n`);
process.once('SIGTERM', () => {
  hub.close().then(() => process.exit(0), () => process.exit(1));
});
