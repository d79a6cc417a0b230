// providers/deepseek.yaml against a DeepSeek mock (test/mocks/providers/deepseek.ts): Bearer auth,
// chat through the `/v1` door (deepseek-chat and deepseek-reasoner), the balance through the
// pass-through door, answers sent the way DeepSeek sends them under load (blank lines before the
// JSON, `: keep-alive` comments in a stream), the health check, and usage with context-cache hits.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startDeepSeekMock, type DeepSeekMock } from '../../mocks/providers/deepseek.ts';
import { expectCost, json, listPrice, priceOf, sseData, usageAfter, usageNow, expectHealthCheck } from '../../mocks/providers/h1-test-kit.ts';

const KEY = 'sk-0123456789abcdef0123456789contract';
const HUB_KEY = 'sk-fedcba9876543210fedcba98765hubkey';
type Usage = { prompt_tokens: number; completion_tokens: number; prompt_cache_hit_tokens: number; prompt_cache_miss_tokens: number };

describe('deepseek template', () => {
  let mock: DeepSeekMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.deepseek.com': mock.url });

  beforeAll(async () => {
    mock = await startDeepSeekMock({ apiKey: HUB_KEY });
    hub = await startTemplateHub({
      template: 'deepseek', origins: origins(), secret: { apiKey: HUB_KEY },
      bindings: { chat: { protocol: 'openai-chat', model: 'deepseek-chat' }, balance: { protocol: 'http', service: 'balance' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <apiKey>; a wrong key is refused with 401 "Authentication Fails" (authentication_error)', async () => {
    const contract = await startDeepSeekMock({ apiKey: KEY });
    try {
      const o = { 'https://api.deepseek.com': contract.url };
      const req = await renderForTemplate({ template: 'deepseek', service: 'chat', origins: o, secret: { apiKey: KEY }, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'Hello' }] }) });
      expect(req.url.href).toBe(`${contract.url}/chat/completions`);
      expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
      const ok = await sendRendered(req);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'You said: Hello' } }] });

      const wrong = await sendRendered(await renderForTemplate({ template: 'deepseek', origins: o, secret: { apiKey: 'sk-notmykey00000000000000000000wxyz' }, path: 'models' }));
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual({ error: { message: 'Authentication Fails, Your api key: ****wxyz is invalid', type: 'authentication_error', param: null, code: 'invalid_request_error' } });
    } finally {
      await contract.close();
    }
  });

  it('via proxy: POST /v1/chat/completions (binding chat) reaches POST /chat/completions; deepseek-reasoner keeps its reasoning_content', async () => {
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'Capital of France?' }] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ model: 'deepseek-chat', choices: [{ message: { content: 'You said: Capital of France?' } }] });
    const seen = mock.received.findLast((r) => r.path === '/chat/completions')!;
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_KEY}`);

    const r1 = await hub.door('/v1/chat/completions', json({ model: 'chat/deepseek-reasoner', messages: [{ role: 'user', content: 'Think' }] }));
    expect(r1.status).toBe(200);
    const body = (await r1.json()) as { model: string; choices: { message: { reasoning_content: string } }[]; usage: { completion_tokens_details: { reasoning_tokens: number } } };
    expect(body.model).toBe('deepseek-reasoner');
    expect(body.choices[0].message.reasoning_content).toBe('Thinking it over.');
    expect(body.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });

  it('via proxy: GET /bind/balance (service balance) reaches GET /user/balance with the key', async () => {
    const res = await hub.door('/bind/balance');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ is_available: true, balance_infos: [{ currency: 'USD', total_balance: '25.00', granted_balance: '0.00', topped_up_balance: '25.00' }] });
    const seen = mock.received.findLast((r) => r.path === '/user/balance')!;
    expect(seen.method).toBe('GET');
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
  });

  it('via proxy: under load (blank lines before the JSON, ": keep-alive" comments before the stream) the caller gets the answer and the hub still records its usage', async () => {
    mock.setBusy(true);
    try {
      const before = usageNow(hub, 'chat');
      const plain = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'busy plain' }] }));
      expect(plain.status).toBe(200);
      expect(JSON.parse(await plain.text())).toMatchObject({ choices: [{ message: { content: 'You said: busy plain' } }] });
      const plainUsage = mock.usage.at(-1) as Usage;

      const streamed = await hub.door('/v1/chat/completions', json({ model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'busy stream' }] }));
      const text = await streamed.text();
      expect(text.startsWith(': keep-alive\n\n')).toBe(true);
      const frames = sseData(text);
      expect(frames.at(-1)).toBe('[DONE]');
      const streamUsage = mock.usage.at(-1) as Usage;
      expect((frames.at(-2) as { usage: Usage }).usage).toEqual(streamUsage);

      const after = await usageAfter(hub, 'chat', before, 2);
      expect(after.inputTokens - before.inputTokens).toBe(plainUsage.prompt_tokens + streamUsage.prompt_tokens);
      expect(after.outputTokens - before.outputTokens).toBe(plainUsage.completion_tokens + streamUsage.completion_tokens);
    } finally {
      mock.setBusy(false);
    }
  });

  it('via proxy: a 429 "Rate Limit Reached" (no rate-limit headers) reaches the caller in DeepSeek\'s error shape', async () => {
    mock.throttle(1, '/chat/completions');
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }));
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('Rate Limit Reached');
  });

  it('usage: prompt tokens, context-cache hits (prompt_cache_hit_tokens) and completion tokens are recorded as reported, priced at the catalog\'s deepseek-chat cache-hit / cache-miss / output prices', async () => {
    const before = usageNow(hub, 'chat');
    const n = mock.usage.length;
    const system = { role: 'system', content: 'You answer questions about the DeepSeek API in a single sentence.' };
    for (const q of ['first question', 'second question here']) {
      const res = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [system, { role: 'user', content: q }] }));
      expect(res.status).toBe(200);
    }
    const reported = mock.usage.slice(n) as Usage[];
    expect(reported[0].prompt_cache_hit_tokens).toBe(0);
    expect(reported[1].prompt_cache_hit_tokens).toBeGreaterThan(0);
    const after = await usageAfter(hub, 'chat', before, 2);
    const sum = (f: (u: Usage) => number) => reported.reduce((a, u) => a + f(u), 0);
    expect(after.inputTokens - before.inputTokens).toBe(sum((u) => u.prompt_tokens));
    expect(after.cachedInputTokens - before.cachedInputTokens).toBe(sum((u) => u.prompt_cache_hit_tokens));
    expect(after.outputTokens - before.outputTokens).toBe(sum((u) => u.completion_tokens));
    const price = listPrice('deepseek', 'chat', 'deepseek-chat');
    expectCost(after.cost - before.cost, sum((u) => priceOf(price, { input: u.prompt_tokens, cached: u.prompt_cache_hit_tokens, output: u.completion_tokens })), reported.length);
  });

  it('health check: GET /models with the key is ok; a revoked key makes it fail', async () => {
    await expectHealthCheck(hub, mock, '/models', { authorization: `Bearer ${HUB_KEY}` });
  });
});
