// The base of the catalog's provider mocks (test/mocks/providers/*.ts): a node:http server on
// 127.0.0.1 that records each request whole (raw body bytes, parsed query) and answers with what
// the provider's handler returns. Answers may be streams (`chunks`) for SSE providers.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface MockAnswer {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as it is. */
  body?: unknown;
  /** Written one by one, 2 ms apart (an event stream); `body` is then ignored. */
  chunks?: (string | Buffer)[];
}

export interface ProviderMock {
  /** http://127.0.0.1:port */
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export type MockHandler = (r: ReceivedRequest) => MockAnswer | Promise<MockAnswer>;

function write(res: import('node:http').ServerResponse, out: MockAnswer): void {
  if (out.chunks) {
    res.writeHead(out.status, { 'content-type': 'text/event-stream', ...out.headers });
    const next = (i: number) => {
      if (i >= out.chunks!.length) return void res.end();
      res.write(out.chunks![i]);
      setTimeout(() => next(i + 1), 2);
    };
    return next(0);
  }
  const isRaw = typeof out.body === 'string' || Buffer.isBuffer(out.body);
  const body = out.body === undefined ? '' : isRaw ? (out.body as string | Buffer) : JSON.stringify(out.body);
  const type = out.body === undefined || isRaw ? {} : { 'content-type': 'application/json' };
  res.writeHead(out.status, { ...type, ...out.headers });
  res.end(body);
}

export async function startMockServer(handle: MockHandler): Promise<ProviderMock> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const parsed = new URL(url, 'http://mock.invalid');
      const r: ReceivedRequest = { method: req.method ?? '', url, path: parsed.pathname, query: parsed.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      Promise.resolve()
        .then(() => handle(r))
        .then((out) => write(res, out))
        .catch((err: unknown) => write(res, { status: 500, body: { mock_error: String((err as Error)?.message ?? err) } }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** The body as text / JSON (undefined when it is not JSON). */
export const bodyText = (r: ReceivedRequest): string => r.body.toString('utf8');
export function bodyJson(r: ReceivedRequest): unknown {
  try {
    return JSON.parse(r.body.toString('utf8'));
  } catch {
    return undefined;
  }
}
