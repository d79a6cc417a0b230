// Programmable provider mocks on 127.0.0.1: each answers with what the test set and records what
// it received (method, path, headers, body).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received { method: string; url: string; headers: IncomingHttpHeaders; body: string }
export interface MockReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Written one by one, 5 ms apart (a stream); with `cut`, the socket is then destroyed. */
  chunks?: (string | Buffer)[];
  cut?: boolean;
}

export interface MockUpstream {
  url: string;
  received: Received[];
  reply(fn: (req: Received) => MockReply): void;
  close(): Promise<void>;
}

export async function startMockUpstream(initial: (req: Received) => MockReply = () => ({ status: 200, body: {} })): Promise<MockUpstream> {
  let handler = initial;
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const out = handler(r);
      if (out.chunks) {
        res.writeHead(out.status, { 'content-type': 'text/event-stream', ...out.headers });
        const write = (i: number) => {
          if (i < out.chunks!.length) {
            res.write(out.chunks![i]);
            setTimeout(() => write(i + 1), 5);
          } else if (out.cut) res.socket?.destroy();
          else res.end();
        };
        write(0);
        return;
      }
      const body = out.body === undefined ? '' : typeof out.body === 'string' || Buffer.isBuffer(out.body) ? out.body : JSON.stringify(out.body);
      res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
      res.end(body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    reply(fn) {
      handler = fn;
    },
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

/** An OpenAI chat completion answer. */
export function chatCompletion(model: string, content: string): unknown {
  return {
    id: 'chatcmpl-mock',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  };
}
