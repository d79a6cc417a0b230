// An OpenAI-format caller served by an Anthropic-template target: the request translated to the
// Messages API with the provider's own headers, the answer (plain and streamed) translated
// back, usage and cost recorded.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';

const KEY = `sk-ant-api03-${'z'.repeat(40)}`;
const MESSAGE = {
  id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'Hello from Claude' }], stop_reason: 'end_turn', stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 4 },
};
const STREAM = [
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":9,"output_tokens":1}}}\n\n',
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}\n\n',
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}\n\n',
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
];

describe('OpenAI caller, Anthropic target', () => {
  let claude: MockUpstream;
  let p: ProxyHub;
  const call = (body: unknown) => fetch(`${p.hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    claude = await startMockUpstream((r) => {
      if (r.headers['x-api-key'] !== KEY || r.headers['anthropic-version'] !== '2023-06-01') return { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } };
      // A provider that compresses although the hub did not ask (the last test).
      if (r.url.startsWith('/gz/')) {
        const gz = gzipSync(JSON.parse(r.body).stream ? STREAM.join('') : JSON.stringify(MESSAGE));
        return JSON.parse(r.body).stream ? { status: 200, headers: { 'content-encoding': 'gzip' }, chunks: [gz.subarray(0, 40), gz.subarray(40)] } : { status: 200, headers: { 'content-encoding': 'gzip' }, body: gz };
      }
      return JSON.parse(r.body).stream ? { status: 200, chunks: STREAM } : { status: 200, body: MESSAGE };
    });
    p = await startProxyHub({
      'sil.yaml': 'version: 1\nenvironments: [dev, prod]\n',
      'providers/claude.yaml': `id: claude\ntemplate: anthropic\nname: Claude\nenvironment: prod\nconnection:\n  baseUrl: ${claude.url}\nservices:\n  openai-compat: { enabled: false }\n`,
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: claude, model: claude-sonnet-4-5 }\n',
      'providers/claude-gz.yaml': `id: claude-gz\ntemplate: anthropic\nname: Claude (gzip)\nenvironment: prod\nconnection:\n  baseUrl: ${claude.url}/gz\nservices:\n  openai-compat: { enabled: false }\n`,
      'bindings/chat-gz.yaml': 'name: chat-gz\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: claude-gz, model: claude-sonnet-4-5 }\n',
    }, { claude: { apiKey: KEY }, 'claude-gz': { apiKey: KEY } });
  });
  afterAll(async () => {
    await p?.stop();
    await claude?.close();
  });

  it('translates a plain request and its answer, and records usage and cost', async () => {
    const res = await call({ model: 'chat', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 100 });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sil-provider')).toBe('claude');
    const body = (await res.json()) as { object: string; choices: { message: { content: string }; finish_reason: string }[]; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(body).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello from Claude' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 4 } });
    const sent = JSON.parse(claude.received.at(-1)!.body) as Record<string, unknown>;
    expect(claude.received.at(-1)!.url).toBe('/v1/messages');
    expect(sent).toMatchObject({ model: 'claude-sonnet-4-5', system: 'Be brief.', max_tokens: 100, messages: [{ role: 'user' }] });
    expect(claude.received.at(-1)!.headers.authorization).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20));
    const totals = p.hub.usage.totals.get('web|chat|claude|claude-sonnet-4-5')!;
    expect(totals).toMatchObject({ requests: 1, inputTokens: 12, outputTokens: 4 });
    expect(totals.cost).toBeGreaterThan(0);
  });

  it('translates a streamed answer into OpenAI chunks with the usage at the end', async () => {
    const res = await call({ model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.replace(/^data: /, '')) as { choices: { delta: { content?: string } }[]; usage?: { prompt_tokens: number; completion_tokens: number } });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 6 });
    await new Promise((r) => setTimeout(r, 20));
    expect(p.hub.usage.totals.get('web|chat|claude|claude-sonnet-4-5')).toMatchObject({ requests: 2, inputTokens: 21, outputTokens: 10 });
  });

  it('decodes a provider that compresses unasked before translating (plain and streamed), and sends the translation plain', async () => {
    const plain = await call({ model: 'chat-gz', messages: [{ role: 'user', content: 'Hi' }] });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.json()).toMatchObject({ choices: [{ message: { content: 'Hello from Claude' } }], usage: { prompt_tokens: 12, completion_tokens: 4 } });
    const streamed = await call({ model: 'chat-gz', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    expect(streamed.headers.get('content-encoding')).toBeNull();
    const text = await streamed.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(text).toContain('"content":"Hel"');
    await new Promise((r) => setTimeout(r, 20));
    expect(p.hub.usage.totals.get('web|chat-gz|claude-gz|claude-sonnet-4-5')).toMatchObject({ requests: 2, inputTokens: 21, outputTokens: 10 });
  });
});
