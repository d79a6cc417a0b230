// providers/openai.yaml against an OpenAI mock (test/mocks/providers/openai.ts): the rendered
// Bearer auth with OpenAI-Organization / OpenAI-Project, chat and embeddings through the `/v1`
// door (plain and streamed with stream_options.include_usage), the rate-limit headers and error
// object through the door, the health check, and tokens and cost recorded from the answers.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startOpenAIMock, type OpenAIMock } from '../../mocks/providers/openai.ts';
import { expectCost, json, listPrice, priceOf, rateLimitOf, sseData, usageAfter, usageNow, expectHealthCheck } from '../../mocks/providers/h1-test-kit.ts';

const KEY = 'sk-proj-ContractKey0123456789abcdefXYZ';
const HUB_KEY = 'sk-proj-HubKey0123456789abcdefghijKLMN';
const ORG = 'org-AbC123';
const PROJECT = 'proj_AbC123';
type Usage = { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens: number } };
type Chat = { object: string; model: string; choices: { message: { content: string } }[]; usage: Usage };

describe('openai template', () => {
  let mock: OpenAIMock;
  let contract: OpenAIMock;
  let hub: TemplateHub;
  const origins = (m: OpenAIMock) => ({ 'https://api.openai.com': m.url });

  beforeAll(async () => {
    contract = await startOpenAIMock({ apiKey: KEY, organization: ORG, project: PROJECT });
    mock = await startOpenAIMock({ apiKey: HUB_KEY, organization: ORG, project: PROJECT });
    hub = await startTemplateHub({
      template: 'openai', origins: origins(mock), connection: { organization: ORG, project: PROJECT }, secret: { apiKey: HUB_KEY },
      bindings: { chat: { protocol: 'openai-chat', model: 'gpt-4o' }, embed: { protocol: 'openai-embeddings', model: 'text-embedding-3-small' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
    await contract?.close();
  });

  it('auth contract: Authorization: Bearer <apiKey> with OpenAI-Organization and OpenAI-Project; a wrong key or another organization is refused with 401 in OpenAI\'s error object', async () => {
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hi' }] });
    const req = await renderForTemplate({ template: 'openai', service: 'chat', origins: origins(contract), connection: { organization: ORG, project: PROJECT }, secret: { apiKey: KEY }, method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(req.url.href).toBe(`${contract.url}/v1/chat/completions`);
    expect(req.headers).toMatchObject({ Authorization: `Bearer ${KEY}`, 'OpenAI-Organization': ORG, 'OpenAI-Project': PROJECT });
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ message: { role: 'assistant', content: 'You said: Say hi' } }] });

    const wrong = await sendRendered(await renderForTemplate({ template: 'openai', origins: origins(contract), secret: { apiKey: 'sk-proj-NotThisAccountsKey000000000' }, path: 'models' }));
    expect(wrong.status).toBe(401);
    const err = (await wrong.json()) as { error: { type: string; code: string; message: string; param: null } };
    expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: null });
    expect(err.error.message).toMatch(/^Incorrect API key provided: sk-\*+0000\./);

    const otherOrg = await sendRendered(await renderForTemplate({ template: 'openai', origins: origins(contract), connection: { organization: 'org-Other9' }, secret: { apiKey: KEY }, path: 'models' }));
    expect(otherOrg.status).toBe(401);
    expect(((await otherOrg.json()) as { error: { code: string } }).error.code).toBe('mismatched_organization');
  });

  it('via proxy: POST /v1/chat/completions (binding chat, openai-chat) and POST /v1/embeddings (binding embed, openai-embeddings) reach /v1/chat/completions and /v1/embeddings with the key', async () => {
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat/gpt-4o-mini', messages: [{ role: 'user', content: 'What is sil?' }] }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sil-provider')).toBe('openai');
    const answer = (await res.json()) as Chat;
    expect(answer).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ message: { content: 'You said: What is sil?' } }] });
    const seen = mock.received.findLast((r) => r.path === '/v1/chat/completions')!;
    expect(seen.headers).toMatchObject({ authorization: `Bearer ${HUB_KEY}`, 'openai-organization': ORG, 'openai-project': PROJECT });
    expect(JSON.parse(seen.body.toString()).model).toBe('gpt-4o-mini');
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('5000');
    expect(Number(res.headers.get('x-ratelimit-remaining-requests'))).toBeLessThan(5000);
    const reading = rateLimitOf('openai', res);
    expect(reading.limit).toBeGreaterThan(0);
    expect(reading.resetInMs).toBeGreaterThanOrEqual(0);

    const emb = await hub.door('/v1/embeddings', json({ model: 'embed', input: ['one two three', 'four'] }));
    expect(emb.status).toBe(200);
    const vectors = (await emb.json()) as { data: { embedding: number[]; index: number }[]; model: string };
    expect(vectors.model).toBe('text-embedding-3-small');
    expect(vectors.data.map((d) => d.index)).toEqual([0, 1]);
    expect(mock.received.findLast((r) => r.path === '/v1/embeddings')!.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
  });

  it('via proxy: a streamed chat answer with stream_options.include_usage is relayed as OpenAI chunks ending with the usage chunk and [DONE]', async () => {
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me please' }] }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const frames = sseData(await res.text());
    expect(frames.at(-1)).toBe('[DONE]');
    const chunks = frames.slice(0, -1) as { choices: { delta: { content?: string } }[]; usage: Usage | null }[];
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('You said: stream me please');
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual(mock.usage.at(-1));
  });

  it('via proxy: OpenAI\'s 404 error object and a 429 with x-ratelimit-* and retry-after reach the caller', async () => {
    const missing = await hub.door('/v1/chat/completions', json({ model: 'chat/gpt-9', messages: [{ role: 'user', content: 'x' }] }));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('model_not_found');

    mock.throttle(1, '/v1/chat/completions');
    const limited = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'again' }] }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset-tokens')).toMatch(/^\d+m\d+s$/);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(rateLimitOf('openai', limited)).toMatchObject({ remaining: 0, retryAfterMs: 1000 });
    expect(((await limited.json()) as { error: { code: string; type: string } }).error).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests' });
  });

  it('usage: prompt, cached and completion tokens of plain and streamed chat answers and of embeddings are recorded as the mock reported them, priced at the catalog\'s gpt-4o and text-embedding-3-small prices', async () => {
    const before = usageNow(hub, 'chat');
    const n = mock.usage.length;
    const system = { role: 'system', content: 'You are a terse assistant that answers in one short line.' };
    for (const stream of [false, true, false]) {
      const res = await hub.door('/v1/chat/completions', json({ model: 'chat', stream, stream_options: stream ? { include_usage: true } : undefined, messages: [system, { role: 'user', content: `question ${mock.usage.length}` }] }));
      expect(res.status).toBe(200);
      await res.text();
    }
    const reported = mock.usage.slice(n) as Usage[];
    expect(reported).toHaveLength(3);
    expect(reported[1].prompt_tokens_details!.cached_tokens).toBeGreaterThan(0); // the system prompt was cached by the first call
    const sum = (f: (u: Usage) => number) => reported.reduce((a, u) => a + f(u), 0);
    const after = await usageAfter(hub, 'chat', before, 3);
    expect(after.inputTokens - before.inputTokens).toBe(sum((u) => u.prompt_tokens));
    expect(after.outputTokens - before.outputTokens).toBe(sum((u) => u.completion_tokens));
    expect(after.cachedInputTokens - before.cachedInputTokens).toBe(sum((u) => u.prompt_tokens_details!.cached_tokens));
    const price = listPrice('openai', 'chat', 'gpt-4o');
    const expected = sum((u) => priceOf(price, { input: u.prompt_tokens, cached: u.prompt_tokens_details!.cached_tokens, output: u.completion_tokens }));
    expectCost(after.cost - before.cost, expected, reported.length);

    const e0 = usageNow(hub, 'embed');
    const res = await hub.door('/v1/embeddings', json({ model: 'embed', input: 'five little words here now' }));
    expect(res.status).toBe(200);
    const tokens = (mock.usage.at(-1) as { prompt_tokens: number }).prompt_tokens;
    const emb = await usageAfter(hub, 'embed', e0, 1);
    expect(emb.inputTokens - e0.inputTokens).toBe(tokens);
    expectCost(emb.cost - e0.cost, priceOf(listPrice('openai', 'embeddings', 'text-embedding-3-small'), { input: tokens }), 1);
  });

  it('health check: GET /v1/models with the key and organization headers is ok; a revoked key makes it fail', async () => {
    await expectHealthCheck(hub, mock, '/v1/models', { authorization: `Bearer ${HUB_KEY}`, 'openai-organization': ORG });
  });
});
