// Sends one attempt to a provider with undici: pooled keep-alive connections, and separate
// connect, first-byte and total time limits, each reported as what it was (for failover rules).
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { UpstreamRequest } from './prepared-request.ts';
import { Deadlines } from './deadlines.ts';

export interface Timeouts { connectMs: number; firstByteMs: number; totalMs: number }

export type SendResult =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; body: Dispatcher.ResponseData['body'] }
  | { kind: 'connect-error'; detail: string }
  | { kind: 'timeout'; phase: 'connect' | 'first-byte' | 'total' };

export interface Upstream {
  send(req: UpstreamRequest, timeouts: Timeouts): Promise<SendResult>;
  close(): Promise<void>;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

export function createUpstream(options: { connections?: number } = {}): Upstream {
  const agents = new Map<number, Agent>();
  // One agent per connect timeout: undici fixes it per agent; bindings rarely differ.
  const agentFor = (connectMs: number) => {
    let a = agents.get(connectMs);
    if (!a) {
      a = new Agent({ connect: { timeout: connectMs }, connections: options.connections ?? 128, keepAliveTimeout: 30_000, pipelining: 1 });
      agents.set(connectMs, a);
    }
    return a;
  };
  // The total time limit: one shared coarse timer instead of a timer and signal per request.
  const deadlines = new Deadlines();
  return {
    async send(req, timeouts) {
      const abort = new AbortController();
      const deadline = deadlines.add(timeouts.totalMs, () => abort.abort(new DOMException('total time limit', 'TimeoutError')));
      try {
        const res = await agentFor(timeouts.connectMs).request({
          origin: req.origin,
          path: req.path,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body,
          headersTimeout: timeouts.firstByteMs,
          bodyTimeout: timeouts.totalMs,
          signal: abort.signal,
        });
        // The limit keeps running while the body streams; it ends with the body.
        res.body.once('close', () => deadlines.remove(deadline));
        return { kind: 'response', status: res.statusCode, headers: res.headers, body: res.body };
      } catch (err) {
        deadlines.remove(deadline);
        const e = err as { code?: string; name?: string; cause?: { code?: string } };
        if (e instanceof undiciErrors.ConnectTimeoutError || e.code === 'UND_ERR_CONNECT_TIMEOUT') return { kind: 'timeout', phase: 'connect' };
        if (e instanceof undiciErrors.HeadersTimeoutError || e.code === 'UND_ERR_HEADERS_TIMEOUT') return { kind: 'timeout', phase: 'first-byte' };
        if (e.name === 'TimeoutError' || abort.signal.aborted) return { kind: 'timeout', phase: 'total' };
        const code = e.code ?? e.cause?.code ?? '';
        if (CONNECT_CODES.has(code)) return { kind: 'connect-error', detail: code };
        // Anything else from undici (an answer that is not HTTP, a broken length) counts as a
        // failed connection: the next target may do better.
        if (err instanceof undiciErrors.UndiciError || err instanceof undiciErrors.HTTPParserError || code.startsWith('HPE_')) return { kind: 'connect-error', detail: code || e.name || 'protocol-error' };
        throw err;
      }
    },
    async close() {
      deadlines.stop();
      await Promise.all([...agents.values()].map((a) => a.close()));
    },
  };
}
