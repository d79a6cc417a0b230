// Two hubs of one deployment on one redis-server (end to end): a provider failing through hub A
// opens its circuit there and hub B stops sending to it within milliseconds (measured, printed);
// after the cooldown one probe, through either hub, closes it on both; Redis killed, both hubs
// serve on with their own breakers; no unhandled rejection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { call, circuitLevel, startPairedHubs, type PairedHubs } from './paired-hubs.ts';
import { timeUntil, watchRejections } from './shared-stubs.ts';

const KEY = { apiKey: `sk-proj-${'k'.repeat(40)}` };
const COMPLETION = { id: 'c1', object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } };
const CHAT = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };

/** The failing provider: answers `status` after `delayMs`, and notes when each request arrived. */
interface Flaky { url: string; arrivals: number[]; status: number; delayMs: number; server: Server }
async function startFlaky(): Promise<Flaky> {
  const flaky = { url: '', arrivals: [] as number[], status: 500, delayMs: 0 } as Flaky;
  flaky.server = createServer((req, res) => {
    flaky.arrivals.push(performance.now());
    req.resume();
    req.on('end', () => setTimeout(() => {
      res.writeHead(flaky.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(flaky.status === 200 ? COMPLETION : { error: { message: 'down', type: 'server_error' } }));
    }, flaky.delayMs));
  });
  await new Promise<void>((r) => flaky.server.listen(0, '127.0.0.1', r));
  flaky.url = `http://127.0.0.1:${(flaky.server.address() as { port: number }).port}`;
  return flaky;
}

const provider = (id: string, url: string) => `id: ${id}\ntemplate: openai\nname: ${id}\nenvironment: prod\nconnection:\n  baseUrl: ${url}/v1\n`;

describe('circuits shared by two hubs', () => {
  let redis: TestRedis;
  let bad: Flaky;
  let good: MockUpstream;
  let hubs: PairedHubs;
  const rejections = watchRejections();

  beforeAll(async () => {
    redis = await startRedis();
    bad = await startFlaky();
    good = await startMockUpstream(() => ({ status: 200, body: COMPLETION }));
    hubs = await startPairedHubs(redis.url, {
      'providers/bad.yaml': provider('bad', bad.url),
      'providers/good.yaml': provider('good', good.url),
      'bindings/chat.yaml': `name: chat\nenvironment: prod\nprotocol: openai-chat\nstrategy: priority\ntargets:\n  - { provider: bad, model: gpt-4o-mini }\n  - { provider: good, model: gpt-4o-mini }\nfailover:\n  on: [connect-error, timeout, "5xx"]\n  maxAttempts: 2\n  timeoutMs: 5000\n  circuitBreaker: { errorRate: 0.5, minRequests: 4, windowSeconds: 60, cooldownSeconds: 1 }\n`,
    }, { bad: KEY, good: KEY });
  }, 60_000);
  afterAll(async () => {
    await hubs?.stop();
    await good?.close();
    bad?.server.closeAllConnections();
    await new Promise((r) => bad?.server.close(r));
    await redis?.stop();
  });

  const chat = async (via: 'a' | 'b') => {
    const res = await call(hubs[via], hubs.token, '/v1/chat/completions', CHAT);
    await res.arrayBuffer();
    return res;
  };

  it('fails on A, opens there, and B stops sending to it within milliseconds', async () => {
    // B's state is watched from before the request that trips A's breaker.
    let openOnB = 0;
    const watching = timeUntil(async () => (await circuitLevel(hubs.b, 'bad')) === 2 && (openOnB = performance.now()) > 0, 3000);
    for (let i = 0; i < 4; i++) {
      const res = await chat('a');
      expect(res.status).toBe(200); // failed over to good
      expect(res.headers.get('x-sil-provider')).toBe('good');
    }
    expect(bad.arrivals).toHaveLength(4);
    expect(await circuitLevel(hubs.a, 'bad')).toBe(2);
    expect(await watching).not.toBeNull();
    // From the 4th failing request reaching the provider: its answer, A's breaker, Redis, B.
    const took = openOnB - bad.arrivals[3];
    console.log(`circuit opened on hub A → open on hub B ${took.toFixed(1)} ms after A's 4th failing request reached the provider`);
    expect(took).toBeGreaterThan(0);
    expect(took).toBeLessThan(100);
    // B has never seen bad fail, yet sends it nothing.
    for (let i = 0; i < 5; i++) {
      const res = await chat('b');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sil-provider')).toBe('good');
    }
    expect(bad.arrivals).toHaveLength(4);
  });

  it('after the cooldown one probe, through either hub, closes it on both', async () => {
    bad.status = 200;
    bad.delayMs = 150; // the probe takes a while: any second request would arrive meanwhile
    await new Promise((r) => setTimeout(r, 1100));
    const before = bad.arrivals.length;
    const sent: Promise<Response>[] = [];
    // Rounds of one request to each hub, 20 ms apart, until 8 rounds after the probe (at most 100).
    for (let round = 0, after = 0; round < 100 && after < 8; round++, after += bad.arrivals.length > before ? 1 : 0) {
      sent.push(chat('a'), chat('b'));
      await new Promise((r) => setTimeout(r, 20));
    }
    const answers = await Promise.all(sent);
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const probe = bad.arrivals[before];
    expect(probe).toBeDefined();
    // Nothing else reached bad while the probe was out.
    expect(bad.arrivals.slice(before + 1).every((t) => t >= probe + 150)).toBe(true);
    const closedA = await timeUntil(async () => (await circuitLevel(hubs.a, 'bad')) === 0, 2000);
    const closedB = await timeUntil(async () => (await circuitLevel(hubs.b, 'bad')) === 0, 2000);
    expect(closedA).not.toBeNull();
    expect(closedB).not.toBeNull();
    console.log(`probe closed the circuit; ${bad.arrivals.length - before} requests reached bad, the first the only one during the probe`);
    expect(await hubs.redis.hlen(`${hubs.prefix}circuits`)).toBe(0);
  });

  it('Redis killed: both hubs serve on, each with its own breakers', async () => {
    await redis.kill();
    expect(await timeUntil(() => hubs.a.cluster.status().redis !== 'up' && hubs.b.cluster.status().redis !== 'up', 3000, 10)).not.toBeNull();
    bad.status = 500;
    bad.delayMs = 0;
    for (let i = 0; i < 4; i++) expect((await chat('a')).status).toBe(200);
    expect(await circuitLevel(hubs.a, 'bad')).toBe(2);
    expect(await circuitLevel(hubs.b, 'bad')).toBe(0); // not told: B counts for itself
    // B's own failures open B's breaker (its window also holds the successes after the probe).
    const before = bad.arrivals.length;
    for (let i = 0; i < 8 && (await circuitLevel(hubs.b, 'bad')) !== 2; i++) expect((await chat('b')).status).toBe(200);
    expect(await circuitLevel(hubs.b, 'bad')).toBe(2);
    expect(bad.arrivals.length - before).toBeGreaterThanOrEqual(2);
    const opened = bad.arrivals.length;
    for (let i = 0; i < 3; i++) expect((await chat('b')).status).toBe(200);
    expect(bad.arrivals.length).toBe(opened);
    await redis.restart();
  });

  it('left no unhandled rejection', () => {
    expect(rejections.stop()).toEqual([]);
  });
});
