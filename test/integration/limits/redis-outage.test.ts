// Shared limits while Redis fails, through two real hubs and a real redis-server: a Redis that
// hangs (a long script blocks it) and a Redis that dies (SIGKILL) and comes back empty. Each
// policy follows its failMode — local counts per instance from the last count it saw, open
// admits uncounted, closed (and the sil.yaml default) answers 503 SIL_LIMIT_STORE_UNAVAILABLE in
// each door's shape — no request waits much longer than connectTimeoutMs, the alert
// shared-state-unavailable:redis fires and resolves, and the local counts reach limits.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { bindingFile, providerFile } from './limits-hub.ts';
import { chatOn, silYaml, startRedisHubs, waitFor, type RedisHubs } from './redis-hubs.ts';
import type { Hub } from '../../../server/main.ts';

const CONNECT_TIMEOUT_MS = 500;
/** "A little" over connectTimeoutMs that a request may take while Redis fails (a loaded test machine). */
const SLACK_MS = 700;
const ALERT = 'shared-state-unavailable:redis';
const rate = (name: string, failMode?: string) => `name: ${name}\nrateLimit: { requests: 5, per: hour }\n${failMode ? `failMode: ${failMode}\n` : ''}`;

async function bindOn(hub: Hub, token: string): Promise<{ status: number; body: string; headers: Headers }> {
  const r = await fetch(`${hub.url}/bind/raw/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, body: await r.text(), headers: r.headers };
}

const alertState = (hub: Hub) => hub.alerts.get(ALERT)?.state;

describe('shared limits while Redis fails', () => {
  let redis: TestRedis;
  let upstream: MockUpstream;
  let c: RedisHubs;
  let blocker: Redis | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    upstream = await startMockUpstream(() => ({ status: 200, body: chatCompletion('gpt-4o-mini', 'ok') }));
    c = await startRedisHubs({
      count: 2,
      files: {
        'sil.yaml': silYaml({ url: redis.url, failMode: 'closed', connectTimeoutMs: CONNECT_TIMEOUT_MS }),
        'providers/up.yaml': providerFile('up', upstream.url),
        'bindings/chat.yaml': bindingFile('chat', ['up']),
        'bindings/raw.yaml': 'name: raw\nenvironment: prod\nprotocol: http\ntargets:\n  - { provider: up, service: api }\n',
        'policies/loc.yaml': rate('loc', 'local'),
        'policies/opn.yaml': rate('opn', 'open'),
        'policies/cls.yaml': rate('cls', 'closed'),
        'policies/dflt.yaml': rate('dflt'),
        'policies/hang.yaml': rate('hang', 'local'),
      },
      clients: { loc: 'loc', opn: 'opn', cls: 'cls', dflt: 'dflt', hang: 'hang' },
      providers: ['up'],
    });
    await waitFor('both instances connected to Redis', () => c.hubs.every((h) => h.cluster.status().redis === 'up'));
  }, 60_000);
  afterAll(async () => {
    blocker?.disconnect();
    await c?.stop();
    await upstream?.close();
    await redis?.stop();
  });

  it('a Redis that hangs: requests fall back after connectTimeoutMs at most, the alert fires, and clears when it answers', async () => {
    const [a, b] = c.hubs;
    expect((await chatOn(a, c.tokens.hang)).status).toBe(200);
    // A script that keeps Redis busy for 1.5 s: every command of the hubs waits behind it.
    blocker = new Redis(redis.url);
    const busy = blocker.eval("local s = redis.call('TIME') repeat local n = redis.call('TIME') until (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > 1500000 return 1", 0);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    const answers = await Promise.all([a, b, a, b].map((h) => chatOn(h, c.tokens.hang)));
    const ms = performance.now() - started;
    console.log(`[redis hangs] 4 requests answered in ${Math.round(ms)} ms (connectTimeoutMs ${CONNECT_TIMEOUT_MS}): ${answers.map((x) => `${x.status} ${Math.round(x.ms)} ms`).join(', ')}`);
    for (const x of answers) expect(x.ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
    // failMode local: counted in each instance (a from the 1 it saw, b from 0): all 4 fit in 5.
    expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200]);
    expect(alertState(a)).toBe('firing');
    expect(alertState(b)).toBe('firing');
    await busy;
    blocker.disconnect();
    // Redis answers again: a request after the one-second pause goes to it and clears the alert.
    await waitFor('the alert resolved on both', async () => {
      await Promise.all([chatOn(a, c.tokens.hang), chatOn(b, c.tokens.hang)]);
      return alertState(a) === 'resolved' && alertState(b) === 'resolved';
    }, 8_000);
  });

  it('a Redis that dies: local, open and closed as documented, the alert, limits.json; back after restart', async () => {
    const [a, b] = c.hubs;
    // Redis up: counts are shared.
    for (let i = 0; i < 3; i++) expect((await chatOn(a, c.tokens.loc)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await chatOn(c.hubs[i % 2], c.tokens.opn)).status).toBe(200);
    expect((await chatOn(b, c.tokens.opn)).status).toBe(429);
    expect((await chatOn(a, c.tokens.cls)).status).toBe(200);
    expect((await chatOn(b, c.tokens.dflt)).status).toBe(200);

    await redis.kill();
    const started = performance.now();
    const [locA, locB, opn, cls, dflt, bind] = await Promise.all([
      Promise.all(Array.from({ length: 6 }, () => chatOn(a, c.tokens.loc))),
      Promise.all(Array.from({ length: 6 }, () => chatOn(b, c.tokens.loc))),
      Promise.all(Array.from({ length: 8 }, (_, i) => chatOn(c.hubs[i % 2], c.tokens.opn))),
      Promise.all([chatOn(a, c.tokens.cls), chatOn(b, c.tokens.cls)]),
      Promise.all([chatOn(a, c.tokens.dflt), chatOn(b, c.tokens.dflt)]),
      bindOn(b, c.tokens.cls),
    ]);
    const ms = performance.now() - started;
    const all = [...locA, ...locB, ...opn, ...cls, ...dflt];
    console.log(`[redis killed] ${all.length + 1} requests answered within ${Math.round(ms)} ms; slowest ${Math.round(Math.max(...all.map((x) => x.ms)))} ms`);
    for (const x of all) expect(x.ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);

    // local: each instance counts alone, starting from the last count it saw (a: 3 of 5; b: none).
    expect(locA.filter((x) => x.status === 200)).toHaveLength(2);
    expect(locB.filter((x) => x.status === 200)).toHaveLength(5);
    expect([...locA, ...locB].filter((x) => x.status === 429).every((x) => x.body.includes('SIL_LIMIT_RATE'))).toBe(true);
    // open: admitted without counting (the shared bucket was full).
    expect(opn.map((x) => x.status)).toEqual(Array(8).fill(200));
    // closed (and dflt, closed by sil.yaml redis.failMode): 503 naming the policy, Retry-After, the OpenAI shape.
    for (const [x, policy] of [[cls[0], 'cls'], [cls[1], 'cls'], [dflt[0], 'dflt'], [dflt[1], 'dflt']] as const) {
      expect(x.status).toBe(503);
      expect(x.headers.get('retry-after')).toBe('5');
      const body = JSON.parse(x.body);
      expect(body.error).toMatchObject({ code: 'SIL_LIMIT_STORE_UNAVAILABLE', type: 'api_error', param: null });
      expect(body.error.message).toContain(`Policy "${policy}"`);
    }
    // ... and sil's own shape on /bind/.
    expect(bind.status).toBe(503);
    expect(bind.headers.get('retry-after')).toBe('5');
    expect(JSON.parse(bind.body).error).toMatchObject({ code: 'SIL_LIMIT_STORE_UNAVAILABLE', hint: expect.stringContaining('failMode') });

    for (const h of [a, b]) {
      await waitFor('the alert firing', () => alertState(h) === 'firing', 3_000);
      expect(h.alerts.get(ALERT)).toMatchObject({ kind: 'shared-state-unavailable', severity: 'critical' });
    }
    // The status shows the local counts while Redis is away, and they are written to limits.json.
    expect(a.limiter.status().find((s) => s.policy === 'loc')?.used).toBeCloseTo(5, 2);
    const file = join(c.dirs[1], 'state', 'limits.json');
    await waitFor('the local counts in limits.json', () => existsSync(file) && readFileSync(file, 'utf8').includes('rate|loc|client|client:loc'), 5_000);

    await redis.restart();
    for (const h of [a, b]) await waitFor('the alert resolved after restart', () => alertState(h) === 'resolved', 10_000);
    await waitFor('both instances connected again', () => c.hubs.every((h) => h.cluster.status().redis === 'up'));
    // Shared again (the restarted Redis starts empty): opn admits 5 over both instances, then refuses.
    const again = [];
    for (let i = 0; i < 7; i++) again.push((await chatOn(c.hubs[i % 2], c.tokens.opn)).status);
    expect(again).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});
