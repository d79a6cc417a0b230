// `sil mock openai`: a stand-in for OpenAI on 127.0.0.1, so the README's example answers without
// an account (answers in mock-openai.ts). Prints one line per request; Ctrl-C stops it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { SilError } from '../errors.ts';
import { answerMock } from './mock-openai.ts';
import type { Command, Io } from './command.ts';

const MAX_BODY = 10 * 1024 * 1024;

const usage = (message: string) => new SilError('SIL_USAGE', `sil mock: ${message}`, { hint: 'run `sil mock --help`' });

function parsePort(text: string | undefined): number {
  if (text === undefined) return 9901;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw usage(`invalid port "${text}" (0 to 65535; 0 picks a free port)`);
  return Number(text);
}

function handle(io: Io) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const answer = answerMock({ method: req.method ?? 'GET', path, authorization: req.headers.authorization, body: Buffer.concat(chunks).toString('utf8') }, `chatcmpl-${randomBytes(12).toString('hex')}`);
      if ('events' in answer) {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
        for (const event of answer.events) res.write(event);
        res.end();
      } else {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.json));
      }
      io.out(`${req.method} ${path} ${answer.status}${'events' in answer ? ' (stream)' : ''} ${(performance.now() - started).toFixed(0)} ms`);
    });
  };
}

export const mockCommand: Command = {
  name: 'mock',
  summary: 'a stand-in for OpenAI on 127.0.0.1 (sil mock openai), to try the hub without an account',
  usage: `Usage: sil mock openai [--port N]

Serves an imitation of OpenAI's API on 127.0.0.1 until Ctrl-C, for trying the hub end to end:
point a provider's connection.baseUrl at http://127.0.0.1:N/v1. Any API key is accepted, but one
must be sent as \`Authorization: Bearer <key>\`. Prints one line per request.

  POST /v1/chat/completions   a short answer quoting the last user message, with usage;
                              an SSE stream with \`stream: true\` (usage chunk on
                              stream_options.include_usage, as OpenAI does)
  POST /v1/embeddings         deterministic vectors (8 numbers, or \`dimensions\`), with usage
  GET  /v1/models             gpt-4o, gpt-4o-mini, text-embedding-3-small

Options:
  -p, --port N   port to listen on (default 9901; 0 picks a free port)`,
  options: { port: { type: 'string', short: 'p' } },
  maxPositionals: 1,
  async run(values, positionals, io) {
    const [kind] = positionals;
    if (kind !== 'openai') throw usage(kind ? `unknown mock "${kind}" (there is one: openai)` : 'which mock? (sil mock openai)');
    const port = parsePort(values.port as string | undefined);
    // Ctrl-C is caught from before the address is printed: a caller may stop it at once.
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const server = createServer(handle(io));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) => reject(new SilError('SIL_LISTEN', `sil mock: cannot listen on 127.0.0.1:${port}: ${err.code ?? err.message}`, { hint: 'another process may use the port: pass --port' })));
        server.listen(port, '127.0.0.1', () => resolve());
      });
      const { port: bound } = server.address() as { port: number };
      io.out(`sil mock openai listening on http://127.0.0.1:${bound}/v1 (any Bearer key; Ctrl-C stops)`);
      await stopped;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    io.err('sil mock: stopped');
    return 0;
  },
};
