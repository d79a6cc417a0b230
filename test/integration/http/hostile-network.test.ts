// Slow and idle callers against a real hub (short limits, the same code paths as the defaults):
// trickled headers and bodies are cut with a 408 at their limits while other requests are served
// at once; oversized headers get a 431; idle keep-alive connections and callers that stop reading
// are closed; a caller waiting for a slow provider is not (docs/network-limits.md).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect } from 'node:net';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';
import { startRawUpstream, type RawUpstream } from '../../helpers/raw-upstream.ts';
import type { ServerLimits } from '../../../server/http/server-limits.ts';

const KEY = `sk-proj-${'k'.repeat(40)}`;
const LIMITS = { headersTimeoutMs: 1500, requestTimeoutMs: 3000, keepAliveTimeoutMs: 1000, stalledSocketMs: 2000, checkIntervalMs: 250 } satisfies Partial<ServerLimits>;
/** Node adds 1 s to the keep-alive limit before it closes (keepAliveTimeoutBuffer). */
const KEEP_ALIVE_BUFFER_MS = 1000;
/** Leeway for a busy machine on top of the check interval. */
const SLACK_MS = 1000;

interface RawCall {
  write(text: string): void;
  pause(): void;
  resume(): void;
  /** Bytes received so far. */
  received(): number;
  /** When the hub closed the connection: ms after it was opened, and what it had sent. */
  closed: Promise<{ ms: number; text: string }>;
}

/** A raw connection to the hub that writes `first` at once; it is destroyed after `maxMs` whatever happens. */
function rawCall(url: string, first: string, maxMs = 15_000): RawCall {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  const started = performance.now();
  let text = '';
  let received = 0;
  socket.on('data', (d: Buffer) => {
    received += d.length;
    if (text.length < 4096) text += d.toString('latin1');
  });
  socket.on('error', () => undefined);
  const guard = setTimeout(() => socket.destroy(), maxMs);
  const closed = new Promise<{ ms: number; text: string }>((ok) => socket.once('close', () => {
    clearTimeout(guard);
    ok({ ms: performance.now() - started, text });
  }));
  if (first) socket.write(first);
  return { write: (t) => socket.writable && socket.write(t), pause: () => socket.pause(), resume: () => socket.resume(), received: () => received, closed };
}

/** Calls `fn` every `ms` until `until` settles. */
function repeatUntil(ms: number, fn: () => void, until: Promise<unknown>): void {
  const t = setInterval(fn, ms);
  void until.finally(() => clearInterval(t));
}

async function healthzMs(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  return performance.now() - started;
}

