// The hub as `sil start` runs it (options through hubOptions(), a clean close on SIGTERM) but
// without the console build step, polling its config every 100 ms. Usage: node hub-child.ts <data dir>
import { hubOptions, startHub } from '../../../server/main.ts';

const opts = hubOptions({ data: process.argv[2], host: '127.0.0.1', port: '0' }, process.env);
const hub = await startHub({ ...opts, pollMs: 100, consoleDir: null, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`sil listening on ${hub.url}\n`);
process.once('SIGTERM', () => {
  hub.close().then(() => process.exit(0), () => process.exit(1));
});
