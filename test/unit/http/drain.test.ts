// The graceful drain on a real node:http server on 127.0.0.1: new connections refused, kept-alive
// connections told to close, /healthz "draining", requests and streams in progress finished,
// and the bound that cuts what is left.
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainingHealth, isHealthCheck, ServerDrain } from '../../../server/http/drain.ts';

interface Answer { status: number; headers: IncomingHttpHeaders; body: string; localPort: number }

function call(port: number, path: string, agent: Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      const localPort = res.socket.localPort ?? 0;
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, localPort }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const STREAM_CHUNKS = 10;
const CHUNK_MS = 40;

/** /fast, /healthz (the app's own), /slow (answers when released), /stream (10 chunks 40 ms apart), /endless. */
async function testServer() {
  const releases: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url === '/slow') {
      releases.push(() => res.end('slow done'));
      return;
    }
    if (req.url === '/stream' || req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const tick = setInterval(() => {
        res.write(`data: ${n++}\n\n`);
        if (req.url === '/stream' && n === STREAM_CHUNKS) {
          clearInterval(tick);
          res.end('data: [DONE]\n\n');
        }
      }, CHUNK_MS);
      res.on('close', () => clearInterval(tick));
      return;
    }
    res.end(req.url === '/healthz' ? '{"status":"ok"}' : 'fast');
  });
  const logs: string[] = [];
  const drain = new ServerDrain(server, (l) => logs.push(l));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { server, drain, logs, port: (server.address() as AddressInfo).port, release: () => releases.splice(0).forEach((r) => r()) };
}

const open: Server[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((ok) => s.close(() => ok()));
  }
});

const until = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
};

describe('drain rules', () => {
  it('recognises the health check and answers it with 503 "draining"', () => {
    expect(isHealthCheck('GET', '/healthz')).toBe(true);
    expect(isHealthCheck('HEAD', '/healthz?x=1')).toBe(true);
    expect(isHealthCheck('POST', '/healthz')).toBe(false);
    expect(isHealthCheck('GET', '/healthzz')).toBe(false);
    expect(isHealthCheck('GET', '/v1/healthz')).toBe(false);
    expect(drainingHealth(2)).toEqual({ status: 503, body: '{"status":"draining","inFlight":2}' });
  });
});

describe('ServerDrain', () => {
  it('before a drain nothing changes: connections are kept alive and /healthz is the app\'s', async () => {
    const t = await testServer();
    open.push(t.server);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const a = await call(t.port, '/fast', agent);
    const b = await call(t.port, '/healthz', agent);
    expect(a.headers.connection).toBe('keep-alive');
    expect(b).toMatchObject({ status: 200, body: '{"status":"ok"}', localPort: a.localPort });
    expect(t.drain.draining).toBe(false);
    agent.destroy();
  });

  it('refuses new connections, tells kept-alive ones to close, says "draining" and lets requests and streams finish', async () => {
    const t = await testServer();
    open.push(t.server);
    const kept = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await call(t.port, '/fast', kept);
    const slow = call(t.port, '/slow', false);
    const stream = call(t.port, '/stream', false);
    expect(await until(() => t.drain.inFlight() === 2, 2000)).toBe(true);

    const drained = t.drain.drain(5000);
    expect(t.drain.draining).toBe(true);
    await expect(call(t.port, '/fast', false)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The idle kept-alive connection was left open: the next request on it learns of the drain.
    const health = await call(t.port, '/healthz', kept);
    expect(health.localPort).toBe(first.localPort);
    expect(health.status).toBe(503);
    expect(health.headers.connection).toBe('close');
    expect(JSON.parse(health.body)).toEqual({ status: 'draining', inFlight: 2 });

    t.release();
    const slowAnswer = await slow;
    expect(slowAnswer).toMatchObject({ status: 200, body: 'slow done' });
    expect(slowAnswer.headers.connection).toBe('close');
    const streamAnswer = await stream;
    expect(streamAnswer.body.match(/^data: /gm)).toHaveLength(STREAM_CHUNKS + 1);
    expect(streamAnswer.body.endsWith('data: [DONE]\n\n')).toBe(true);

    const result = await drained;
    expect(result).toMatchObject({ drained: true, cut: 0 });
    expect(result.waitedMs).toBeLessThan(5000);
    expect(t.server.listening).toBe(false);
    expect(t.logs[0]).toBe('http: draining: new connections refused, 2 request(s) in progress; /healthz answers 503 "draining"');
    expect(t.logs[1]).toMatch(/^http: drained in \d+\.\d s$/);
    // A second call is the same drain.
    expect(await t.drain.drain(5000)).toBe(result);
    kept.destroy();
  });

  it('cuts what is still in progress at the bound', async () => {
    const t = await testServer();
    open.push(t.server);
    const endless = call(t.port, '/endless', false);
    expect(await until(() => t.drain.inFlight() === 1, 2000)).toBe(true);
    const started = Date.now();
    const result = await t.drain.drain(300);
    expect(result).toMatchObject({ drained: false, cut: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(endless).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
    expect(t.logs[1]).toBe('http: 1 request(s) still in progress after 0.3 s: closing their connections');
  });
});