describe('slow and idle callers', () => {
  let up: RawUpstream;
  let p: ProxyHub;
  const chatHead = (length: number) => `POST /v1/chat/completions HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${p.token}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  beforeAll(async () => {
    up = await startRawUpstream();
    p = await startProxyHub({
      'sil.yaml': 'version: 1\nenvironments: [dev, prod]\ndefaults:\n  maxBodyBytes: 65536\n',
      'providers/slow.yaml': `id: slow\ntemplate: openai\nname: slow\nenvironment: prod\nconnection:\n  baseUrl: ${up.url}/v1\n`,
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: slow, model: gpt-4o-mini }\nfailover:\n  on: [connect-error, timeout, "5xx"]\n  maxAttempts: 1\n  timeoutMs: 20000\n',
    }, { slow: { apiKey: KEY } }, { limits: LIMITS });
  });
  afterAll(async () => {
    await p?.stop();
    await up?.close();
  });

  it('cuts callers that trickle their headers at the header limit with a 408, serving others meanwhile', async () => {
    const callers = Array.from({ length: 20 }, () => rawCall(p.hub.url, 'GET /healthz HTTP/1.1\r\nHost: hub\r\n'));
    const all = Promise.all(callers.map((c) => c.closed));
    repeatUntil(200, () => callers.forEach((c, i) => c.write(`x-slow-${i}: ${'a'.repeat(5)}\r\n`)), all);
    await new Promise((r) => setTimeout(r, 500));
    expect(await healthzMs(p.hub.url)).toBeLessThan(300);
    for (const { ms, text } of await all) {
      expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(ms).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 50);
      expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + LIMITS.checkIntervalMs + SLACK_MS);
    }
  });

  it('cuts a caller that connects and sends nothing at the header limit', async () => {
    const { ms, text } = await rawCall(p.hub.url, '').closed;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 50);
    expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + LIMITS.checkIntervalMs + SLACK_MS);
  });

  it('cuts a proxy request whose body is trickled at the request limit with a 408; the provider never sees it', async () => {
    const before = up.count();
    const callers = Array.from({ length: 10 }, () => rawCall(p.hub.url, `${chatHead(10_000)}{"model":"chat","messages":[`));
    const all = Promise.all(callers.map((c) => c.closed));
    repeatUntil(100, () => callers.forEach((c) => c.write(' ')), all);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await healthzMs(p.hub.url)).toBeLessThan(300);
    for (const { ms, text } of await all) {
      expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(ms).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 50);
      expect(ms).toBeLessThan(LIMITS.requestTimeoutMs + LIMITS.checkIntervalMs + SLACK_MS);
    }
    expect(up.count()).toBe(before);
    // The caller's doing, not the hub's: no stack traces in the log, and the request log says 408.
    expect(p.logs.filter((l) => l.startsWith('proxy: '))).toEqual([]);
    const cut = p.hub.requestLog.list(10).filter((e) => e.binding === '');
    expect(cut.length).toBeGreaterThanOrEqual(10);
    expect(new Set(cut.map((e) => e.status))).toEqual(new Set([408]));
  });

  it('answers 431 to headers above 16 KiB', async () => {
    const { text } = await rawCall(p.hub.url, `GET /healthz HTTP/1.1\r\nHost: hub\r\nx-big: ${'a'.repeat(17 * 1024)}\r\n\r\n`).closed;
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('closes an idle keep-alive connection after the keep-alive limit', async () => {
    const c = rawCall(p.hub.url, 'GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n');
    const { ms, text } = await c.closed;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text).toMatch(/keep-alive: timeout=1\r\n/i);
    expect(ms).toBeGreaterThanOrEqual(LIMITS.keepAliveTimeoutMs + KEEP_ALIVE_BUFFER_MS - 50);
    expect(ms).toBeLessThan(LIMITS.keepAliveTimeoutMs + KEEP_ALIVE_BUFFER_MS + SLACK_MS);
  });

  it('closes the connection of a caller that stops reading a large answer after the stalled limit, freeing the provider', async () => {
    const size = 48 * 1024 * 1024;
    let sent = 0;
    const abandoned = new Promise<number>((ok) => up.handle((_req, res) => {
      sent = performance.now();
      res.once('close', () => ok(performance.now() - sent));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"pad":"${'x'.repeat(size - 10)}"}`);
    }));
    const body = '{"model":"chat","messages":[{"role":"user","content":"hi"}]}';
    const c = rawCall(p.hub.url, chatHead(body.length) + body, 20_000);
    c.pause();
    // The hub fills the socket, nothing moves for the stalled limit, the hub closes it and stops
    // reading the provider's answer: long before the binding's 20 s limit.
    const ms = await abandoned;
    expect(ms).toBeGreaterThanOrEqual(LIMITS.stalledSocketMs - 50);
    expect(ms).toBeLessThan(LIMITS.stalledSocketMs + 4 * SLACK_MS);
    // What the kernel had taken arrives, then the end: far less than the whole answer.
    c.resume();
    const { text } = await c.closed;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(c.received()).toBeLessThan(size);
  });

  it('keeps a caller waiting for a provider that answers after the stalled and request limits', async () => {
    // Both only concern the caller: a request read in full is no longer timed; the provider's time is the binding's.
    up.handle((_req, res) => void up.after(Math.max(LIMITS.stalledSocketMs, LIMITS.requestTimeoutMs) + 1000, () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"late","choices":[]}')));
    const res = await fetch(`${p.hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: '{"model":"chat","messages":[]}', signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'late', choices: [] });
  });
  it('keeps a stream that falls silent longer than the stalled limit while its caller reads', async () => {
    up.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      up.after(LIMITS.stalledSocketMs + 1000, () => res.end('data: {"n":2}\n\ndata: [DONE]\n\n'));
    });
    const res = await fetch(`${p.hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: '{"model":"chat","stream":true,"messages":[]}', signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
  });
});
