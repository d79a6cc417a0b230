// What deploy/nginx/sil.conf sends again, and what it does not, on a real nginx: in front of an
// instance that reads each request in full and then dies on it (the connection cut before any
// answer) and one that answers. `max_fails=0` keeps the dying instance in the rotation, so that
// about half the requests meet it first; which one nginx tried is read from its access log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { startNginx, type AccessEntry, type TestNginx } from '../../helpers/nginx.ts';

interface Seen { method: string; url: string; headers: IncomingHttpHeaders; body: string }
const ROUNDS = 8;

/** Reads a whole request (headers and a Content-Length body), records it, then cuts the connection. */
function dyingInstance(seen: Seen[]): NetServer {
  return createNetServer((socket) => {
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = data.subarray(0, end).toString();
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      const [method, url] = head.split(' ');
      seen.push({ method, url, headers: {}, body: data.subarray(end + 4, end + 4 + length).toString() });
      socket.destroy();
    });
    socket.on('error', () => {});
  });
}

/** Answers 200 with what it got; /v1/fail with a sil-style 502; /v1/stream with two events 600 ms apart. */
function answeringInstance(seen: Seen[]): HttpServer {
  return createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/v1/fail') {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"SIL_PROXY_UPSTREAM"}}');
        return;
      }
      if (req.url === '/v1/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
        setTimeout(() => res.end('data: [DONE]\n\n'), 600);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ served: 'good', method: req.method, url: req.url, body }));
    });
  });
}

const listen = (s: NetServer | HttpServer) => new Promise<number>((ok) => s.listen(0, '127.0.0.1', () => ok((s.address() as { port: number }).port)));
const close = (s: NetServer | HttpServer) => new Promise<void>((ok) => s.close(() => ok()));

