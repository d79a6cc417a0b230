// Graceful drain of the hub's HTTP server before it stops (sil start on SIGTERM/SIGINT;
// docs/load-balancer.md). New connections are refused at once, so a load balancer's next connect
// fails and it sends the request elsewhere, which is safe for every request (none was sent).
// Connections already open stay open: each next answer on them carries `Connection: close`, and
// /healthz answers 503 "draining", so a balancer that keeps connections (and checks health over
// them) learns it without racing a close. Requests in progress, streams included, finish; once
// none is left the idle connections are closed. After `ms` whatever is still open is cut.
import { Server as NetServer, type Socket } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface DrainResult {
  /** Every request finished before the bound. */
  drained: boolean;
  waitedMs: number;
  /** Requests still in progress at the bound, whose connections were cut. */
  cut: number;
}

/** How often the drain looks whether requests are still in progress. */
const CHECK_MS = 50;

/** GET or HEAD /healthz (with or without a query). */
export function isHealthCheck(method: string | undefined, url: string | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && /^\/healthz(?:\?|$)/.test(url ?? '');
}

/** What /healthz answers while the hub drains: 503, so that a balancer stops sending. */
export function drainingHealth(inFlight: number): { status: number; body: string } {
  return { status: 503, body: JSON.stringify({ status: 'draining', inFlight }) };
}

// node:http keeps the answer in progress on the socket (cleared when it has been sent).
const answerOn = (socket: Socket): ServerResponse | null => (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
const inProgress = (res: ServerResponse | null): res is ServerResponse => res !== null && !res.writableFinished;

export class ServerDrain {
  readonly #server: Server;
  readonly #log: (line: string) => void;
  readonly #sockets = new Set<Socket>();
  #running: Promise<DrainResult> | null = null;

  constructor(server: Server, log: (line: string) => void) {
    this.#server = server;
    this.#log = log;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  get draining(): boolean {
    return this.#running !== null;
  }

  /** Requests whose answer has not been sent in full yet. */
  inFlight(): number {
    let n = 0;
    for (const s of this.#sockets) if (inProgress(answerOn(s))) n++;
    return n;
  }

  /** Drains once; later calls get the same result. */
  drain(ms: number): Promise<DrainResult> {
    this.#running ??= this.#run(ms);
    return this.#running;
  }

  async #run(ms: number): Promise<DrainResult> {
    const server = this.#server;
    const started = performance.now();
    this.#answerWithClose();
    for (const s of this.#sockets) {
      const res = answerOn(s);
      if (inProgress(res) && !res.headersSent) res.setHeader('connection', 'close');
    }
    this.#log(`http: draining: new connections refused, ${this.inFlight()} request(s) in progress; /healthz answers 503 "draining"`);
    // net's close, not http's: http's also closes the idle keep-alive connections now, while a
    // balancer may be about to send on them.
    const closed = new Promise<void>((ok) => NetServer.prototype.close.call(server, () => ok()));
    let timer: NodeJS.Timeout | undefined;
    const checks = setInterval(() => {
      if (this.inFlight() === 0) server.closeIdleConnections();
    }, CHECK_MS);
    const bound = new Promise<false>((ok) => (timer = setTimeout(() => ok(false), ms)));
    const drained = await Promise.race([closed.then(() => true as const), bound]);
    clearInterval(checks);
    clearTimeout(timer);
    const waitedMs = Math.round(performance.now() - started);
    if (drained) {
      this.#log(`http: drained in ${(waitedMs / 1000).toFixed(1)} s`);
      return { drained, waitedMs, cut: 0 };
    }
    const cut = this.inFlight();
    this.#log(`http: ${cut} request(s) still in progress after ${(ms / 1000).toFixed(1)} s: closing their connections`);
    server.closeAllConnections();
    return { drained, waitedMs, cut };
  }

  /** From now on every answer closes its connection, and /healthz says "draining". */
  #answerWithClose(): void {
    const server = this.#server;
    const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.setHeader('connection', 'close');
      if (isHealthCheck(req.method, req.url)) {
        const answer = drainingHealth(Math.max(0, this.inFlight() - 1));
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : answer.body);
        return;
      }
      for (const handle of handlers) handle.call(server, req, res);
    });
  }
}
