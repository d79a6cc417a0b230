// Sends one attempt to a provider with undici: pooled keep-alive connections, and separate
// connect, first-byte and total time limits, each reported as what it was (for failover rules).
// undici's dispatch API is used directly: a small answer (or a JSON answer of unknown length that
// stays small) is collected into one buffer, and only other answers get a stream (with
// backpressure), which saves a stream, a promise and an abort listener per request over undici's
// request() API.
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { UpstreamRequest } from './prepared-request.ts';
import { Deadlines, type Deadline } from './deadlines.ts';
import { readingOf, SMALL_ANSWER, type UpstreamBody } from './upstream-body.ts';
import { AnswerStream } from './answer-stream.ts';
import { FORBIDDEN_ADDRESS, type LookupFn } from './guarded-lookup.ts';

export interface Timeouts { connectMs: number; firstByteMs: number; totalMs: number }

export type AnswerHeaders = Record<string, string | string[] | undefined>;

export type SendResult =
  | { kind: 'response'; status: number; headers: AnswerHeaders; body: UpstreamBody }
  | { kind: 'connect-error'; detail: string }
  | { kind: 'timeout'; phase: 'connect' | 'first-byte' | 'total' };

export interface Upstream {
  send(req: UpstreamRequest, timeouts: Timeouts): Promise<SendResult>;
  close(): Promise<void>;
}

const CONNECT_CODES = new Set([FORBIDDEN_ADDRESS, 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** What a failed send was, for the failover rules; undefined for errors that are not the provider's. */
function classify(err: unknown, expired: boolean): SendResult | undefined {
  if (expired) return { kind: 'timeout', phase: 'total' };
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  if (e instanceof undiciErrors.ConnectTimeoutError || e.code === 'UND_ERR_CONNECT_TIMEOUT') return { kind: 'timeout', phase: 'connect' };
  if (e instanceof undiciErrors.HeadersTimeoutError || e.code === 'UND_ERR_HEADERS_TIMEOUT') return { kind: 'timeout', phase: 'first-byte' };
  if (e instanceof undiciErrors.BodyTimeoutError || e.code === 'UND_ERR_BODY_TIMEOUT') return { kind: 'timeout', phase: 'total' };
  const code = e.code ?? e.cause?.code ?? '';
  if (CONNECT_CODES.has(code)) return { kind: 'connect-error', detail: code };
  // Anything else from undici (an answer that is not HTTP, a broken length) counts as a failed
  // connection: the next target may do better.
  if (err instanceof undiciErrors.UndiciError || err instanceof undiciErrors.HTTPParserError || code.startsWith('HPE_')) return { kind: 'connect-error', detail: code || e.name || 'protocol-error' };
  return undefined;
}

const TOTAL_LIMIT = () => new DOMException('the total time limit passed', 'TimeoutError');

/** One attempt's handler: resolves with the answer (whole or as a stream) or its failure. */
class AttemptHandler implements Dispatcher.DispatchHandler {
  controller: Dispatcher.DispatchController | null = null;
  expired = false;
  deadline: Deadline | null = null;
  #settled = false;
  #status = 0;
  #headers: AnswerHeaders = {};
  /** Chunks of an answer read whole; null once it is a stream. */
  #chunks: Buffer[] | null = null;
  #size = 0;
  #stream: AnswerStream | null = null;
  readonly #resolve: (r: SendResult) => void;
  readonly #reject: (e: unknown) => void;
  readonly #done: () => void;

  constructor(resolve: (r: SendResult) => void, reject: (e: unknown) => void, done: () => void) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#done = done;
  }

  expire(): void {
    this.expired = true;
    if (this.controller) this.controller.abort(TOTAL_LIMIT());
    else this.onResponseError(null, TOTAL_LIMIT());
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.expired) controller.abort(TOTAL_LIMIT());
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: AnswerHeaders): void {
    if (status < 200) return; // 1xx: informational, the answer follows
    this.#status = status;
    this.#headers = headers;
    if (readingOf(headers) === 'stream') this.#startStream(controller);
    else this.#chunks = [];
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#chunks) {
      this.#chunks.push(chunk);
      this.#size += chunk.length;
      // A JSON answer of unknown length that grows large is passed on as it comes after all.
      if (this.#size > SMALL_ANSWER) {
        const arrived = this.#chunks;
        this.#chunks = null;
        this.#startStream(controller);
        for (const c of arrived) this.#stream!.push(c);
      }
    } else this.#stream?.push(chunk);
  }

  onResponseEnd(): void {
    this.#done();
    if (this.#chunks) {
      const bytes = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks, this.#size);
      this.#settle({ kind: 'response', status: this.#status, headers: this.#headers, body: { kind: 'bytes', bytes } });
    } else this.#stream?.end();
  }

  onResponseError(_controller: unknown, err: Error): void {
    this.#done();
    if (this.#stream) {
      this.#stream.fail(err);
      return;
    }
    if (this.#settled) return;
    const failure = classify(err, this.expired);
    if (failure) this.#settle(failure);
    else {
      this.#settled = true;
      this.#reject(err);
    }
  }

  #startStream(controller: Dispatcher.DispatchController): void {
    this.#stream = new AnswerStream({
      pause: () => controller.pause(),
      resume: () => controller.resume(),
      abort: (reason) => {
        if (!controller.aborted) controller.abort(reason);
      },
    });
    this.#settle({ kind: 'response', status: this.#status, headers: this.#headers, body: { kind: 'stream', stream: this.#stream } });
  }

  #settle(r: SendResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(r);
  }
}

export interface UpstreamOptions {
  connections?: number;
  /** How host names are resolved when connecting (server/proxy/guarded-lookup.ts in the hub). */
  lookup?: LookupFn;
}

export function createUpstream(options: UpstreamOptions = {}): Upstream {
  const agents = new Map<number, Agent>();
  // One agent per connect timeout: undici fixes it per agent; bindings rarely differ.
  const agentFor = (connectMs: number) => {
    let a = agents.get(connectMs);
    if (!a) {
      a = new Agent({ connect: { timeout: connectMs, ...(options.lookup ? { lookup: options.lookup } : {}) }, connections: options.connections ?? 128, keepAliveTimeout: 30_000, pipelining: 1 });
      agents.set(connectMs, a);
    }
    return a;
  };
  // The total time limit: one shared timer per distinct limit instead of one per request.
  const deadlines = new Deadlines();
  return {
    send(req, timeouts) {
      return new Promise<SendResult>((resolve, reject) => {
        const handler: AttemptHandler = new AttemptHandler(resolve, reject, () => {
          if (handler.deadline) deadlines.remove(handler.deadline);
        });
        handler.deadline = deadlines.add(timeouts.totalMs, () => handler.expire());
        agentFor(timeouts.connectMs).dispatch(
          { origin: req.origin, path: req.path, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body, headersTimeout: timeouts.firstByteMs, bodyTimeout: timeouts.totalMs },
          handler,
        );
      });
    },
    async close() {
      deadlines.stop();
      await Promise.all([...agents.values()].map((a) => a.close()));
    },
  };
}
