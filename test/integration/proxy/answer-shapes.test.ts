// Every shape a provider's answer comes in, through a real hub: framed by length or chunked,
// plain or compressed, small or 1 MB, JSON, SSE or NDJSON. The caller gets the provider's bytes
// exactly as sent (still compressed, never decoded and re-encoded) and the hub reads the usage.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, request, type Server, type IncomingHttpHeaders } from 'node:http';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { connect } from 'node:net';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';

const usage = { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 };
const completion = (content: string) => Buffer.from(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage }));
const sseText = ['Hel', 'lo'].map((w) => `data: ${JSON.stringify({ choices: [{ delta: { content: w } }], usage: null })}\n\n`).join('') + `data: ${JSON.stringify({ choices: [], usage })}\n\ndata: [DONE]\n\n`;

interface Shape { headers: Record<string, string>; body: Buffer; chunks?: number }
const SMALL = completion('Hello');
const LARGE = completion('x'.repeat(1024 * 1024));
const SHAPES: Record<string, Shape> = {
  length: { headers: { 'content-type': 'application/json', 'content-length': String(SMALL.length) }, body: SMALL },
  chunked: { headers: { 'content-type': 'application/json' }, body: SMALL },
  gzip: { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(SMALL) },
  br: { headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: brotliCompressSync(SMALL) },
  deflate: { headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' }, body: deflateSync(SMALL) },
  large: { headers: { 'content-type': 'application/json' }, body: LARGE, chunks: 16 },
  'large-length': { headers: { 'content-type': 'application/json', 'content-length': String(LARGE.length) }, body: LARGE, chunks: 16 },
  'large-gzip': { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(LARGE), chunks: 4 },
  sse: { headers: { 'content-type': 'text/event-stream' }, body: Buffer.from(sseText), chunks: 4 },
  'sse-gzip': { headers: { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' }, body: gzipSync(sseText), chunks: 3 },
};

let upstream: Server;
let base = '';
let proxy: ProxyHub;
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
const closedEarly: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const name = (req.url ?? '').split('/')[1];
      seen.push({ path: req.url ?? '', headers: req.headers });
      res.on('close', () => {
        if (!res.writableFinished) closedEarly.push(name);
      });
      if (name === 'burst') {
        // Twelve events written in one turn: Node sends them in one segment.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let i = 0; i < 12; i++) res.write(`data: {"n":${i}}\n\n`);
        res.end(`data: ${JSON.stringify({ choices: [], usage })}\n\ndata: [DONE]\n\n`);
        return;
      }
      if (name === 'ndjson' || name === 'drip') {
        // A line now, the next one later: the caller must get the first before the provider ends.
        res.writeHead(200, { 'content-type': name === 'ndjson' ? 'application/x-ndjson' : 'text/event-stream' });
        res.write('{"line":1}\n');
        const t = setTimeout(() => res.end('{"line":2}\n'), name === 'ndjson' ? 400 : 10_000);
        res.on('close', () => clearTimeout(t));
        return;
      }
      const shape = SHAPES[name];
      if (!shape) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, shape.headers);
      if (req.method === 'HEAD') return res.end();
      const n = shape.chunks ?? 1;
      const size = Math.ceil(shape.body.length / n);
      for (let i = 0; i < n - 1; i++) res.write(shape.body.subarray(i * size, (i + 1) * size));
      res.end(shape.body.subarray((n - 1) * size));
    });
  });
  await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', () => ok()));
  base = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  const files: Record<string, string> = { 'sil.yaml': 'version: 1\nenvironments: [prod]\n' };
  for (const name of [...Object.keys(SHAPES), 'ndjson', 'drip', 'burst']) {
    files[`providers/p-${name}.yaml`] = `id: p-${name}\ntemplate: openai\nname: ${name}\nenvironment: prod\nconnection:\n  baseUrl: ${base}/${name}/v1\n`;
    files[`bindings/chat-${name}.yaml`] = `name: chat-${name}\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: p-${name}, model: gpt-4o-mini }\nfailover:\n  timeoutMs: 5000\n`;
  }
  // The pass-through service reads no usage: the caller's encodings go on untouched.
  files['bindings/raw-gzip.yaml'] = `name: raw-gzip\nenvironment: prod\nprotocol: http\ntargets:\n  - { provider: p-gzip, service: api }\n`;
  const keys = Object.fromEntries([...Object.keys(SHAPES), 'ndjson', 'drip', 'burst'].map((n) => [`p-${n}`, { apiKey: `sk-proj-${'k'.repeat(40)}` }]));
  proxy = await startProxyHub(files, keys);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  upstream.closeAllConnections();
  await new Promise<void>((ok) => upstream.close(() => ok()));
});

interface Raw { status: number; headers: IncomingHttpHeaders; body: Buffer; firstChunkMs: number; totalMs: number }

