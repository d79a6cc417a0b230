// providers/meta-llama.yaml against a Llama API mock (test/mocks/providers/meta-llama.ts): Bearer
// auth on the native (/v1) and OpenAI-compatible (/compat/v1) APIs, chat through the `/v1` door
// (compat), the native chat and moderations through the pass-through door, the documented
// x-ratelimit-* headers and a 429, the health check, and usage from `usage` (compat) and from the
// native answer's metrics[] list.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startMetaLlamaMock, type MetaLlamaMock } from '../../mocks/providers/meta-llama.ts';
import { json, rateLimitOf, usageAfter, usageNow, expectHealthCheck } from '../../mocks/providers/h1-test-kit.ts';

const KEY = 'LLM|1029384756|ContractKeyAbCdEf0123456789';
const HUB_KEY = 'LLM|5647382910|HubKeyAbCdEf0123456789xyz';
const MODEL = 'Llama-3.3-70B-Instruct';
type Metric = { metric: string; value: number; unit: string };

describe('meta-llama template', () => {
  let mock: MetaLlamaMock;
  let hub: TemplateHub;
  const origins = (m: MetaLlamaMock) => ({ 'https://api.llama.com': m.url });

  beforeAll(async () => {
    mock = await startMetaLlamaMock({ apiKey: HUB_KEY });
    hub = await startTemplateHub({
      template: 'meta-llama', origins: origins(mock), secret: { apiKey: HUB_KEY },
      bindings: { chat: { protocol: 'openai-chat', model: MODEL }, native: { protocol: 'http', service: 'chat', model: MODEL }, moderations: { protocol: 'http', service: 'moderations' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <apiKey> on /v1 and /compat/v1; a wrong key is refused with 401', async () => {
    const contract = await startMetaLlamaMock({ apiKey: KEY });
    try {
      const body = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hello Llama' }] });
      for (const [service, path] of [['chat', '/v1/chat/completions'], ['openai-compat', '/compat/v1/chat/completions']]) {
        const req = await renderForTemplate({ template: 'meta-llama', service, origins: origins(contract), secret: { apiKey: KEY }, method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(req.url.href).toBe(`${contract.url}${path}`);
        expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
        const ok = await sendRendered(req);
        expect(ok.status).toBe(200);
        const answer = (await ok.json()) as Record<string, unknown>;
        expect(service === 'chat' ? answer.completion_message : answer.choices).toBeDefined();
      }
      const wrong = await sendRendered(await renderForTemplate({ template: 'meta-llama', origins: origins(contract), secret: { apiKey: 'LLM|0|NotThisKey' }, path: 'models' }));
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    } finally {
      await contract.close();
    }
  });

  it('via proxy: POST /v1/chat/completions (binding chat, openai-chat) reaches the OpenAI-compatible POST /compat/v1/chat/completions with the key', async () => {
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'Who made you?' }] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'chat.completion', model: MODEL, choices: [{ message: { content: 'You said: Who made you?' } }] });
    const seen = mock.received.findLast((r) => r.path === '/compat/v1/chat/completions')!;
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
    expect(JSON.parse(seen.body.toString()).model).toBe(MODEL);
  });

  it('via proxy: POST /bind/native (native chat) and POST /bind/moderations reach /v1/chat/completions and /v1/moderations; the x-ratelimit-* headers reach the caller', async () => {
    const res = await hub.door('/bind/native', json({ model: MODEL, messages: [{ role: 'user', content: 'Native please' }] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ completion_message: { role: 'assistant', content: { type: 'text', text: 'You said: Native please' } } });
    expect(mock.received.findLast((r) => r.path === '/v1/chat/completions')!.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
    expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('1000000');
    expect(Number(res.headers.get('x-ratelimit-remaining-requests'))).toBeLessThan(Number(res.headers.get('x-ratelimit-limit-requests')));
    const reading = rateLimitOf('meta-llama', res);
    expect([res.headers.get('x-ratelimit-limit-requests'), res.headers.get('x-ratelimit-limit-tokens')].map(Number)).toContain(reading.limit);

    const mod = await hub.door('/bind/moderations', json({ messages: [{ role: 'user', content: 'I will hurt you' }] }));
    expect(mod.status).toBe(200);
    expect(await mod.json()).toMatchObject({ results: [{ flagged: true, flagged_categories: ['S1'] }] });
    expect(mock.received.findLast((r) => r.path === '/v1/moderations')!.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
  });

  it('via proxy: a 429 over the team rate limit reaches the caller with the remaining counts at 0', async () => {
    mock.throttle(1, '/compat/v1/chat');
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }));
    expect(res.status).toBe(429);
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(rateLimitOf('meta-llama', res)).toMatchObject({ remaining: 0 });
  });

  it('usage: prompt and completion tokens from the compat answer\'s usage are recorded as reported (the Llama API has no list price, so no cost)', async () => {
    const before = usageNow(hub, 'chat');
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'system', content: 'Be brief and kind.' }, { role: 'user', content: 'tell me three things' }] }));
    expect(res.status).toBe(200);
    const reported = mock.usage.at(-1) as { prompt_tokens: number; completion_tokens: number };
    const after = await usageAfter(hub, 'chat', before, 1);
    expect(after.inputTokens - before.inputTokens).toBe(reported.prompt_tokens);
    expect(after.outputTokens - before.outputTokens).toBe(reported.completion_tokens);
    expect(after.cost - before.cost).toBe(0);
  });

  it('usage: the native answer\'s metrics[] (num_prompt_tokens, num_completion_tokens) are recorded as reported, in the documented order and in another order', async () => {
    for (const order of [undefined, ['num_total_tokens', 'num_prompt_tokens', 'num_completion_tokens'] as const]) {
      if (order) mock.setMetricsOrder([...order]);
      const before = usageNow(hub, 'native');
      const res = await hub.door('/bind/native', json({ model: MODEL, messages: [{ role: 'user', content: 'count my words please' }] }));
      expect(res.status).toBe(200);
      const metrics = (mock.usage.at(-1) as { metrics: Metric[] }).metrics;
      const value = (name: string) => metrics.find((m) => m.metric === name)!.value;
      const after = await usageAfter(hub, 'native', before, 1);
      expect(after.inputTokens - before.inputTokens).toBe(value('num_prompt_tokens'));
      expect(after.outputTokens - before.outputTokens).toBe(value('num_completion_tokens'));
    }
  });

  it('health check: GET /v1/models with the key is ok; a revoked key makes it fail', async () => {
    await expectHealthCheck(hub, mock, '/v1/models', { authorization: `Bearer ${HUB_KEY}` });
  });
});
