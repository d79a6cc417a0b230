// Policies enforced through a real hub on 127.0.0.1 with real provider mocks: exact counts under
// concurrency, the 429 answers (code, message, Retry-After, x-ratelimit-*), token quotas that
// concurrent callers cannot overshoot, budgets, provider policies that pass a target over,
// a policy changed by a commit, and counters that survive a restart.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { KEY, bindingFile, chat, clientFile, providerFile, startLimitsHub, until, type LimitsHub } from './limits-hub.ts';

interface ErrorBody { error: { code: string; message: string; type?: string; hint?: string } }

const completion = (model: string, tokens: { prompt: number; completion: number }) => ({
  ...(chatCompletion(model, 'ok') as object),
  usage: { prompt_tokens: tokens.prompt, completion_tokens: tokens.completion, total_tokens: tokens.prompt + tokens.completion },
});

describe('limits through a real hub', () => {
  let a: MockUpstream;
  let b: MockUpstream;
  let h: LimitsHub;
  // Answers after 400 ms: every concurrent request is admitted or refused before one settles.
  let slow: Server;
  const tokensPerAnswer = { prompt: 20, completion: 30 };

  beforeAll(async () => {
    const answer = (r: { body: string }) => ({ status: 200, headers: { 'x-ratelimit-limit-requests': '9999', 'x-ratelimit-remaining-requests': '9998', 'x-ratelimit-reset-requests': '1ms' }, body: completion(JSON.parse(r.body || '{}').model ?? '', tokensPerAnswer) });
    a = await startMockUpstream(answer);
    b = await startMockUpstream(answer);
    slow = createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(completion('gpt-4o-mini', tokensPerAnswer)));
      }, 400));
    });
    await new Promise<void>((ok) => slow.listen(0, '127.0.0.1', () => ok()));
    const slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
    h = await startLimitsHub((token) => ({
      'providers/a.yaml': providerFile('a', a.url, 'upstream-a'),
      'providers/b.yaml': providerFile('b', b.url),
      'providers/slow.yaml': providerFile('slow', slowUrl),
      'bindings/chat.yaml': bindingFile('chat', ['b']),
      'bindings/tokens.yaml': bindingFile('tokens', ['slow'], 'token-quota'),
      'bindings/spend.yaml': bindingFile('spend', ['b'], 'spend'),
      'bindings/via-a.yaml': bindingFile('via-a', ['a', 'b']),
      'bindings/only-a.yaml': bindingFile('only-a', ['a']),
      'bindings/raw.yaml': 'name: raw\nenvironment: prod\nprotocol: http\ntargets:\n  - { provider: b, service: api }\npolicy: raw-rate\n',
      'bindings/daily.yaml': bindingFile('daily', ['b'], 'daily'),
      'clients/web.yaml': clientFile('web', token, 'ai-default'),
      'policies/ai-default.yaml': 'name: ai-default\nrateLimit: { requests: 10, per: minute, scope: client-binding }\n',
      'policies/token-quota.yaml': 'name: token-quota\nquota: { period: day, tokens: 1000 }\n',
      'policies/spend.yaml': 'name: spend\nbudget: { amount: 0.00001, period: month, onExceeded: block, alertAtPercent: [50] }\n',
      'policies/upstream-a.yaml': 'name: upstream-a\nrateLimit: { requests: 1, per: hour }\n',
      'policies/raw-rate.yaml': 'name: raw-rate\nrateLimit: { requests: 1, per: hour, scope: binding }\n',
      'policies/daily.yaml': 'name: daily\nquota: { period: day, requests: 4 }\n',
    }), ['a', 'b', 'slow']);
  });
  afterAll(async () => {
    await h?.stop();
    await a?.close();
    await b?.close();
    slow?.closeAllConnections();
    await new Promise<void>((ok) => (slow ? slow.close(() => ok()) : ok()));
  });

  it('admits exactly 10 of 30 concurrent requests to a policy of 10 a minute', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => chat(h, { model: 'chat', messages: [{ role: 'user', content: 'hi' }] })));
    const ok = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status === 429);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(20);

    // Success: sil's trio replaces the provider's.
    const remaining = ok.map((r) => Number(r.headers.get('x-ratelimit-remaining-requests'))).sort((x, y) => x - y);
    expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of ok) {
      expect(r.headers.get('x-ratelimit-limit-requests')).toBe('10');
      expect(r.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+s$|^\dm\d+s$/);
      expect(r.headers.get('retry-after')).toBeNull();
    }

    // Refusal: 429 in the OpenAI error shape, the policy and limit named, Retry-After, the trio.
    const r = refused[0];
    const body = (await r.json()) as ErrorBody;
    expect(body).toEqual({ error: { message: expect.stringMatching(/^Policy "ai-default": 10 requests per minute for client web on binding chat\. Hint: /), type: 'rate_limit_error', code: 'SIL_LIMIT_RATE', param: null } });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(6);
    expect(r.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(r.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(r.headers.get('x-ratelimit-reset-requests')).toMatch(/^5\ds$|^1m0s$/);
    expect(r.headers.get('x-sil-request-id')).toBeTruthy();
    for (const x of refused.slice(1)) await x.body?.cancel();
    expect(h.hub.limiter.rejections().get('ai-default|rate')).toBe(20);
    // Only the admitted ones reached the provider.
    expect(b.received).toHaveLength(10);
    expect(b.received.every((x) => x.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  });

  it('reserves max_tokens so that concurrent callers never overshoot a token quota, then settles to the real count', async () => {
    // Each request reserves about 15 (body) + 200 (max_tokens): 4 fit in 1000; each really uses 50.
    const answers = await Promise.all(Array.from({ length: 8 }, () => chat(h, { model: 'tokens', max_tokens: 200, messages: [{ role: 'user', content: 'x' }] })));
    const ok = answers.filter((r) => r.status === 200);
    expect(ok).toHaveLength(4);
    const refused = answers.find((r) => r.status === 429)!;
    const body = (await refused.json()) as ErrorBody;
    expect(body.error.code).toBe('SIL_LIMIT_QUOTA_TOKENS');
    expect(body.error.message).toMatch(/^Policy "token-quota": 1000 tokens per day for client web on binding tokens \(\d+ left, this request may use up to \d+\)\./);
    expect(refused.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    for (const r of ok) expect(r.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    for (const r of answers) if (!r.bodyUsed) await r.body?.cancel();
    const used = () => h.hub.limiter.status().find((s) => s.policy === 'token-quota')?.used;
    await until('the reservations to settle', () => used() === 4 * 50);
    expect(h.hub.limiter.pendingReservations).toBe(0);
  });

  it('blocks a spent budget and records the mark crossed', async () => {
    // gpt-4o-mini at 0.15 / 0.6 per 1M: 20 in + 30 out ≈ 0.000021 USD, over the budget of 0.00001.
    expect((await chat(h, { model: 'spend', messages: [] })).status).toBe(200);
    await until('the cost to be added', () => (h.hub.limiter.status().find((s) => s.policy === 'spend')?.used ?? 0) > 0);
    const res = await chat(h, { model: 'spend', messages: [] });
    expect(res.status).toBe(429);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('SIL_LIMIT_BUDGET');
    expect(body.error.message).toMatch(/^Policy "spend": the budget of 0\.00001 USD per month for client web on binding spend is spent \(0\.0000\d+ USD\)/);
    expect(h.hub.limiter.alerts().map((x) => [x.policy, x.percent])).toEqual([['spend', 50]]);
    await h.hub.auditLog.flush();
    const { entries } = await h.hub.auditLog.page({ type: 'limit.budget-alert' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ type: 'limit.budget-alert', actor: 'system', detail: { policy: 'spend', scope: 'client-binding:web/spend', percent: 50, amount: 0.00001, currency: 'USD' } });
  });

  it('passes over a provider at its policy\'s limit to the next target, and answers 429 when none is left', async () => {
    const first = await chat(h, { model: 'via-a', messages: [] });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-sil-provider')).toBe('a');
    const second = await chat(h, { model: 'via-a', messages: [] });
    expect(second.status).toBe(200);
    expect(second.headers.get('x-sil-provider')).toBe('b');
    expect(second.headers.get('x-sil-failover-reason')).toBe('a: rate limit (policy upstream-a)');
    const none = await chat(h, { model: 'only-a', messages: [] });
    expect(none.status).toBe(429);
    expect(Number(none.headers.get('retry-after'))).toBeGreaterThan(3000);
    const body = (await none.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'SIL_LIMIT_RATE', type: 'rate_limit_error' });
    expect(body.error.message).toMatch(/^Policy "upstream-a": 1 requests per hour for provider a\./);
    expect(a.received).toHaveLength(1);
  });

  it('answers /bind/ refusals in sil\'s own error shape', async () => {
    const call = () => fetch(`${h.hub.url}/bind/raw/v1/models`, { headers: { authorization: `Bearer ${h.token}` } });
    expect((await call()).status).toBe(200);
    const res = await call();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    const body = (await res.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'SIL_LIMIT_RATE', message: 'policy "raw-rate": 1 requests per hour for binding raw' });
    expect(body.error.hint).toContain('Retry-After');
  });

  it('applies a changed policy to the next request and keeps its count', async () => {
    for (let i = 0; i < 3; i++) expect((await chat(h, { model: 'daily', messages: [] })).status).toBe(200);
    await h.change({ 'policies/daily.yaml': 'name: daily\nquota: { period: day, requests: 3 }\n' });
    const res = await chat(h, { model: 'daily', messages: [] });
    expect(res.status).toBe(429);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/^Policy "daily": 3 requests per day for client web on binding daily\./);
    await h.change({ 'policies/daily.yaml': 'name: daily\nquota: { period: day, requests: 5 }\n' });
    const after = await chat(h, { model: 'daily', messages: [] });
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining-requests')).toBe('1');
  });

  it('keeps the counters across a restart (data/state/limits.json)', async () => {
    await h.restart();
    const file = join(h.dataDir, 'state', 'limits.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).counters.length).toBeGreaterThan(0);
    // The daily quota (5, with 4 used) lets one more through.
    const once = await chat(h, { model: 'daily', messages: [] });
    expect(once.status, await once.text()).toBe(200);
    expect((await chat(h, { model: 'daily', messages: [] })).status).toBe(429);
    const status = h.hub.limiter.status();
    // The rate bucket of web on chat (10 taken, draining one per 6 s) came back too.
    expect(status.find((s) => s.policy === 'ai-default' && s.scope === 'client-binding:web/chat')!.used).toBeGreaterThan(5);
    expect(status.find((s) => s.policy === 'daily')).toMatchObject({ used: 5, max: 5, limit: 'quota.requests', scope: 'client-binding:web/daily', attachedTo: { kind: 'binding', name: 'web/daily' } });
    expect(status.find((s) => s.policy === 'token-quota')).toMatchObject({ used: 200 });
  });
});