describe('deploy/nginx/sil.conf: which requests go to the other instance', () => {
  const dyingSeen: Seen[] = [];
  const goodSeen: Seen[] = [];
  const dying = dyingInstance(dyingSeen);
  const good = answeringInstance(goodSeen);
  let dyingAddr = '';
  let goodAddr = '';
  let nginx: TestNginx;

  beforeAll(async () => {
    dyingAddr = `127.0.0.1:${await listen(dying)}`;
    goodAddr = `127.0.0.1:${await listen(good)}`;
    nginx = await startNginx([dyingAddr, goodAddr], { maxFails: 0 });
  });
  afterAll(async () => {
    await nginx?.stop();
    (good as HttpServer).closeAllConnections();
    await Promise.all([close(dying), close(good)]);
  });

  /** Sends ROUNDS requests one after another; returns the answers and their access-log lines. */
  async function rounds(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
    const before = nginx.accessLog().length;
    const answers: { status: number; body: string }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const res = await fetch(`${nginx.url}${path}`, { method, body: init.body, headers: { 'content-type': 'application/json', ...init.headers } });
      answers.push({ status: res.status, body: await res.text() });
    }
    // Only this call's lines: nginx may write the line of an earlier test's last request after
    // `before` was read; and the last of these may land a moment after its answer.
    const ours = () => nginx.accessLog().slice(before).filter((e) => e.method === method && e.uri === path);
    for (let i = 0; i < 50 && ours().length < ROUNDS; i++) await new Promise((r) => setTimeout(r, 20));
    const entries = ours();
    expect(entries).toHaveLength(ROUNDS);
    return { answers, entries, dyingFirst: entries.filter((e) => e.upstreams[0] === dyingAddr), goodFirst: entries.filter((e) => e.upstreams[0] === goodAddr) };
  }
  const path = (e: AccessEntry) => e.upstreams.map((u) => (u === dyingAddr ? 'dying' : u === goodAddr ? 'good' : u)).join(' > ');

  it('/v1/: a POST cut by a dying instance after it was sent is answered by the other (non_idempotent)', async () => {
    const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    const r = await rounds('POST', '/v1/chat/completions', { body });
    expect(r.answers.every((a) => a.status === 200 && JSON.parse(a.body).body === body)).toBe(true);
    expect(r.dyingFirst.length).toBeGreaterThan(0);
    for (const e of r.dyingFirst) expect(path(e)).toBe('dying > good');
    // The dying instance had the whole request: nginx sent it twice.
    expect(dyingSeen.filter((s) => s.url === '/v1/chat/completions').every((s) => s.body === body)).toBe(true);
  });

  it('/bind/: a POST that reached a dying instance is not sent again (502); with an Idempotency-Key it is', async () => {
    const body = '{"amount":100}';
    const plain = await rounds('POST', '/bind/pay/charges', { body });
    expect(plain.dyingFirst.length).toBeGreaterThan(0);
    expect(plain.goodFirst.length).toBeGreaterThan(0);
    for (const e of plain.dyingFirst) expect([path(e), e.status]).toEqual(['dying', 502]);
    for (const e of plain.goodFirst) expect([path(e), e.status]).toEqual(['good', 200]);

    const keyed = await rounds('POST', '/bind/pay/charges', { body, headers: { 'idempotency-key': 'order-17' } });
    expect(keyed.answers.every((a) => a.status === 200 && JSON.parse(a.body).body === body)).toBe(true);
    expect(keyed.dyingFirst.length).toBeGreaterThan(0);
    for (const e of keyed.dyingFirst) expect(path(e)).toBe('dying > good');
    const keyedAtGood = goodSeen.filter((s) => s.headers['idempotency-key'] === 'order-17');
    expect(keyedAtGood).toHaveLength(ROUNDS);
    expect(keyedAtGood.every((s) => s.method === 'POST' && s.url === '/bind/pay/charges' && s.body === body)).toBe(true);

    const get = await rounds('GET', '/bind/pay/charges/1');
    expect(get.answers.every((a) => a.status === 200)).toBe(true);
    expect(get.dyingFirst.length).toBeGreaterThan(0);
  });

  it('an instance\'s own 502 (every provider failed) is passed on, not tried on the other instance', async () => {
    const r = await rounds('POST', '/v1/fail', { body: '{}' });
    expect(r.goodFirst.length).toBeGreaterThan(0);
    for (const e of r.goodFirst) expect([path(e), e.status]).toEqual(['good', 502]);
    expect(r.answers.every((a) => a.status === 502 && a.body === '{"error":{"code":"SIL_PROXY_UPSTREAM"}}')).toBe(true);
  });

  it('streams are not buffered: the first event arrives before the stream ends', async () => {
    const started = Date.now();
    const res = await fetch(`${nginx.url}/v1/stream`, { method: 'POST', body: '{}' });
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstMs = Date.now() - started;
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
    const totalMs = Date.now() - started;
    expect(Buffer.from(first.value!).toString()).toBe('data: first\n\n');
    expect(rest).toBe('data: [DONE]\n\n');
    expect(firstMs).toBeLessThan(totalMs - 300);
  });

  it('sets X-Forwarded-For (appending the caller\'s address) and X-Forwarded-Proto; /metrics is not proxied', async () => {
    const before = goodSeen.length;
    for (let i = 0; i < 2; i++) await fetch(`${nginx.url}/v1/models`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    const seen = goodSeen.slice(before).find((s) => s.url === '/v1/models')!;
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
    expect([...dyingSeen, ...goodSeen].some((s) => s.url === '/metrics')).toBe(false);
  });

  it('the console goes to the first instance and, when it fails, to the backup; a POST that reached it is not sent again', async () => {
    const get = await rounds('GET', '/api/status');
    for (const e of get.entries) expect([path(e), e.status]).toEqual(['dying > good', 200]);
    const login = await rounds('POST', '/api/login', { body: '{"password":"x"}' });
    for (const e of login.entries) expect([path(e), e.status]).toEqual(['dying', 502]);
  });
});
