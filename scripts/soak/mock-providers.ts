// The soak's two OpenAI-style providers on 127.0.0.1, shaped like real traffic: the primary
// answers whole chat completions chunked and gzip-compressed (when asked for gzip), the secondary
// with a Content-Length; both stream SSE events one by one for stream requests and list models
// for GET /v1/models (the /bind call and the health probes). An outage makes the primary answer
// 503, then refuse connections (it stops listening), then come back on the same port.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';

export type MockMode = 'ok' | '503' | 'refuse';

const USAGE = { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 };
const completion = (name: string) => JSON.stringify({ id: `chatcmpl-${name}`, object: 'chat.completion', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: `Hello from ${name}.` }, finish_reason: 'stop' }], usage: USAGE });
const models = JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'soak' }] });

function sseEvents(name: string): string[] {
  const chunk = (delta: object) => `data: ${JSON.stringify({ id: `chatcmpl-${name}`, object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
  const words = ['Hello', ' from', ` ${name}`, ',', ' one', ' word', ' at', ' a', ' time'];
  return [chunk({ role: 'assistant', content: '' }), ...words.map((w) => chunk({ content: w })), `data: ${JSON.stringify({ id: `chatcmpl-${name}`, object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [], usage: USAGE })}\n\n`, 'data: [DONE]\n\n'];
}

export class MockProvider {
  readonly name: string;
  readonly gzip: boolean;
  #server: Server;
  #port = 0;
  #mode: MockMode = 'ok';
  /** Authorization header endings seen (the key in use after a rotation). */
  readonly keysSeen = new Map<string, number>();
  requests = 0;

  constructor(name: string, opts: { gzip: boolean }) {
    this.name = name;
    this.gzip = opts.gzip;
    this.#server = this.#make();
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get mode(): MockMode {
    return this.#mode;
  }

  async start(): Promise<void> {
    await this.#listen(0);
  }

  async setMode(mode: MockMode): Promise<void> {
    if (mode === this.#mode) return;
    const was = this.#mode;
    this.#mode = mode;
    if (mode === 'refuse') await this.#close();
    else if (was === 'refuse') {
      this.#server = this.#make();
      // The port was ours a moment ago; another process could take it meanwhile (bounded retries).
      for (let attempt = 0; ; attempt++) {
        try {
          await this.#listen(this.#port);
          return;
        } catch (err) {
          if (attempt >= 50) throw new Error(`mock ${this.name}: cannot listen on ${this.#port} again: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  }

  async close(): Promise<void> {
    if (this.#mode !== 'refuse') await this.#close();
  }

  #make(): Server {
    const server = createServer((req, res) => this.#handle(req, res));
    server.keepAliveTimeout = 65_000;
    return server;
  }

  #listen(port: number): Promise<void> {
    return new Promise((ok, fail) => {
      this.#server.once('error', fail);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.removeListener('error', fail);
        this.#port = (this.#server.address() as { port: number }).port;
        ok();
      });
    });
  }

  #close(): Promise<void> {
    return new Promise((ok) => {
      this.#server.close(() => ok());
      this.#server.closeAllConnections();
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests++;
      const auth = req.headers.authorization ?? '';
      const key = auth.slice(-6);
      this.keysSeen.set(key, (this.keysSeen.get(key) ?? 0) + 1);
      if (this.#mode === '503') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"overloaded (soak outage)","type":"server_error"}}');
        return;
      }
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === '/v1/models') return this.#json(req, res, models);
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found"}}');
        return;
      }
      let stream = false;
      try {
        stream = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream?: boolean }).stream === true;
      } catch {
        // a body that is not JSON gets a whole answer
      }
      if (!stream) return this.#json(req, res, completion(this.name));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const events = sseEvents(this.name);
      const write = (i: number) => {
        if (res.destroyed) return;
        if (i === events.length) return void res.end();
        res.write(events[i]);
        setTimeout(() => write(i + 1), 2);
      };
      write(0);
    });
  }

  #json(req: IncomingMessage, res: ServerResponse, text: string): void {
    if (this.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      // No Content-Length: chunked, as many providers send compressed answers.
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(text));
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }
  }
}
