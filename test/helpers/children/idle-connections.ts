// Opens argv[3] TCP connections to 127.0.0.1:argv[2] (at most 256 connecting at once) and holds
// them idle, sending nothing. Prints JSON lines: {"opened", "failed", "ms"} once all are up, then
// {"closed", "minLifeMs", "maxLifeMs", "got408"} whenever the peer has closed more of them.
// Stops (closing all) when stdin closes.
import { connect, type Socket } from 'node:net';

const port = Number(process.argv[2]);
const count = Number(process.argv[3]);
const sockets: Socket[] = [];
let opened = 0;
let failed = 0;
let closed = 0;
let got408 = 0;
let minLife = Number.POSITIVE_INFINITY;
let maxLife = 0;
const started = performance.now();

function openOne(): Promise<void> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    let openedAt = 0;
    s.once('connect', () => {
      openedAt = performance.now();
      opened++;
      sockets.push(s);
      done();
    });
    s.on('data', (d: Buffer) => {
      if (d.toString('latin1').startsWith('HTTP/1.1 408')) got408++;
    });
    s.on('error', () => undefined);
    s.once('close', () => {
      if (!openedAt) {
        failed++;
        done();
        return;
      }
      closed++;
      const life = performance.now() - openedAt;
      minLife = Math.min(minLife, life);
      maxLife = Math.max(maxLife, life);
    });
  });
}

let next = 0;
async function worker(): Promise<void> {
  while (next < count) {
    next++;
    await openOne();
  }
}
await Promise.all(Array.from({ length: Math.min(256, count) }, worker));
process.stdout.write(`${JSON.stringify({ opened, failed, ms: Math.round(performance.now() - started) })}\n`);

let reported = -1;
const timer = setInterval(() => {
  if (closed === reported) return;
  reported = closed;
  process.stdout.write(`${JSON.stringify({ closed, minLifeMs: Math.round(minLife), maxLifeMs: Math.round(maxLife), got408 })}\n`);
}, 200);
process.stdin.on('end', () => {
  clearInterval(timer);
  for (const s of sockets) s.destroy();
  process.exit(0);
}).resume();
