// providers/aws-bedrock.yaml against a Bedrock mock (test/mocks/providers/aws-bedrock.ts) for the runtime and
// control-plane hosts of eu-central-1: SigV4 (service bedrock) verified as AWS does, or a Bedrock API key (option
// api-key); Converse behind /v1 (plain, streamed), the OpenAI-compatible endpoint, InvokeModel and the control plane.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub, type UsageSum } from '../../helpers/catalog/template-hub.ts';
import { startAwsBedrockMock, type AwsBedrockMock } from '../../mocks/providers/aws-bedrock.ts';

const CREDS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const [REGION, API_KEY] = ['eu-central-1', `ABSKQmVkcm9ja0FQSUtleS${'x'.repeat(40)}`];
const CONNECTION = { region: REGION };
const [HAIKU, SONNET, OSS] = ['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'openai.gpt-oss-20b-1:0'];
const JSON_TYPE = { 'content-type': 'application/json' };
const INVOKE = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] };
const CONVERSE = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
const ZERO: UsageSum = { requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cost: 0 };

describe('aws-bedrock template', () => {
  let mock: AwsBedrockMock;
  let hub: TemplateHub;
  const origins = (m = mock) => ({ [`https://bedrock-runtime.${REGION}.amazonaws.com`]: m.url, [`https://bedrock.${REGION}.amazonaws.com`]: m.url });
  const last = (path: string) => mock.received.filter((r) => r.path === path).at(-1)!;
  const post = (path: string, body: unknown) => hub.door(path, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(body) });
  const chat = (binding: string, extra: Record<string, unknown> = {}) => post('/v1/chat/completions', { model: binding, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 100, ...extra });
  const converse = (secret: Record<string, string>, m = mock) => renderForTemplate({ template: 'aws-bedrock', service: 'converse', model: HAIKU, connection: CONNECTION, origins: origins(m), secret, method: 'POST', headers: JSON_TYPE, body: CONVERSE });
  async function recorded(binding: string, before: UsageSum): Promise<UsageSum> {
    for (let i = 0; i < 100 && (hub.usageFor(binding)?.requests ?? 0) < before.requests + 1; i++) await new Promise((r) => setTimeout(r, 20));
    const now = hub.usageFor(binding) ?? ZERO;
    return { requests: now.requests - before.requests, inputTokens: now.inputTokens - before.inputTokens, outputTokens: now.outputTokens - before.outputTokens, cachedInputTokens: now.cachedInputTokens - before.cachedInputTokens, cost: now.cost - before.cost };
  }
  beforeAll(async () => {
    mock = await startAwsBedrockMock({ creds: CREDS, region: REGION, apiKey: API_KEY });
    hub = await startTemplateHub({
      template: 'aws-bedrock', connection: CONNECTION, origins: origins(), secret: CREDS,
      bindings: {
        chat: { protocol: 'openai-chat', service: 'converse', model: HAIKU },
        compat: { protocol: 'openai-chat', service: 'openai-compat', model: OSS },
        invoke: { protocol: 'bedrock-invoke', service: 'invoke', model: SONNET },
        control: { protocol: 'http', service: 'control' },
      },
    });
  });
  afterAll(async () => Promise.all([hub?.stop(), mock?.close()]));

  it('auth contract: SigV4 (AWS4-HMAC-SHA256, scope eu-central-1/bedrock) on POST /model/{id}/converse verifies; a wrong secret or an unknown key id is refused 403', async () => {
    const req = await converse(CREDS);
    expect(req.url.href).toBe(`${mock.url}/model/anthropic.claude-3-haiku-20240307-v1:0/converse`);
    expect(req.headers.Authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/\\d{8}/${REGION}/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`));
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(mock.checks.at(-1)).toMatchObject({ ok: true });
    expect(await res.json()).toMatchObject({ output: { message: { content: [{ text: 'Hello from Bedrock' }] } }, stopReason: 'end_turn' });

    const badSecret = await sendRendered(await converse({ ...CREDS, secretAccessKey: 'x'.repeat(40) }));
    expect(badSecret.status).toBe(403);
    expect(badSecret.headers.get('x-amzn-errortype')).toMatch(/^InvalidSignatureException/);
    expect(await badSecret.json()).toEqual({ message: expect.stringContaining('The request signature we calculated does not match') });
    const unknown = await sendRendered(await converse({ ...CREDS, accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }));
    expect(unknown.status).toBe(403);
    expect(unknown.headers.get('x-amzn-errortype')).toMatch(/^UnrecognizedClientException/);
    expect(await unknown.json()).toEqual({ message: 'The security token included in the request is invalid.' });
  });

  it('auth contract: temporary credentials sign X-Amz-Security-Token; a missing session token is refused', async () => {
    const temp = { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: CREDS.secretAccessKey, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//session' };
    const m = await startAwsBedrockMock({ creds: temp, region: REGION });
    try {
      const req = await converse(temp, m);
      expect(req.headers['X-Amz-Security-Token'] ?? req.headers['x-amz-security-token']).toBe(temp.sessionToken);
      expect((await sendRendered(req)).status).toBe(200);
      expect(m.checks.at(-1)).toMatchObject({ ok: true, signedHeaders: expect.arrayContaining(['x-amz-security-token']) });
      const without = await sendRendered(await converse({ accessKeyId: temp.accessKeyId, secretAccessKey: temp.secretAccessKey }, m));
      expect(without.status).toBe(403);
      expect(without.headers.get('x-amzn-errortype')).toMatch(/^UnrecognizedClientException/);
    } finally {
      await m.close();
    }
  });

  it('auth contract: option api-key sends the Bedrock API key as Authorization: Bearer; a wrong key is refused 403', async () => {
    const render = (apiKey: string) => renderForTemplate({ template: 'aws-bedrock', authOption: 'api-key', service: 'converse', model: HAIKU, connection: CONNECTION, origins: origins(), secret: { apiKey }, method: 'POST', headers: JSON_TYPE, body: CONVERSE });
    const req = await render(API_KEY);
    expect(req.headers.Authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.headers['x-amz-date'] ?? req.headers['X-Amz-Date']).toBeUndefined();
    expect((await sendRendered(req)).status).toBe(200);
    const wrong = await sendRendered(await render(`ABSK${'w'.repeat(60)}`));
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ Message: 'Authentication failed: Please make sure your API Key is valid.' });
  });

  it('via proxy: POST /v1/chat/completions on the converse service becomes a signed Converse call; the answer comes back in the OpenAI shape', async () => {
    const res = await chat('chat');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Hello from Bedrock' }, finish_reason: 'stop' }], usage: { prompt_tokens: 21, completion_tokens: 8 } });
    const sent = last('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    expect(String(sent.headers.authorization)).toContain(`/${REGION}/bedrock/aws4_request`);
    expect(mock.checks.at(-1)).toMatchObject({ ok: true });
    expect(JSON.parse(sent.body.toString())).toEqual({ system: [{ text: 'Be brief.' }], messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 100 } });
  });

  it('via proxy: a streamed /v1/chat/completions becomes converse-stream (AWS event stream) translated to OpenAI chunks', async () => {
    const res = await chat('chat', { stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.replace(/^data: /, '')) as { choices: { delta: { content?: string } }[]; usage?: unknown });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from Bedrock');
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 8 });
    expect(last('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream').headers.accept).toBeDefined();
  });

  it('via proxy: /v1/chat/completions on the openai-compat service, /bind/invoke and /bind/control/foundation-models are all signed', async () => {
    const checked = mock.checks.length;
    const compat = await chat('compat');
    expect(compat.status).toBe(200);
    expect(await compat.json()).toMatchObject({ model: OSS, choices: [{ message: { content: 'Hello from gpt-oss on Bedrock' } }] });
    expect(JSON.parse(last('/openai/v1/chat/completions').body.toString())).toMatchObject({ model: OSS });
    const invoked = await post('/bind/invoke', INVOKE);
    expect(invoked.status).toBe(200);
    expect(invoked.headers.get('x-amzn-bedrock-input-token-count')).toBe('21');
    expect(await invoked.json()).toMatchObject({ type: 'message', content: [{ text: 'Hello from InvokeModel' }] });
    expect(last('/model/anthropic.claude-3-5-sonnet-20240620-v1:0/invoke').method).toBe('POST');
    const listed = await hub.door('/bind/control/foundation-models');
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ modelSummaries: expect.arrayContaining([expect.objectContaining({ modelId: HAIKU })]) });
    const sigv4 = ['/openai/v1/chat/completions', '/model/anthropic.claude-3-5-sonnet-20240620-v1:0/invoke', '/foundation-models'].map((p) => String(last(p).headers.authorization));
    expect(sigv4.every((a) => a.startsWith(`AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/`))).toBe(true);
    expect(mock.checks.length).toBeGreaterThanOrEqual(checked + 3);
    expect(mock.checks.slice(checked).every((c) => c.ok)).toBe(true);
  });

  it('via proxy: a ThrottlingException (429) reaches the caller in the OpenAI error shape', async () => {
    mock.throttleNext('/model/');
    const res = await chat('chat');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { message: 'Too many requests, please wait before trying again.', type: 'rate_limit_error' } });
  });

  it('usage: Converse inputTokens/outputTokens priced at claude-3-haiku (0.25 / 1.25 per 1M); InvokeModel token-count headers at claude-3.5-sonnet (3 / 15)', async () => {
    Object.assign(mock.usage, { inputTokens: 1000, outputTokens: 200 });
    const c0 = { ...ZERO, ...hub.usageFor('chat') };
    expect((await chat('chat')).status).toBe(200);
    const c = await recorded('chat', c0);
    expect(c).toMatchObject({ requests: 1, inputTokens: 1000, outputTokens: 200 });
    expect(c.cost).toBeCloseTo((1000 * 0.25 + 200 * 1.25) / 1e6, 10);
    const i0 = { ...ZERO, ...hub.usageFor('invoke') };
    expect((await post('/bind/invoke', INVOKE)).status).toBe(200);
    const i = await recorded('invoke', i0);
    expect(i).toMatchObject({ requests: 1, inputTokens: 1000, outputTokens: 200 });
    expect(i.cost).toBeCloseTo((1000 * 3 + 200 * 15) / 1e6, 10);
  });

  it('usage: Converse cache reads and writes are recorded apart from inputTokens and, without prices of their own, charged at the input price', async () => {
    Object.assign(mock.usage, { inputTokens: 1000, outputTokens: 200, cacheReadInputTokens: 400, cacheWriteInputTokens: 100 });
    try {
      const before = { ...ZERO, ...hub.usageFor('chat') };
      expect((await chat('chat')).status).toBe(200);
      const u = await recorded('chat', before);
      expect(u).toMatchObject({ requests: 1, inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400 });
      expect(u.cost).toBeCloseTo(((1000 + 400 + 100) * 0.25 + 200 * 1.25) / 1e6, 10);
    } finally {
      delete mock.usage.cacheReadInputTokens;
      delete mock.usage.cacheWriteInputTokens;
    }
  });

  it('usage: prompt/completion tokens of the OpenAI-compatible endpoint at gpt-oss-20b prices (0.07 / 0.3 per 1M)', async () => {
    Object.assign(mock.usage, { inputTokens: 5000, outputTokens: 700 });
    const before = { ...ZERO, ...hub.usageFor('compat') };
    expect((await chat('compat')).status).toBe(200);
    const u = await recorded('compat', before);
    expect(u).toMatchObject({ requests: 1, inputTokens: 5000, outputTokens: 700 });
    expect(u.cost).toBeCloseTo((5000 * 0.07 + 700 * 0.3) / 1e6, 10);
  });

  it('health check: signed GET /foundation-models on the control plane is ok; a revoked key fails it with 403', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(String(last('/foundation-models').headers.authorization)).toContain(`/${REGION}/bedrock/aws4_request`);
    mock.revoke();
    try {
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 403 });
      expect(failed.error ?? '').not.toContain(CREDS.secretAccessKey);
    } finally {
      mock.revoke(false);
    }
  });

  it('health check: option api-key sends the Bearer key to /foundation-models and is ok', async () => {
    const h = await startTemplateHub({ template: 'aws-bedrock', authOption: 'api-key', connection: CONNECTION, origins: origins(), secret: { apiKey: API_KEY }, bindings: {} });
    try {
      expect(await h.healthProbe()).toMatchObject({ ok: true, status: 200 });
      expect(mock.received.some((r) => r.path === '/foundation-models' && r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
    } finally {
      await h.stop();
    }
  });
});
