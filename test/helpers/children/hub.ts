// A hub in its own process (so that its RSS and file descriptors can be read from /proc):
// argv[2] is JSON { limits? }. Prints {"url", "pid"} as one line when it listens; stops when
// stdin closes (the test ended or died) or on SIGTERM.
import { join } from 'node:path';
import { startHub } from '../../../server/main.ts';
import { tempDir } from '../tmp.ts';

const { limits } = JSON.parse(process.argv[2] ?? '{}') as { limits?: Record<string, number> };
const tmp = tempDir('sil-hub-child-');
const hub = await startHub({ dataDir: join(tmp.path, 'data'), host: '127.0.0.1', port: 0, consoleDir: null, limits, log: (l) => process.stderr.write(`${l}\n`) });
process.stdout.write(`${JSON.stringify({ url: hub.url, pid: process.pid })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await hub.close();
  tmp.cleanup();
  process.exit(0);
}
process.stdin.on('end', () => void stop()).resume();
process.on('SIGTERM', () => void stop());
