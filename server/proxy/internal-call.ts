// The hub calling one of its own bindings from inside (notification channels): the same stages
// as /bind/<binding>/<path> after authentication — binding checks, admission by the binding's
// and providers' policies, forward (failover, circuit breakers, credentials from the vault) and
// pass-on (usage recorded) — for a system client that exists only in memory, with the answer
// written to a bounded in-memory sink instead of a socket. No loopback HTTP, no token to keep.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Context } from 'koa';
import { forward, type ForwardDeps } from './stages/forward.ts';
import { admit } from './stages/admit.ts';
import { checkedSubPath } from './stages/resolve-binding.ts';
import type { ProxyState } from './proxy-state.ts';
import type { RequestLog } from './request-log.ts';
import type { ConfigSnapshot } from '../config/snapshot.ts';
import type { Client } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';

export interface InternalRequest {
  binding: string;
  method: string;
  /** The path below the binding, percent-encoded ('' for the target's service path itself). */
  subPath: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

export type InternalAnswer =
  | { ok: true; status: number; headers: Record<string, string | string[]>; body: Buffer; provider?: string; attempts: number }
  | { ok: false; code: string; error: string; attempts: number };

export type InternalCaller = (req: InternalRequest) => Promise<InternalAnswer>;

export interface InternalCallDeps extends ForwardDeps {
  snapshot: () => ConfigSnapshot | null;
  /** The request log the console's recent requests read (the call appears there like any other). */
  log?: RequestLog;
  errorLog?: (line: string) => void;
  /** The client name usage is recorded under. */
  clientName: string;
}

/** Keeps at most this much of an answer: enough for any provider's error message. */
const SINK_LIMIT = 64 * 1024;

/** What pass-on writes to: the head and the first SINK_LIMIT bytes of the body. */
class AnswerSink extends Writable {
  statusCode = 0;
  head: Record<string, string | string[]> = {};
  readonly #chunks: Buffer[] = [];
  #size = 0;
  writeHead(status: number, headers: Record<string, string | string[]>): this {
    this.statusCode = status;
    this.head = headers;
    return this;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.#size < SINK_LIMIT) {
      this.#chunks.push(chunk.subarray(0, SINK_LIMIT - this.#size));
      this.#size += Math.min(chunk.length, SINK_LIMIT - this.#size);
    }
    done();
  }
  body(): Buffer {
    return Buffer.concat(this.#chunks);
  }
  /** Resolves once the answer has been written whole, cut, or abandoned. */
  done(): Promise<void> {
    if (this.writableFinished || this.destroyed) return Promise.resolve();
    return new Promise((ok) => {
      this.once('finish', ok);
      this.once('close', ok);
      this.once('error', ok);
    });
  }
}

export function internalCaller(deps: InternalCallDeps): InternalCaller {
  const forwardStage = forward(deps);
  const admitStage = admit(() => '127.0.0.1', deps.limits);
  return async function call(req: InternalRequest): Promise<InternalAnswer> {
    const snapshot = deps.snapshot();
    const requestId = randomUUID();
    const binding = snapshot?.bindings.get(req.binding);
    const state: ProxyState = { requestId, startedAt: performance.now(), door: 'bind', snapshot: snapshot!, client: undefined, binding: undefined, model: undefined, body: Buffer.from(req.body), json: undefined, subPath: undefined, attempts: [], failoverReasons: [], answered: false, admission: undefined };
    const sink = new AnswerSink();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
    // Only what forward and pass-on read of a Koa context.
    const ctx = { method: req.method, querystring: '', headers, get: (name: string) => headers[name.toLowerCase()] ?? '', res: sink, respond: true } as unknown as Context;
    let status = 0;
    let errorCode: string | undefined;
    let result: InternalAnswer;
    try {
      if (!snapshot) throw new SilError('SIL_PROXY_NO_TARGET', 'the hub has no valid configuration loaded');
      if (!binding) throw new SilError('SIL_PROXY_UNKNOWN_BINDING', `no binding "${req.binding}"`);
      if (!binding.enabled) throw new SilError('SIL_PROXY_UNKNOWN_BINDING', `binding "${req.binding}" is disabled`);
      // A client of the binding's own environment allowed this binding only, with no policy of its own.
      const client: Client = { name: deps.clientName, environment: binding.environment, enabled: true, bindings: [binding.name] };
      state.client = client;
      state.binding = binding;
      state.subPath = checkedSubPath(req.subPath);
      const admitted = admitStage(ctx, state);
      if (admitted) await admitted;
      await forwardStage(ctx, state);
      await sink.done();
      status = sink.statusCode;
      result = { ok: true, status, headers: sink.head, body: sink.body(), provider: state.attempts.at(-1)?.provider, attempts: state.attempts.length };
    } catch (err) {
      errorCode = err instanceof SilError ? err.code : 'SIL_INTERNAL';
      status = err instanceof SilError ? err.status : 500;
      if (!(err instanceof SilError) || !err.expose) deps.errorLog?.(`internal call: ${requestId}: ${(err as Error)?.stack ?? String(err)}`);
      const error = err instanceof SilError && err.expose ? err.message : 'internal error (see the hub log)';
      result = { ok: false, code: errorCode, error, attempts: state.attempts.length };
    }
    const last = state.attempts.at(-1);
    const outcome = {
      requestId,
      at: Date.now(),
      client: deps.clientName,
      binding: req.binding,
      door: 'bind' as const,
      provider: last?.provider,
      model: last?.model,
      keyId: last?.keyId,
      status,
      errorCode,
      latencyMs: Math.round((performance.now() - state.startedAt) * 10) / 10,
      attempts: state.attempts.length,
      failovers: state.failoverReasons.length,
      attemptRecords: state.attempts,
      answered: state.answered,
    };
    deps.usage?.outcome?.(outcome);
    deps.log?.add({ ...outcome, id: requestId, failoverReasons: state.failoverReasons });
    return result;
  };
}
