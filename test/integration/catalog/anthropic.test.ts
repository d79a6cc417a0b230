// providers/anthropic.yaml against an Anthropic mock (test/mocks/providers/anthropic.ts) standing
// for https://api.anthropic.com: the Messages API behind the /v1 door (the anthropic-messages
// adapter), the OpenAI SDK compatibility layer (Bearer), the Admin API (admin key), the health
// check, and usage with the template's prices.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startAnthropicMock, type AnthropicMock } from '../../mocks/providers/anthropic.ts';

const KEY = `sk-ant-api03-${'k'.repeat(40)}`;
const ADMIN = `sk-ant-admin01-${'a'.repeat(30)}`;
const MODEL = 'claude-sonnet-4-5';
const JSON_TYPE = { 'content-type': 'application/json' };
const MESSAGE = JSON.stringify({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
const ZERO = { requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cost: 0 };

describe('anthropic template', () => {
  let mock: AnthropicMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.anthropic.com': mock.url });
  const last = (path: string) => mock.received.filter((r) => r.path === path).at(-1)!;
  /** What the hub recorded for `binding` since `before`, once `n` more answers are in (bounded wait). */
  async function recorded(binding: string, before: typeof ZERO, n = 1) {
    for (let i = 0; i < 100 && (hub.usageFor(binding)?.requests ?? 0) < before.requests + n; i++) await new Promise((r) => setTimeout(r, 20));
    const now = hub.usageFor(binding) ?? ZERO;
    return { requests: now.requests - before.requests, inputTokens: now.inputTokens - before.inputTokens, outputTokens: now.outputTokens - before.outputTokens, cachedInputTokens: now.cachedInputTokens - before.cachedInputTokens, cost: now.cost - before.cost };
  }
  const chat = (model: string, extra: Record<string, unknown> = {}) => hub.door('/v1/chat/completions', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 64, ...extra }) });

  beforeAll(async () => {
    mock = await startAnthropicMock(KEY, ADMIN);
    hub = await startTemplateHub({
      template: 'anthropic', origins: origins(), secret: { apiKey: KEY, adminKey: ADMIN },
      bindings: {
        chat: { protocol: 'openai-chat', service: 'messages', model: MODEL },
        compat: { protocol: 'openai-chat', service: 'openai-compat', model: MODEL },
        admin: { protocol: 'http', service: 'admin' },
        anthropic: { protocol: 'http', service: 'api' },
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: x-api-key and anthropic-version 2023-06-01 on POST /v1/messages; a wrong key is refused 401 authentication_error', async () => {
    const render = (apiKey: string) => renderForTemplate({ template: 'anthropic', service: 'messages', origins: origins(), secret: { apiKey }, method: 'POST', headers: JSON_TYPE, body: MESSAGE });
    const req = await render(KEY);
    expect(req.url.href).toBe(`${mock.url}/v1/messages`);
    expect(req.headers).toMatchObject({ 'x-api-key': KEY, 'anthropic-version': '2023-06-01' });
    expect(Object.keys(req.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 'message', role: 'assistant', model: MODEL, content: [{ type: 'text', text: 'Hello from Claude' }] });
    expect(res.headers.get('anthropic-ratelimit-requests-limit')).toBe('50');

    const wrong = await sendRendered(await render(`sk-ant-api03-${'w'.repeat(40)}`));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
  });

  it('auth contract: the openai-compat service sends the key as Authorization: Bearer; a wrong key is refused 401', async () => {
    const render = (apiKey: string) => renderForTemplate({ template: 'anthropic', service: 'openai-compat', origins: origins(), secret: { apiKey }, method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }) });
    const req = await render(KEY);
    expect(req.url.href).toBe(`${mock.url}/v1/chat/completions`);
    expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello from Claude (OpenAI SDK layer)' } }] });
    const wrong = await sendRendered(await render(`sk-ant-api03-${'w'.repeat(40)}`));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { type: 'authentication_error', message: 'invalid x-api-key' } });
  });

  it('auth contract: the admin service sends the Admin key as x-api-key to /v1/organizations; the plain API key is refused there', async () => {
    const render = (adminKey: string) => renderForTemplate({ template: 'anthropic', service: 'admin', origins: origins(), secret: { apiKey: KEY, adminKey }, path: 'cost_report', query: { starting_at: '2025-09-01T00:00:00Z' } });
    const req = await render(ADMIN);
    expect(req.url.href).toBe(`${mock.url}/v1/organizations/cost_report?starting_at=2025-09-01T00%3A00%3A00Z`);
    expect(req.headers['x-api-key']).toBe(ADMIN);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: [{ starting_at: '2025-09-01T00:00:00Z', results: [{ currency: 'USD', amount: '1234.56' }] }] });
    const refused = await sendRendered(await render(KEY));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
  });

  it('via proxy: POST /v1/chat/completions on the messages service becomes POST /v1/messages with x-api-key; the answer and the rate-limit headers reach the caller', async () => {
    const res = await chat('chat');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sil-provider')).toBe('anthropic');
    expect(Number(res.headers.get('anthropic-ratelimit-requests-remaining'))).toBeLessThan(50);
    expect(res.headers.get('anthropic-ratelimit-tokens-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await res.json()).toMatchObject({ object: 'chat.completion', model: MODEL, choices: [{ message: { role: 'assistant', content: 'Hello from Claude' }, finish_reason: 'stop' }] });
    const sent = last('/v1/messages');
    expect(sent.method).toBe('POST');
    expect(sent.headers['x-api-key']).toBe(KEY);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers.authorization).toBeUndefined();
    expect(JSON.parse(sent.body.toString())).toMatchObject({ model: MODEL, system: 'Be brief.', max_tokens: 64, messages: [{ role: 'user' }] });
  });

  it('via proxy: a streamed /v1/chat/completions becomes the Messages event stream translated to OpenAI chunks', async () => {
    const res = await chat('chat', { stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.replace(/^data: /, '')) as { choices: { delta: { content?: string } }[] });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from Claude');
    expect(JSON.parse(last('/v1/messages').body.toString())).toMatchObject({ stream: true });
  });

  it('via proxy: POST /v1/chat/completions on the openai-compat service goes to /v1/chat/completions with the key as Bearer', async () => {
    const res = await chat('compat');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ choices: [{ message: { content: 'Hello from Claude (OpenAI SDK layer)' } }] });
    const sent = last('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(sent.body.toString())).toMatchObject({ model: MODEL, messages: [{ role: 'system' }, { role: 'user' }] });
  });

  it('via proxy: a 429 rate_limit_error reaches the caller in the OpenAI error shape with retry-after', async () => {
    mock.throttleNext('/v1/messages');
    const res = await chat('chat');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ error: { type: 'rate_limit_error', message: expect.stringContaining('rate limit') } });
  });

  it('via proxy: GET /bind/admin/usage_report/messages and /bind/anthropic/v1/models carry the right key each', async () => {
    const report = await hub.door('/bind/admin/usage_report/messages?starting_at=2025-09-01T00:00:00Z');
    expect(report.status).toBe(200);
    expect(await report.json()).toMatchObject({ data: [{ results: [{ uncached_input_tokens: 1500, output_tokens: 500 }] }] });
    expect(last('/v1/organizations/usage_report/messages').headers['x-api-key']).toBe(ADMIN);
    const models = await hub.door('/bind/anthropic/v1/models');
    expect(models.status).toBe(200);
    expect(await models.json()).toMatchObject({ data: expect.arrayContaining([expect.objectContaining({ type: 'model', id: MODEL })]) });
  });

  it('usage: input and output tokens of the Messages answer are recorded, priced at claude-sonnet-4-5 (3 / 15 USD per 1M)', async () => {
    mock.usage.input_tokens = 1200;
    mock.usage.output_tokens = 300;
    const before = { ...ZERO, ...hub.usageFor('chat') };
    expect((await chat('chat')).status).toBe(200);
    const u = await recorded('chat', before);
    expect(u).toMatchObject({ requests: 1, inputTokens: 1200, outputTokens: 300, cachedInputTokens: 0 });
    expect(u.cost).toBeCloseTo((1200 * 3 + 300 * 15) / 1e6, 10);
  });

  it('usage: cache reads (0.3 per 1M) and cache writes (3.75 per 1M) are priced on top of input_tokens, which excludes both', async () => {
    Object.assign(mock.usage, { input_tokens: 1200, output_tokens: 300, cache_read_input_tokens: 800, cache_creation_input_tokens: 400 });
    try {
      const before = { ...ZERO, ...hub.usageFor('chat') };
      expect((await chat('chat')).status).toBe(200);
      const u = await recorded('chat', before);
      expect(u).toMatchObject({ requests: 1, inputTokens: 1200, outputTokens: 300, cachedInputTokens: 800 });
      expect(u.cost).toBeCloseTo((1200 * 3 + 800 * 0.3 + 400 * 3.75 + 300 * 15) / 1e6, 10);
    } finally {
      delete mock.usage.cache_read_input_tokens;
      delete mock.usage.cache_creation_input_tokens;
    }
  });

  it('usage: prompt and completion tokens of the OpenAI-compatible answer are recorded at its prices', async () => {
    mock.usage.input_tokens = 2000;
    mock.usage.output_tokens = 100;
    const before = { ...ZERO, ...hub.usageFor('compat') };
    expect((await chat('compat')).status).toBe(200);
    const u = await recorded('compat', before);
    expect(u).toMatchObject({ requests: 1, inputTokens: 2000, outputTokens: 100 });
    expect(u.cost).toBeCloseTo((2000 * 3 + 100 * 15) / 1e6, 10);
  });

  it('health check: GET /v1/models with x-api-key and anthropic-version is ok; a revoked key fails it with 401', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = last('/v1/models');
    expect(probe.headers['x-api-key']).toBe(KEY);
    expect(probe.headers['anthropic-version']).toBe('2023-06-01');
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
