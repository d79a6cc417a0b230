// An OpenAI-format caller served by an aws-bedrock target through the Converse API: the hub signs
// with SigV4 (checked by the mock as AWS does), puts the model id URL-encoded in the path,
// translates the request, the answer, the event stream and errors, and records usage and cost.
// The failover binding's first target is an OpenAI mock that answers 503.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';
import { converseEvent, converseException, converseTextStream, startBedrockMock, type BedrockMock } from '../../helpers/bedrock-mock.ts';

const CREDS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const REGION = 'eu-central-1';
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const OPENAI_KEY = `sk-proj-${'o'.repeat(40)}`;
const EVENTS = { 'content-type': 'application/vnd.amazon.eventstream' };

const ANSWER = {
  output: { message: { role: 'assistant', content: [{ text: 'Hello from Bedrock' }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16 },
  metrics: { latencyMs: 80 },
};

// Runs once server/protocols/registry.ts registers the adapter (that one-line edit is committed
// apart from this file); until then the hub refuses bedrock-converse targets ("no adapter").
describe('OpenAI caller, Bedrock Converse target', () => {
  let bed: BedrockMock;
  let oa: MockUpstream;
  let p: ProxyHub;
  const call = (body: unknown) => fetch(`${p.hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const totals = () => p.hub.usage.totals.get(`web|chat|bed|${MODEL}`);
  const settle = () => new Promise((r) => setTimeout(r, 30));

  beforeAll(async () => {
    bed = await startBedrockMock(CREDS, REGION, (r, model, stream) => {
      if (model !== MODEL) return { status: 400, body: { message: `The provided model identifier is invalid: ${model}` } };
      const body = JSON.parse(r.body) as { messages: { content: { text?: string }[] }[] };
      const text = body.messages[0]?.content[0]?.text;
      if (text === 'throttle') return { status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' }, body: { message: 'Too many requests, please wait before trying again.' } };
      if (!stream) return { status: 200, body: ANSWER };
      if (text === 'exception') return { status: 200, headers: EVENTS, chunks: [converseEvent('messageStart', { role: 'assistant' }), converseException('modelStreamErrorException', 'The model stream failed.')] };
      const frames = converseTextStream(['Hel', 'lo'], 'end_turn', { inputTokens: 9, outputTokens: 6 });
      if (text === 'cut') return { status: 200, headers: EVENTS, chunks: frames.slice(0, 2), cut: true };
      // Frames split across chunks: the decoder must join them.
      const all = Buffer.concat(frames);
      return { status: 200, headers: EVENTS, chunks: [all.subarray(0, 30), all.subarray(30, 200), all.subarray(200)] };
    });
    oa = await startMockUpstream(() => ({ status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } }));
    p = await startProxyHub({
      'sil.yaml': 'version: 1\nenvironments: [dev, prod]\n',
      'providers/bed.yaml': `id: bed\ntemplate: aws-bedrock\nname: Bedrock\nenvironment: prod\nconnection:\n  baseUrl: ${bed.url}\n  region: ${REGION}\nservices:\n  openai-compat: { enabled: false }\n`,
      'providers/oa.yaml': `id: oa\ntemplate: openai\nname: OpenAI\nenvironment: prod\nconnection:\n  baseUrl: ${oa.url}/v1\n`,
      'bindings/chat.yaml': `name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: oa, model: gpt-4o-mini }\n  - { provider: bed, model: ${MODEL} }\nfailover:\n  on: [connect-error, timeout, "5xx"]\n  maxAttempts: 3\n`,
      'bindings/bed-only.yaml': `name: bed-only\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: bed, model: ${MODEL} }\n`,
    }, { bed: CREDS, oa: { apiKey: OPENAI_KEY } }, { health: { probes: false } });
  });
  afterAll(async () => {
    await p?.stop();
    await bed?.close();
    await oa?.close();
  });

  it('fails over from a 503 to Bedrock: signed Converse request, OpenAI answer, usage and cost recorded', async () => {
    const res = await call({ model: 'chat', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 100, temperature: 0.2 });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sil-provider')).toBe('bed');
    expect(res.headers.get('x-sil-failover-reason')).toContain('503');
    expect(await res.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Hello from Bedrock' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } });
    expect(oa.received).toHaveLength(1);
    const sent = bed.received.at(-1)!;
    expect(sent.url).toBe('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    expect(bed.checks.at(-1)).toMatchObject({ ok: true });
    expect(JSON.parse(sent.body)).toEqual({ system: [{ text: 'Be brief.' }], messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 100, temperature: 0.2 } });
    await settle();
    expect(totals()).toMatchObject({ requests: 1, inputTokens: 12, outputTokens: 4 });
    expect(totals()!.cost).toBeGreaterThan(0);
  });

  it('translates a ConverseStream event stream into OpenAI chunks with the usage at the end', async () => {
    const res = await call({ model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sil-provider')).toBe('bed');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(bed.received.at(-1)!.url).toBe('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream');
    expect(bed.checks.at(-1)).toMatchObject({ ok: true });
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.replace(/^data: /, '')) as { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: { prompt_tokens: number; completion_tokens: number } });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(true);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 6 });
    await settle();
    expect(totals()).toMatchObject({ requests: 2, inputTokens: 21, outputTokens: 10 });
  });

  it('ends a stream with an error event on an exception frame and on a cut stream', async () => {
    for (const [text, expected] of [['exception', { message: 'The model stream failed.', code: 'ModelStreamErrorException' }], ['cut', { code: 'SIL_PROXY_UPSTREAM' }]] as const) {
      const res = await call({ model: 'chat', stream: true, messages: [{ role: 'user', content: text }] });
      expect(res.status).toBe(200);
      const frames = (await res.text()).split('\n\n').filter(Boolean);
      expect(frames.at(-1)).toBe('data: [DONE]');
      expect(JSON.parse(frames.at(-2)!.replace(/^data: /, ''))).toMatchObject({ error: expected });
    }
  });

  it('passes a Bedrock error on in the OpenAI shape with its status', async () => {
    const res = await call({ model: 'chat', messages: [{ role: 'user', content: 'throttle' }] });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-sil-provider')).toBe('bed');
    expect(await res.json()).toMatchObject({ error: { message: 'Too many requests, please wait before trying again.', type: 'rate_limit_error' } });
  });

  it('answers 400 in the OpenAI shape for a request Converse cannot take, without calling Bedrock', async () => {
    const before = bed.received.length;
    const image = [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }] }];
    const only = await call({ model: 'bed-only', messages: image });
    expect(only.status).toBe(400);
    expect(await only.json()).toMatchObject({ error: { code: 'SIL_PROXY_BAD_REQUEST', message: expect.stringContaining('data: URL') } });
    // With the failover binding the last provider answer (the 503) is passed on, the refusal named in the reasons.
    const failover = await call({ model: 'chat', messages: image });
    expect(failover.status).toBe(503);
    expect(failover.headers.get('x-sil-failover-reason')).toContain('bed: cannot translate the request for a bedrock-converse service');
    expect(bed.received.length).toBe(before);
  });
});
