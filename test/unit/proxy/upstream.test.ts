// The upstream client against a real HTTP server on 127.0.0.1: small JSON answers arrive whole,
// others as a stream with backpressure; each time limit is reported as what it was.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createUpstream, type Upstream } from '../../../server/proxy/upstream.ts';

let server: Server;
let origin: string;
let upstream: Upstream;
const limits = { connectMs: 1000, firstByteMs: 1000, totalMs: 2000 };

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' });
      res.end('{"ok":true}');
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 64; i++) res.write(Buffer.alloc(64 * 1024, i));
      res.end();
    } else if (req.url === '/drip') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const t = setInterval(() => res.write('data: {}\n\n'), 50);
      res.on('close', () => clearInterval(t));
    } else if (req.url === '/silent') {
      // never answers
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  upstream = createUpstream();
});
afterAll(async () => {
  await upstream.close();
  server.closeAllConnections();
  server.close();
});

const get = (path: string, t = limits) => upstream.send({ method: 'GET', origin, path, headers: {} }, t);

describe('upstream', () => {
  it('hands a small JSON answer over whole', async () => {
    const r = await get('/small');
    expect(r.kind === 'response' && r.body.kind === 'bytes' && r.body.bytes.toString()).toBe('{"ok":true}');
  });

  it('streams other answers in full, with backpressure', async () => {
    const r = await get('/big');
    if (r.kind !== 'response' || r.body.kind !== 'stream') throw new Error(`expected a stream, got ${JSON.stringify(r)}`);
    let size = 0;
    for await (const chunk of r.body.stream.toReadable()) {
      size += (chunk as Buffer).length;
      await new Promise((ok) => setImmediate(ok));
    }
    expect(size).toBe(64 * 64 * 1024);
  });

  it('reports a silent server as a first-byte timeout', async () => {
    expect(await get('/silent', { connectMs: 1000, firstByteMs: 150, totalMs: 2000 })).toEqual({ kind: 'timeout', phase: 'first-byte' });
  });

  it('reports the total limit when it passes before the answer starts', async () => {
    expect(await get('/silent', { connectMs: 1000, firstByteMs: 2000, totalMs: 150 })).toEqual({ kind: 'timeout', phase: 'total' });
  });

  it('cuts a stream that outlasts the total limit', async () => {
    const r = await get('/drip', { connectMs: 1000, firstByteMs: 1000, totalMs: 300 });
    if (r.kind !== 'response' || r.body.kind !== 'stream') throw new Error('expected a stream');
    const err = await new Promise<Error>((ok) => {
      r.body.kind === 'stream' && r.body.stream.toReadable().on('error', ok).resume();
    });
    expect(err.name).toBe('TimeoutError');
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', () => ok()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const r = await upstream.send({ method: 'GET', origin: `http://127.0.0.1:${port}`, path: '/', headers: {} }, limits);
    expect(r).toMatchObject({ kind: 'connect-error', detail: 'ECONNREFUSED' });
  });
});
