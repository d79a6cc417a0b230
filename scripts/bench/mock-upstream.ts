// The bench's mock OpenAI upstream, run as its own process: answers POST
// /<shape>/v1/chat/completions in the shape's framing and encoding (see shapes.ts), with
// answers prepared once so that the mock costs as little as possible per request.
import { createServer } from 'node:http';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { SHAPES, USAGE, type Shape } from './shapes.ts';

function completion(shape: Shape): string {
  const content = shape.contentBytes <= 20 ? 'Hello from the mock.' : 'x'.repeat(shape.contentBytes);
  return JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: USAGE });
}

function sseEvents(): Buffer[] {
  const chunk = (delta: object, extra: object = {}) => `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
  const words = ['Hello', ' from', ' the', ' mock', ',', ' one', ' word', ' at', ' a', ' time'];
  return [
    chunk({ role: 'assistant', content: '' }),
    ...words.map((w) => chunk({ content: w })),
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [], usage: USAGE })}\n\n`,
    'data: [DONE]\n\n',
  ].map((s) => Buffer.from(s));
}

interface Answer { headers: Record<string, string | number>; body?: Buffer; events?: Buffer[] }

function answerOf(shape: Shape): Answer {
  if (shape.sse) return { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, events: sseEvents() };
  const plain = Buffer.from(completion(shape));
  const body = shape.encoding === 'gzip' ? gzipSync(plain) : shape.encoding === 'br' ? brotliCompressSync(plain) : plain;
  const headers: Record<string, string | number> = { 'content-type': 'application/json' };
  if (shape.encoding) headers['content-encoding'] = shape.encoding;
  if (shape.framing === 'length') headers['content-length'] = body.length;
  return { headers, body };
}

const answers = new Map(SHAPES.map((s) => [`/${s.name}/v1/chat/completions`, answerOf(s)]));

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const answer = req.method === 'POST' ? answers.get((req.url ?? '').split('?')[0]) : undefined;
    if (!answer) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found"}}');
      return;
    }
    // Without Content-Length, writeHead then end(body) goes out chunked, as many servers send it.
    res.writeHead(200, answer.headers);
    if (answer.events) {
      for (const e of answer.events) res.write(e);
      res.end();
    } else res.end(answer.body);
  });
});
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
