// providers/cohere.yaml against a Cohere mock (test/mocks/providers/cohere.ts) standing for
// https://api.cohere.com (v1 models, v2 chat / embed / rerank) and https://api.cohere.ai (the
// OpenAI compatibility API): v2 chat behind the /v1 door (the cohere-chat adapter), the
// compatibility chat and embeddings services, rerank and embed through /bind, the health check,
// and usage (billed tokens, search units) with the template's prices.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub, type UsageSum } from '../../helpers/catalog/template-hub.ts';
import { startCohereMock, type CohereMock } from '../../mocks/providers/cohere.ts';

const KEY = `co-${'k'.repeat(37)}`;
const MODEL = 'command-a-03-2025';
const JSON_TYPE = { 'content-type': 'application/json' };
const ZERO: UsageSum = { requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cost: 0 };

describe('cohere template', () => {
  let mock: CohereMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.cohere.com': mock.url, 'https://api.cohere.ai': mock.url });
  const last = (path: string) => mock.received.filter((r) => r.path === path).at(-1)!;
  const post = (path: string, body: unknown) => hub.door(path, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(body) });
  const chat = (binding: string) => post('/v1/chat/completions', { model: binding, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 50 });
  async function recorded(binding: string, before: UsageSum): Promise<UsageSum> {
    for (let i = 0; i < 100 && (hub.usageFor(binding)?.requests ?? 0) < before.requests + 1; i++) await new Promise((r) => setTimeout(r, 20));
    const now = hub.usageFor(binding) ?? ZERO;
    return { requests: now.requests - before.requests, inputTokens: now.inputTokens - before.inputTokens, outputTokens: now.outputTokens - before.outputTokens, cachedInputTokens: 0, cost: now.cost - before.cost, units: (now.units ?? 0) - (before.units ?? 0) };
  }

  beforeAll(async () => {
    mock = await startCohereMock(KEY);
    hub = await startTemplateHub({
      template: 'cohere', origins: origins(), secret: { apiKey: KEY },
      bindings: {
        chat: { protocol: 'openai-chat', service: 'chat', model: MODEL },
        compat: { protocol: 'openai-chat', service: 'openai-compat', model: MODEL },
        'compat-embed': { protocol: 'openai-embeddings', service: 'openai-compat-embeddings', model: 'embed-english-v3.0' },
        embed: { protocol: 'cohere-embed', service: 'embed', model: 'embed-english-v3.0' },
        rerank: { protocol: 'cohere-rerank', service: 'rerank', model: 'rerank-v3.5' },
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <key> on POST /v2/chat; a wrong key is refused 401 {id, message: "invalid api token"}', async () => {
    const render = (apiKey: string) => renderForTemplate({ template: 'cohere', service: 'chat', origins: origins(), secret: { apiKey }, method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }) });
    const req = await render(KEY);
    expect(req.url.href).toBe(`${mock.url}/v2/chat`);
    expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ finish_reason: 'COMPLETE', message: { content: [{ type: 'text', text: 'Hello from Command' }] }, usage: { billed_units: { input_tokens: 14, output_tokens: 5 } } });
    const wrong = await sendRendered(await render(`co-${'w'.repeat(37)}`));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ id: expect.any(String), message: 'invalid api token' });
  });

  it('auth contract: the openai-compat service (api.cohere.ai/compatibility/v1) carries the same Bearer key; a wrong key is refused 401', async () => {
    const render = (apiKey: string) => renderForTemplate({ template: 'cohere', service: 'openai-compat', origins: origins(), secret: { apiKey }, method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }) });
    const req = await render(KEY);
    expect(req.url.href).toBe(`${mock.url}/compatibility/v1/chat/completions`);
    expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
    expect((await sendRendered(req)).status).toBe(200);
    const wrong = await sendRendered(await render('not-the-key'));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ message: 'invalid api token' });
  });

  it('via proxy: POST /v1/chat/completions on the chat service becomes POST /v2/chat with the Bearer key (cohere-chat adapter)', async () => {
    const res = await chat('chat');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'chat.completion', model: MODEL, choices: [{ message: { role: 'assistant', content: 'Hello from Command' }, finish_reason: 'stop' }], usage: { prompt_tokens: 14, completion_tokens: 5 } });
    const sent = last('/v2/chat');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(sent.body.toString())).toEqual({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 50 });
  });

  it('via proxy: POST /v1/chat/completions and /v1/embeddings on the compatibility API go to /compatibility/v1 unchanged but for the model', async () => {
    const res = await chat('compat');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ choices: [{ message: { content: 'Hello from Command (compatibility API)' } }] });
    expect(last('/compatibility/v1/chat/completions').headers.authorization).toBe(`Bearer ${KEY}`);
    const emb = await post('/v1/embeddings', { model: 'compat-embed', input: ['one', 'two'] });
    expect(emb.status).toBe(200);
    expect(await emb.json()).toMatchObject({ object: 'list', data: [{ index: 0 }, { index: 1 }], usage: { prompt_tokens: 14 } });
    expect(JSON.parse(last('/compatibility/v1/embeddings').body.toString())).toEqual({ model: 'embed-english-v3.0', input: ['one', 'two'] });
  });

  it('via proxy: POST /bind/rerank and /bind/embed reach /v2/rerank and /v2/embed with the Bearer key', async () => {
    const ranked = await post('/bind/rerank', { model: 'rerank-v3.5', query: 'lamp', documents: ['desk lamp', 'chair'] });
    expect(ranked.status).toBe(200);
    expect(await ranked.json()).toMatchObject({ results: [{ index: 0 }, { index: 1 }], meta: { billed_units: { search_units: 1 } } });
    expect(last('/v2/rerank').headers.authorization).toBe(`Bearer ${KEY}`);
    const embedded = await post('/bind/embed', { model: 'embed-english-v3.0', texts: ['hello'], input_type: 'search_document', embedding_types: ['float'] });
    expect(embedded.status).toBe(200);
    expect(await embedded.json()).toMatchObject({ embeddings: { float: [[0.017, -0.042, 0.0091]] } });
  });

  it('via proxy: a 429 reaches the caller of /v1/chat/completions in the OpenAI error shape with its status', async () => {
    mock.throttleNext('/v2/chat');
    const res = await chat('chat');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { message: 'You are past the per minute request limit, please wait and try again later.', type: 'rate_limit_error' } });
  });

  it('usage: billed input/output tokens of v2 chat are recorded, priced at command-a-03-2025 (2.5 / 10 USD per 1M)', async () => {
    Object.assign(mock.usage, { input_tokens: 4000, output_tokens: 250 });
    const before = { ...ZERO, ...hub.usageFor('chat') };
    expect((await chat('chat')).status).toBe(200);
    const u = await recorded('chat', before);
    expect(u).toMatchObject({ requests: 1, inputTokens: 4000, outputTokens: 250 });
    expect(u.cost).toBeCloseTo((4000 * 2.5 + 250 * 10) / 1e6, 10);
  });

  it('usage: rerank search units (perRequest 0.002) and embed billed tokens (0.1 per 1M) read from meta.billed_units', async () => {
    mock.usage.search_units = 3;
    const r0 = { ...ZERO, ...hub.usageFor('rerank') };
    expect((await post('/bind/rerank', { model: 'rerank-v3.5', query: 'q', documents: ['a'] })).status).toBe(200);
    const r = await recorded('rerank', r0);
    expect(r).toMatchObject({ requests: 1, units: 3 });
    expect(r.cost).toBeCloseTo(0.002, 10);
    mock.usage.input_tokens = 700;
    const e0 = { ...ZERO, ...hub.usageFor('embed') };
    expect((await post('/bind/embed', { model: 'embed-english-v3.0', texts: ['a'], input_type: 'search_query' })).status).toBe(200);
    const e = await recorded('embed', e0);
    expect(e).toMatchObject({ requests: 1, inputTokens: 700 });
    expect(e.cost).toBeCloseTo((700 * 0.1) / 1e6, 10);
  });

  it('health check: GET /v1/models?page_size=1 with the Bearer key is ok; a revoked key fails it with 401', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = last('/v1/models');
    expect(probe.query.get('page_size')).toBe('1');
    expect(probe.headers.authorization).toBe(`Bearer ${KEY}`);
    mock.revoke();
    try {
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 401 });
      expect(failed.error ?? '').not.toContain(KEY);
    } finally {
      mock.revoke(false);
    }
  });
});
