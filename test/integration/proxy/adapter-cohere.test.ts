// An OpenAI-format caller served by a Cohere-template target: the request translated to Cohere's
// v2 Chat API (POST /v2/chat, Bearer key from the template), the answer (plain and streamed)
// translated back, usage and cost recorded; an OpenAI-shaped target that answers 503 fails over
// to the Cohere one; Cohere's error answers come back in the OpenAI shape with their status.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startMockUpstream, type MockUpstream, type MockReply, type Received } from '../../helpers/mock-upstream.ts';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';

const KEY = `co-${'k'.repeat(40)}`;
const OPENAI_KEY = `sk-${'o'.repeat(48)}`;
const ANSWER = {
  id: '5a50480a-cf52-46f0-af01-53d18539bd31',
  finish_reason: 'COMPLETE',
  message: { role: 'assistant', content: [{ type: 'text', text: 'Hello from Command' }] },
  usage: { billed_units: { input_tokens: 12, output_tokens: 4 }, tokens: { input_tokens: 214, output_tokens: 4 } },
};
const ev = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const STREAM = [
  ev('message-start', { id: '29f14a5a-11de-4cae-9800-25e4747408ea', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } }),
  ev('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
  ev('content-delta', { index: 0, delta: { message: { content: { text: 'Hel' } } } }),
  ev('content-delta', { index: 0, delta: { message: { content: { text: 'lo' } } } }),
  ev('content-end', { index: 0 }),
  ev('message-end', { delta: { finish_reason: 'COMPLETE', usage: { billed_units: { input_tokens: 9, output_tokens: 6 }, tokens: { input_tokens: 200, output_tokens: 6 } } } }),
];

/** The Cohere mock checks what a real /v2/chat would refuse before answering. */
function cohere(r: Received): MockReply {
  if (r.headers.authorization !== `Bearer ${KEY}`) return { status: 401, body: { id: 'e-auth', message: 'invalid api token' } };
  if (r.method !== 'POST' || r.url !== '/v2/chat') return { status: 404, body: { message: `no route ${r.method} ${r.url}` } };
  const body = JSON.parse(r.body) as Record<string, unknown>;
  const messages = body.messages as { role: string; content?: unknown }[];
  const allowed = new Set(['model', 'messages', 'stream', 'max_tokens', 'temperature', 'p', 'k', 'seed', 'stop_sequences', 'tools', 'tool_choice', 'response_format', 'frequency_penalty', 'presence_penalty', 'strict_tools']);
  const unknown = Object.keys(body).filter((k) => !allowed.has(k));
  if (typeof body.model !== 'string' || !Array.isArray(messages) || unknown.length > 0 || messages.some((m) => !['system', 'user', 'assistant', 'tool'].includes(m.role))) {
    return { status: 422, body: { message: `invalid request: ${unknown.join(', ') || 'shape'}` } };
  }
  if (messages.some((m) => m.content === 'please fail')) return { status: 400, body: { id: 'e-400', message: 'invalid request: temperature must be between 0 and 5' } };
  if (body.stream === true) return messages.some((m) => m.content === 'cut') ? { status: 200, chunks: STREAM.slice(0, 3), cut: true } : { status: 200, chunks: STREAM };
  return { status: 200, body: ANSWER };
}

