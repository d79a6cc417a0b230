// Sends one attempt to a provider with undici: pooled keep-alive connections, and separate
// connect, first-byte and total time limits, each reported as what it was (for failover rules).
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { RequestParts } from '../auth-schemes/types.ts';

export interface Timeouts { connectMs: number; firstByteMs: number; totalMs: number }

export type SendResult =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; body: Dispatcher.ResponseData['body'] }
  | { kind: 'connect-error'; detail: string }
  | { kind: 'timeout'; phase: 'connect' | 'first-byte' | 'total' };

export interface Upstream {
  send(req: RequestParts, timeouts: Timeouts, signal?: AbortSignal): Promise<SendResult>;
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
  return {
    async send(req, timeouts, signal) {
      const total = AbortSignal.timeout(timeouts.totalMs);
      try {
        const res = await agentFor(timeouts.connectMs).request({
          origin: req.url.origin,
          path: `${req.url.pathname}${req.url.search}`,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body,
          headersTimeout: timeouts.firstByteMs,
          bodyTimeout: timeouts.totalMs,
          signal: signal ? AbortSignal.any([signal, total]) : total,
        });
        return { kind: 'response', status: res.statusCode, headers: res.headers, body: res.body };
      } catch (err) {
        const e = err as { code?: string; name?: string; cause?: { code?: string } };
        if (e instanceof undiciErrors.ConnectTimeoutError || e.code === 'UND_ERR_CONNECT_TIMEOUT') return { kind: 'timeout', phase: 'connect' };
        if (e instanceof undiciErrors.HeadersTimeoutError || e.code === 'UND_ERR_HEADERS_TIMEOUT') return { kind: 'timeout', phase: 'first-byte' };
        if (e.name === 'TimeoutError' || (e.name === 'AbortError' && total.aborted)) return { kind: 'timeout', phase: 'total' };
        const code = e.code ?? e.cause?.code ?? '';
        if (CONNECT_CODES.has(code)) return { kind: 'connect-error', detail: code };
        // Anything else from undici (an answer that is not HTTP, a broken length) counts as a
        // failed connection: the next target may do better.
        if (err instanceof undiciErrors.UndiciError || err instanceof undiciErrors.HTTPParserError || code.startsWith('HPE_')) return { kind: 'connect-error', detail: code || e.name || 'protocol-error' };
        throw err;
      }
    },
    async close() {
      await Promise.all([...agents.values()].map((a) => a.close()));
    },
  };
}
