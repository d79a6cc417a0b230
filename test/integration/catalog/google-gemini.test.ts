// providers/google-gemini.yaml against a Gemini API mock (test/mocks/providers/google-gemini.ts)
// standing for https://generativelanguage.googleapis.com: generateContent behind the /v1 door
// (the gemini-generate-content adapter, plain and streamed), the OpenAI-compatible chat and
// embeddings services, embedContent through /bind, the x-goog-api-key header and the query-key
// option, the health check, and usage with the template's prices.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub, type UsageSum } from '../../helpers/catalog/template-hub.ts';
import { startGeminiMock, type GeminiMock } from '../../mocks/providers/google-gemini.ts';

const KEY = `AIzaSy${'G'.repeat(33)}`;
const WRONG = `AIzaSy${'W'.repeat(33)}`;
const MODEL = 'gemini-2.5-flash';
const JSON_TYPE = { 'content-type': 'application/json' };
const CONTENT = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
const ZERO: UsageSum = { requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cost: 0 };
const KEY_INVALID = { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.', details: [expect.objectContaining({ reason: 'API_KEY_INVALID' })] } };

describe('google-gemini template', () => {
  let mock: GeminiMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://generativelanguage.googleapis.com': mock.url });
  const last = (path: string) => mock.received.filter((r) => r.path === path).at(-1)!;
  const post = (path: string, body: unknown) => hub.door(path, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(body) });
  const chat = (binding: string, extra: Record<string, unknown> = {}) => post('/v1/chat/completions', { model: binding, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], ...extra });
  async function recorded(binding: string, before: UsageSum): Promise<UsageSum> {
    for (let i = 0; i < 100 && (hub.usageFor(binding)?.requests ?? 0) < before.requests + 1; i++) await new Promise((r) => setTimeout(r, 20));
    const now = hub.usageFor(binding) ?? ZERO;
    return { requests: now.requests - before.requests, inputTokens: now.inputTokens - before.inputTokens, outputTokens: now.outputTokens - before.outputTokens, cachedInputTokens: now.cachedInputTokens - before.cachedInputTokens, cost: now.cost - before.cost };
  }

  beforeAll(async () => {
    mock = await startGeminiMock(KEY);
    hub = await startTemplateHub({
      template: 'google-gemini', origins: origins(), secret: { apiKey: KEY },
      bindings: {
        chat: { protocol: 'openai-chat', service: 'generate', model: MODEL },
        native: { protocol: 'gemini-generate-content', service: 'generate', model: MODEL },
        compat: { protocol: 'openai-chat', service: 'openai-compat', model: MODEL },
        'compat-embed': { protocol: 'openai-embeddings', service: 'openai-compat-embeddings', model: 'gemini-embedding-001' },
        embed: { protocol: 'gemini-embed-content', service: 'embed', model: 'gemini-embedding-001' },
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: x-goog-api-key on POST /v1beta/models/{model}:generateContent, no key in the URL; a wrong key is refused 400 INVALID_ARGUMENT API_KEY_INVALID', async () => {
    const render = (apiKey: string) => renderForTemplate({ template: 'google-gemini', service: 'generate', model: MODEL, origins: origins(), secret: { apiKey }, method: 'POST', headers: JSON_TYPE, body: CONTENT });
    const req = await render(KEY);
    expect(req.url.href).toBe(`${mock.url}/v1beta/models/gemini-2.5-flash:generateContent`);
    expect(req.headers['x-goog-api-key']).toBe(KEY);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ candidates: [{ content: { parts: [{ text: 'Hello from Gemini' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 17, candidatesTokenCount: 6 } });
    const wrong = await sendRendered(await render(WRONG));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual(KEY_INVALID);
  });

  it('auth contract: option query-key puts the key in ?key= and sends no header; a wrong key is refused the same way', async () => {
    const render = (apiKey: string) => renderForTemplate({ template: 'google-gemini', authOption: 'query-key', service: 'generate', model: MODEL, origins: origins(), secret: { apiKey }, method: 'POST', headers: JSON_TYPE, body: CONTENT });
    const req = await render(KEY);
    expect(req.url.searchParams.get('key')).toBe(KEY);
    expect(req.headers['x-goog-api-key']).toBeUndefined();
    expect((await sendRendered(req)).status).toBe(200);
    const wrong = await sendRendered(await render(WRONG));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual(KEY_INVALID);
  });

  it('auth contract: the openai-compat service sends the key as Bearer to /v1beta/openai; a wrong key is refused 400 (the Google error in a list)', async () => {
    const render = (apiKey: string) => renderForTemplate({ template: 'google-gemini', service: 'openai-compat', origins: origins(), secret: { apiKey }, method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }) });
    const req = await render(KEY);
    expect(req.url.href).toBe(`${mock.url}/v1beta/openai/chat/completions`);
    expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['x-goog-api-key']).toBeUndefined();
    expect((await sendRendered(req)).status).toBe(200);
    const wrong = await sendRendered(await render(WRONG));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual([KEY_INVALID]);
  });

  it('via proxy: POST /v1/chat/completions on the generate service becomes generateContent with x-goog-api-key (gemini-generate-content adapter)', async () => {
    const res = await chat('chat');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Hello from Gemini' }, finish_reason: 'stop' }], usage: { prompt_tokens: 17, completion_tokens: 6 } });
    const sent = last('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
    expect(sent.query.get('key')).toBeNull();
    expect(JSON.parse(sent.body.toString())).toMatchObject({ systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it('via proxy: a streamed /v1/chat/completions becomes streamGenerateContent?alt=sse, translated to OpenAI chunks', async () => {
    const res = await chat('chat', { stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.replace(/^data: /, '')) as { choices: { delta: { content?: string } }[]; usage?: { prompt_tokens: number } });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from Gemini');
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 6 });
    const sent = last('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(sent.query.get('alt')).toBe('sse');
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
  });

  it('via proxy: the OpenAI-compatible chat and embeddings services get the caller body with the model and the Bearer key', async () => {
    const res = await chat('compat');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ choices: [{ message: { content: 'Hello from Gemini (OpenAI-compatible)' } }] });
    expect(last('/v1beta/openai/chat/completions').headers.authorization).toBe(`Bearer ${KEY}`);
    const emb = await post('/v1/embeddings', { model: 'compat-embed', input: 'hello' });
    expect(emb.status).toBe(200);
    expect(await emb.json()).toMatchObject({ object: 'list', data: [{ object: 'embedding', index: 0 }] });
    expect(JSON.parse(last('/v1beta/openai/embeddings').body.toString())).toEqual({ model: 'gemini-embedding-001', input: 'hello' });
  });

  it('via proxy: POST /bind/embed reaches models/gemini-embedding-001:embedContent; a 429 RESOURCE_EXHAUSTED reaches a /v1 caller as 429', async () => {
    const emb = await post('/bind/embed', { content: { parts: [{ text: 'hello' }] } });
    expect(emb.status).toBe(200);
    expect(await emb.json()).toEqual({ embedding: { values: [0.0123, -0.0456, 0.0789] } });
    expect(last('/v1beta/models/gemini-embedding-001:embedContent').headers['x-goog-api-key']).toBe(KEY);
    mock.throttleNext('/v1beta/models/');
    const limited = await chat('chat');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { message: 'You exceeded your current quota, please check your plan and billing details.' } });
  });

  it('usage: prompt (cached included), candidates + thoughts and cached tokens of generateContent, priced at gemini-2.5-flash (0.3 / 0.075 cached / 2.5 per 1M)', async () => {
    Object.assign(mock.usage, { promptTokenCount: 10000, candidatesTokenCount: 300, thoughtsTokenCount: 200, cachedContentTokenCount: 4000 });
    try {
      const before = { ...ZERO, ...hub.usageFor('chat') };
      expect((await chat('chat')).status).toBe(200);
      const u = await recorded('chat', before);
      expect(u).toMatchObject({ requests: 1, inputTokens: 10000, outputTokens: 500, cachedInputTokens: 4000 });
      expect(u.cost).toBeCloseTo((6000 * 0.3 + 4000 * 0.075 + 500 * 2.5) / 1e6, 10);
    } finally {
      delete mock.usage.cachedContentTokenCount;
      delete mock.usage.thoughtsTokenCount;
    }
  });

  it('usage: a /bind caller of generateContent is charged for thinking tokens too (outputTokens lists candidates and thoughts, added up)', async () => {
    Object.assign(mock.usage, { promptTokenCount: 2000, candidatesTokenCount: 100, thoughtsTokenCount: 700 });
    try {
      const before = { ...ZERO, ...hub.usageFor('native') };
      const res = await hub.door('/bind/native', { method: 'POST', headers: JSON_TYPE, body: CONTENT });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { usageMetadata: Record<string, number> }).usageMetadata).toMatchObject({ candidatesTokenCount: 100, thoughtsTokenCount: 700 });
      const u = await recorded('native', before);
      expect(u).toMatchObject({ requests: 1, inputTokens: 2000, outputTokens: 800 });
      expect(u.cost).toBeCloseTo((2000 * 0.3 + 800 * 2.5) / 1e6, 10);
    } finally {
      delete mock.usage.thoughtsTokenCount;
    }
  });

  it('usage: prompt_tokens / completion_tokens of the OpenAI-compatible answer, at its prices (0.3 / 2.5 per 1M)', async () => {
    Object.assign(mock.usage, { promptTokenCount: 3000, candidatesTokenCount: 120 });
    const before = { ...ZERO, ...hub.usageFor('compat') };
    expect((await chat('compat')).status).toBe(200);
    const u = await recorded('compat', before);
    expect(u).toMatchObject({ requests: 1, inputTokens: 3000, outputTokens: 120 });
    expect(u.cost).toBeCloseTo((3000 * 0.3 + 120 * 2.5) / 1e6, 10);
  });

  it('health check: GET /v1beta/models with x-goog-api-key is ok; a revoked key fails it with 400', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(last('/v1beta/models').headers['x-goog-api-key']).toBe(KEY);
    mock.revoke();
    try {
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 400 });
      expect(failed.error ?? '').not.toContain(KEY);
    } finally {
      mock.revoke(false);
    }
  });

  it('health check: option query-key sends GET /v1beta/models?key=... and is ok', async () => {
    const q = await startTemplateHub({ template: 'google-gemini', authOption: 'query-key', origins: origins(), secret: { apiKey: KEY }, bindings: {} });
    try {
      expect(await q.healthProbe()).toMatchObject({ ok: true, status: 200 });
      // The first hub keeps probing with the header; this one's probes carry ?key= only.
      const byQuery = mock.received.filter((r) => r.path === '/v1beta/models' && r.query.get('key') !== null);
      expect(byQuery.length).toBeGreaterThan(0);
      expect(byQuery.every((r) => r.query.get('key') === KEY && r.headers['x-goog-api-key'] === undefined)).toBe(true);
    } finally {
      await q.stop();
    }
  });
});