describe('OpenAI caller, Cohere target', () => {
  let co: MockUpstream;
  let oa: MockUpstream;
  let p: ProxyHub;
  const call = (body: unknown) => fetch(`${p.hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const totals = (binding: string) => p.hub.usage.totals.get(`web|${binding}|co|command-a-03-2025`);

  beforeAll(async () => {
    co = await startMockUpstream(cohere);
    oa = await startMockUpstream(() => ({ status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } }));
    p = await startProxyHub({
      'sil.yaml': 'version: 1\nenvironments: [dev, prod]\n',
      'providers/co.yaml': `id: co\ntemplate: cohere\nname: Cohere\nenvironment: prod\nconnection:\n  baseUrl: ${co.url}\nservices:\n  openai-compat: { enabled: false }\n`,
      'providers/oa.yaml': `id: oa\ntemplate: openai\nname: OpenAI\nenvironment: prod\nconnection:\n  baseUrl: ${oa.url}/v1\n`,
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: co, model: command-a-03-2025 }\n',
      'bindings/chat-fo.yaml': 'name: chat-fo\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: oa, model: gpt-4o-mini }\n  - { provider: co, model: command-a-03-2025 }\nfailover:\n  on: [connect-error, timeout, "5xx"]\n  maxAttempts: 3\n',
    }, { co: { apiKey: KEY }, oa: { apiKey: OPENAI_KEY } });
  });
  afterAll(async () => {
    await p?.stop();
    await co?.close();
    await oa?.close();
  });

  it('translates a plain request and its answer, and records usage and cost', async () => {
    const res = await call({ model: 'chat', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 100, top_p: 0.5 });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sil-provider')).toBe('co');
    const body = await res.json();
    expect(body).toMatchObject({ object: 'chat.completion', model: 'command-a-03-2025', choices: [{ message: { role: 'assistant', content: 'Hello from Command' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } });
    const sent = co.received.at(-1)!;
    expect(sent.url).toBe('/v2/chat');
    expect(JSON.parse(sent.body)).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 100, p: 0.5 });
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    await new Promise((r) => setTimeout(r, 20));
    const t = totals('chat')!;
    expect(t).toMatchObject({ requests: 1, inputTokens: 12, outputTokens: 4 });
    expect(t.cost).toBeGreaterThan(0);
  });

  it('translates a streamed answer into OpenAI chunks with the usage at the end', async () => {
    const res = await call({ model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(JSON.parse(co.received.at(-1)!.body)).toMatchObject({ stream: true });
    expect(co.received.at(-1)!.headers.accept).toBe('text/event-stream');
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.replace(/^data: /, '')) as { object: string; choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: { prompt_tokens: number; completion_tokens: number } });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 6 });
    await new Promise((r) => setTimeout(r, 20));
    expect(totals('chat')).toMatchObject({ requests: 2, inputTokens: 21, outputTokens: 10 });
  });

  it('fails over from an OpenAI-shaped target answering 503 to the Cohere target, plain and streamed', async () => {
    const before = oa.received.length;
    const res = await call({ model: 'chat-fo', messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sil-provider')).toBe('co');
    expect(res.headers.get('x-sil-failover-reason')).toBe('oa: 503');
    expect(await res.json()).toMatchObject({ choices: [{ message: { content: 'Hello from Command' } }], usage: { prompt_tokens: 12, completion_tokens: 4 } });
    expect(oa.received.length).toBe(before + 1);
    expect(oa.received.at(-1)!.url).toBe('/v1/chat/completions');
    expect(JSON.parse(oa.received.at(-1)!.body)).toMatchObject({ model: 'gpt-4o-mini' });
    expect(JSON.parse(co.received.at(-1)!.body)).toMatchObject({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }] });

    const streamed = await call({ model: 'chat-fo', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    expect(streamed.headers.get('x-sil-provider')).toBe('co');
    const text = await streamed.text();
    expect(text).toContain('"content":"Hel"');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(totals('chat-fo')).toMatchObject({ requests: 2, inputTokens: 21, outputTokens: 10 });
  });

  it('answers a Cohere error in the OpenAI shape with its status, and a cut stream with an error frame', async () => {
    const res = await call({ model: 'chat', messages: [{ role: 'user', content: 'please fail' }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error).toMatchObject({ message: 'invalid request: temperature must be between 0 and 5', type: 'invalid_request_error' });

    const cut = await call({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'cut' }] });
    const text = await cut.text();
    expect(text).toContain('"content":"Hel"');
    expect(text).toMatch(/data: \{"error":\{[^\n]*"code":"SIL_PROXY_UPSTREAM"/);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('refuses in the OpenAI shape what cannot be translated for Cohere', async () => {
    const before = co.received.length;
    const res = await call({ model: 'chat', n: 2, messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; code: string } };
    expect(body.error.message).toContain('cohere-chat');
    expect(co.received.length).toBe(before);
  });
});
