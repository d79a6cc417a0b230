// A provider mock on 127.0.0.1 for hostile behaviour: each request goes to the test's handler
// with the raw socket at hand (answer late, trickle headers or body, never end). Timers made
// with `every`/`after` and all connections are cleared by close().
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RawUpstream {
  url: string;
  /** Requests received so far. */
  count(): number;
  handle(fn: (req: IncomingMessage, res: ServerResponse) => void): void;
  every(ms: number, fn: () => void): NodeJS.Timeout;
  after(ms: number, fn: () => void): NodeJS.Timeout;
  close(): Promise<void>;
}

export async function startRawUpstream(): Promise<RawUpstream> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{}');
  let received = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    received++;
    req.resume();
    req.once('end', () => handler(req, res));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    count: () => received,
    handle(fn) {
      handler = fn;
    },
    every(ms, fn) {
      const t = setInterval(fn, ms);
      timers.add(t);
      return t;
    },
    after(ms, fn) {
      const t = setTimeout(fn, ms);
      timers.add(t);
      return t;
    },
    close: () => new Promise<void>((ok) => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

/** Writes `text` one character every `ms` (to an answer, or its raw socket) until it is all out or the connection is gone; never ends. */
export function trickle(up: RawUpstream, out: { write(chunk: string): unknown; destroyed: boolean }, text: string, ms: number): void {
  let i = 0;
  const t = up.every(ms, () => {
    if (out.destroyed || i >= text.length) return clearInterval(t);
    out.write(text[i++]);
  });
}