/** A request whose answer is read as raw bytes (nothing decoded). */
function raw(method: string, path: string, body: string | null, headers: Record<string, string> = {}): Promise<Raw> {
  const url = new URL(path, proxy.hub.url);
  const started = performance.now();
  return new Promise((ok, fail) => {
    const req = request(url, { method, headers: { authorization: `Bearer ${proxy.token}`, 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      let firstChunkMs = -1;
      res.on('data', (c: Buffer) => {
        if (firstChunkMs < 0) firstChunkMs = performance.now() - started;
        chunks.push(c);
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), firstChunkMs, totalMs: performance.now() - started }));
      res.on('error', fail);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('error', fail);
    req.end(body ?? undefined);
  });
}

const chat = (name: string, headers: Record<string, string> = {}, stream = false) => raw('POST', '/v1/chat/completions', JSON.stringify({ model: `chat-${name}`, messages: [{ role: 'user', content: 'hi' }], ...(stream ? { stream: true } : {}) }), { 'accept-encoding': 'gzip, deflate, br', ...headers });

/** Tokens the hub recorded for a binding (waits briefly: usage of a stream is recorded when it ends). */
async function recorded(name: string): Promise<{ requests: number; inputTokens: number; outputTokens: number }> {
  const total = { requests: 0, inputTokens: 0, outputTokens: 0 };
  for (let i = 0; i < 50; i++) {
    for (const [key, t] of proxy.hub.usage.totals) {
      if (key.split('|')[1] !== `chat-${name}`) continue;
      Object.assign(total, { requests: t.requests, inputTokens: t.inputTokens, outputTokens: t.outputTokens });
    }
    if (total.requests > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return total;
}

describe('answer shapes through the proxy', () => {
  for (const name of Object.keys(SHAPES)) {
    it(`passes a ${name} answer on byte for byte and reads its usage`, async () => {
      const shape = SHAPES[name];
      const r = await chat(name, {}, name.startsWith('sse'));
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe(shape.headers['content-encoding']);
      expect(r.body.equals(shape.body)).toBe(true);
      expect(r.headers['x-sil-provider']).toBe(`p-${name}`);
      if (shape.body.length <= 256 * 1024 && !name.startsWith('sse')) expect(r.headers['content-length']).toBe(String(shape.body.length));
      expect(await recorded(name)).toEqual({ requests: 1, inputTokens: 9, outputTokens: 5 });
    });
  }

  it("passes the caller's Accept-Encoding on, narrowed to gzip where the hub reads the body for usage", async () => {
    seen.length = 0;
    await chat('gzip', { 'accept-encoding': 'br;q=1, gzip;q=0.5' });
    await raw('POST', '/bind/chat-gzip/', '{}', { 'accept-encoding': 'zstd' });
    await raw('GET', '/bind/raw-gzip/gzip/v1/chat/completions', null, { 'accept-encoding': 'zstd, br' });
    expect(seen.map((s) => s.headers['accept-encoding'])).toEqual(['gzip;q=0.5', undefined, 'zstd, br']);
  });

  it('streams an NDJSON answer of unknown length as it comes instead of collecting it', async () => {
    const r = await chat('ndjson');
    expect(r.body.toString()).toBe('{"line":1}\n{"line":2}\n');
    expect(r.totalMs).toBeGreaterThan(350);
    expect(r.firstChunkMs).toBeLessThan(r.totalMs - 250);
  });

  it('sends the events that arrive in one burst in one chunk, not one chunk each', async () => {
    const { port } = new URL(proxy.hub.url);
    const body = JSON.stringify({ model: 'chat-burst', stream: true, messages: [] });
    const rawText = await new Promise<string>((ok, fail) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${proxy.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('end', () => ok(text));
      socket.on('error', fail);
      socket.setTimeout(5000, () => socket.destroy(new Error('timed out')));
    });
    const [head, chunked] = rawText.split('\r\n\r\n', 2).length === 2 ? [rawText.slice(0, rawText.indexOf('\r\n\r\n')), rawText.slice(rawText.indexOf('\r\n\r\n') + 4)] : ['', ''];
    expect(head).toMatch(/transfer-encoding: chunked/i);
    // Undo the chunked framing, counting the chunks.
    let rest = chunked;
    let text = '';
    let frames = 0;
    for (;;) {
      const eol = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, eol), 16);
      if (!size) break;
      text += rest.slice(eol + 2, eol + 2 + size);
      rest = rest.slice(eol + 2 + size + 2);
      frames++;
    }
    expect(text.match(/^data: \{"n":\d+\}$/gm)).toHaveLength(12);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(frames).toBeLessThanOrEqual(3);
    expect(await recorded('burst')).toEqual({ requests: 1, inputTokens: 9, outputTokens: 5 });
  });

  it("answers a HEAD on /bind/ with the provider's Content-Length", async () => {
    const r = await raw('HEAD', '/bind/chat-length/', null);
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String(SMALL.length));
  });

  it("stops the provider's answer when the caller goes away", async () => {
    closedEarly.length = 0;
    const url = new URL('/v1/chat/completions', proxy.hub.url);
    await new Promise<void>((ok, fail) => {
      const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${proxy.token}`, 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => {
          req.destroy();
          ok();
        });
      });
      req.on('error', (e) => (req.destroyed ? undefined : fail(e)));
      req.end(JSON.stringify({ model: 'chat-drip', stream: true, messages: [] }));
    });
    for (let i = 0; i < 100 && !closedEarly.includes('drip'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(closedEarly).toContain('drip');
  });
});
