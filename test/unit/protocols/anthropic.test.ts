import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicAdapter as A } from '../../../server/protocols/anthropic.ts';
import { SilError } from '../../../server/errors.ts';
import type { OpenAIChatRequest } from '../../../server/protocols/types.ts';
import { assemble, feed, parseFrames, splits } from './stream-helpers.ts';
import { caughtSync } from '../../helpers/caught.ts';

const IMG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] },
  },
};

function refusal(fn: () => unknown): SilError {
  const e = caughtSync(fn);
  expect(e.code).toBe('SIL_PROXY_BAD_REQUEST');
  return e;
}

describe('anthropic-messages: request', () => {
  it('translates a multi-turn request with system, images, tools, tool calls and tool results', () => {
    const req: OpenAIChatRequest = {
      model: 'chat',
      messages: [
        { role: 'system', content: 'You are a weather assistant.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is on these pictures, and how is the weather in Zürich and Bern?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${IMG}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
        {
          role: 'assistant',
          content: 'A pixel and a cat. Let me check the weather.',
          tool_calls: [
            { id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Zürich"}' } },
            { id: 'toolu_01B', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Bern","unit":"celsius"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_01A', content: '{"temp":21}' },
        { role: 'tool', tool_call_id: 'toolu_01B', content: [{ type: 'text', text: '19 degrees' }] },
        { role: 'user', content: 'Thanks! Which is warmer?' },
      ],
      tools: [weatherTool],
      tool_choice: 'required',
      parallel_tool_calls: false,
      max_completion_tokens: 1024,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      stream: true,
      stream_options: { include_usage: true },
      user: 'user-42',
    };
    expect(A.request(req, 'claude-sonnet-4-5')).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: 'You are a weather assistant.\n\nAnswer in English.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is on these pictures, and how is the weather in Zürich and Bern?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: IMG } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'A pixel and a cat. Let me check the weather.' },
            { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { location: 'Zürich' } },
            { type: 'tool_use', id: 'toolu_01B', name: 'get_weather', input: { location: 'Bern', unit: 'celsius' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01A', content: '{"temp":21}' },
            { type: 'tool_result', tool_use_id: 'toolu_01B', content: '19 degrees' },
            { type: 'text', text: 'Thanks! Which is warmer?' },
          ],
        },
      ],
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
      stream: true,
      tools: [{ name: 'get_weather', description: 'Current weather for a city', input_schema: weatherTool.function.parameters }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      metadata: { user_id: 'user-42' },
    });
  });

  it('defaults max_tokens to 4096, accepts max_tokens, and leaves out what was not asked', () => {
    expect(A.request({ model: 'x', messages: [{ role: 'user', content: 'Hi' }] }, 'claude-3-5-haiku-latest')).toEqual({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    expect(A.request({ model: 'x', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 50, stop: ['a', 'b'], n: 1, presence_penalty: 0 }, 'm')).toMatchObject({ max_tokens: 50, stop_sequences: ['a', 'b'] });
  });

  it('maps tool_choice none, auto and a named function; a tool without parameters gets an empty object schema', () => {
    const base = { model: 'x', messages: [{ role: 'user' as const, content: 'Hi' }], tools: [weatherTool, { type: 'function' as const, function: { name: 'now' } }] };
    expect(A.request({ ...base, tool_choice: 'none' }, 'm')).toMatchObject({ tool_choice: { type: 'none' } });
    expect(A.request({ ...base, tool_choice: 'auto' }, 'm')).toMatchObject({ tool_choice: { type: 'auto' } });
    const named = A.request({ ...base, tool_choice: { type: 'function', function: { name: 'now' } } }, 'm') as Record<string, unknown>;
    expect(named.tool_choice).toEqual({ type: 'tool', name: 'now' });
    expect((named.tools as unknown[])[1]).toEqual({ name: 'now', input_schema: { type: 'object', properties: {} } });
    expect(A.request(base, 'm')).not.toHaveProperty('tool_choice');
  });

  it('sends base64 PDFs as document blocks and keeps cache_control marks', () => {
    const body = A.request({
      model: 'x',
      messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=' , filename: 'a.pdf' } }, { type: 'text', text: 'Summarise', cache_control: { type: 'ephemeral' } }] }],
    }, 'm') as { messages: { content: unknown[] }[] };
    expect(body.messages[0].content).toEqual([
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
      { type: 'text', text: 'Summarise', cache_control: { type: 'ephemeral' } },
    ]);
  });

  it('refuses clearly what cannot be translated', () => {
    const msgs = [{ role: 'user' as const, content: 'Hi' }];
    expect(refusal(() => A.request({ model: 'x', messages: msgs, n: 2 }, 'm')).message).toMatch(/n = 2/);
    expect(refusal(() => A.request({ model: 'x', messages: msgs, logprobs: true }, 'm')).message).toMatch(/logprobs/);
    expect(refusal(() => A.request({ model: 'x', messages: msgs, temperature: 1.5 }, 'm')).message).toMatch(/temperature 1.5/);
    expect(refusal(() => A.request({ model: 'x', messages: msgs, response_format: { type: 'json_object' } }, 'm')).message).toMatch(/json_object/);
    expect(refusal(() => A.request({ model: 'x', messages: msgs, frequency_penalty: 0.5 }, 'm')).message).toMatch(/frequency_penalty/);
    expect(refusal(() => A.request({ model: 'x', messages: msgs, functions: [{ name: 'f' }] }, 'm')).message).toMatch(/legacy/);
    expect(refusal(() => A.request({ model: 'x', messages: [] }, 'm')).message).toMatch(/non-empty/);
    expect(refusal(() => A.request('nope' as unknown as OpenAIChatRequest, 'm')).message).toMatch(/not a JSON object/);
    expect(refusal(() => A.request({ model: 'x', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } }] }] }, 'm')).message).toMatch(/input_audio/);
    expect(refusal(() => A.request({ model: 'x', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }, 'm')).message).toMatch(/image URL/);
    expect(refusal(() => A.request({ model: 'x', messages: [...msgs, { role: 'assistant', tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{oops' } }] }] }, 'm')).message).toMatch(/not valid JSON/);
    expect(refusal(() => A.request({ model: 'x', messages: [...msgs, { role: 'tool', content: 'x' }] }, 'm')).message).toMatch(/tool_call_id/);
    expect(refusal(() => A.request({ model: 'x', messages: msgs, tools: [{ type: 'web_search' } as never] }, 'm')).message).toMatch(/only function tools/);
  });

  it('has one path for both modes and asks for SSE when streaming', () => {
    expect(A.path('claude-sonnet-4-5', false)).toBe('/v1/messages');
    expect(A.path('claude-sonnet-4-5', true)).toBe('/v1/messages');
    expect(A.headers(true)).toEqual({ 'content-type': 'application/json', accept: 'text/event-stream' });
  });
});

describe('anthropic-messages: response', () => {
  const message = {
    id: 'msg_01Aq9w938a90dw8q',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [
      { type: 'thinking', thinking: 'The user wants the weather.', signature: 'EqQB' },
      { type: 'text', text: 'Let me look that up ' },
      { type: 'text', text: 'for you.' },
      { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: { location: 'Zürich', unit: 'celsius' } },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 472, cache_creation_input_tokens: 20, cache_read_input_tokens: 128, output_tokens: 89 },
  };

  it('turns text and tool_use blocks into an OpenAI chat completion with usage', () => {
    const out = A.response(message, 'claude-sonnet-4-5');
    expect(out).toEqual({
      id: 'chatcmpl-msg_01Aq9w938a90dw8q',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'claude-sonnet-4-5',
      choices: [{
        index: 0,
        message: {
          role: 'assistant',
          content: 'Let me look that up for you.',
          refusal: null,
          tool_calls: [{ id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Zürich","unit":"celsius"}' } }],
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      }],
      usage: { prompt_tokens: 620, completion_tokens: 89, total_tokens: 709, prompt_tokens_details: { cached_tokens: 128 } },
    });
    expect(A.usage(message)).toEqual({ inputTokens: 472, outputTokens: 89, cachedInputTokens: 128, cacheWriteTokens: 20 });
  });

  it('maps stop reasons', () => {
    const finish = (stop_reason: string) => A.response({ ...message, content: [{ type: 'text', text: 'x' }], stop_reason }, 'm').choices[0].finish_reason;
    expect(finish('end_turn')).toBe('stop');
    expect(finish('stop_sequence')).toBe('stop');
    expect(finish('max_tokens')).toBe('length');
    expect(finish('tool_use')).toBe('tool_calls');
    expect(finish('refusal')).toBe('content_filter');
    const toolOnly = A.response({ ...message, content: [message.content[3]] }, 'm');
    expect(toolOnly.choices[0].message.content).toBeNull();
  });

  it('refuses an answer it cannot read (SIL_PROXY_UPSTREAM)', () => {
    for (const bad of ['text', { type: 'message' }, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]) {
      expect(() => A.response(bad, 'm')).toThrow(expect.objectContaining({ code: 'SIL_PROXY_UPSTREAM' }));
    }
  });

  it('turns error answers into the OpenAI error shape', () => {
    expect(A.error(429, { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } })).toEqual({
      error: { message: 'Number of request tokens has exceeded your per-minute rate limit', type: 'rate_limit_error', param: null, code: 'rate_limit_error' },
    });
    expect(A.error(502, '<html>Bad gateway</html>').error).toMatchObject({ message: '<html>Bad gateway</html>', type: 'api_error' });
    expect(A.error(529, null).error).toMatchObject({ type: 'overloaded_error', message: 'the Anthropic service answered 529' });
  });
});

// A recorded-shape stream: text, then a tool call whose JSON arrives in pieces (with a ping and
// an empty partial_json, as Anthropic sends them).
const ev = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
const TOOL_STREAM = [
  ev('message_start', { type: 'message_start', message: { id: 'msg_01XFDUDYJgAACzvnptvVoYEL', type: 'message', role: 'assistant', content: [], model: 'claude-sonnet-4-5-20250929', stop_reason: null, stop_sequence: null, usage: { input_tokens: 472, cache_creation_input_tokens: 0, cache_read_input_tokens: 128, output_tokens: 2 } } }),
  ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  'event: ping\ndata: {"type": "ping"}\n\n',
  ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Okay, let me check the weather in ' } }),
  ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Zürich ☀️.' } }),
  ev('content_block_stop', { type: 'content_block_stop', index: 0 }),
  ev('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: {} } }),
  ev('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
  ev('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"location": "Zür' } }),
  ev('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ich", "unit": "celsius"}' } }),
  ev('content_block_stop', { type: 'content_block_stop', index: 1 }),
  ev('content_block_start', { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_02', name: 'now', input: {} } }),
  ev('content_block_stop', { type: 'content_block_stop', index: 2 }),
  ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89 } }),
  ev('message_stop', { type: 'message_stop' }),
].join('');

const streamReq = (includeUsage: boolean): OpenAIChatRequest => ({ model: 'chat', messages: [{ role: 'user', content: 'Weather?' }], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });

describe('anthropic-messages: stream', () => {
  const expected = {
    id: 'chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL',
    role: 'assistant',
    content: 'Okay, let me check the weather in Zürich ☀️.',
    toolCalls: [
      { id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: '{"location": "Zürich", "unit": "celsius"}' },
      { id: 'toolu_02', name: 'now', arguments: '{}' },
    ],
    finish: 'tool_calls',
    usage: { prompt_tokens: 600, completion_tokens: 89, total_tokens: 689, prompt_tokens_details: { cached_tokens: 128 } },
    done: true,
  };

  it.each([
    ['in one piece', splits.whole(TOOL_STREAM)],
    ['in 7-character pieces', splits.chars(7)(TOOL_STREAM)],
    ['byte by byte', splits.bytes(TOOL_STREAM)],
    ['with CRLF line ends, 3 characters at a time', splits.chars(3)(TOOL_STREAM.replaceAll('\n', '\r\n'))],
    ['with CR line ends, split after each CR', TOOL_STREAM.replaceAll('\n', '\r').split(/(?<=\r)/)],
  ])('translates text and tool calls fed %s, and keeps the usage', (_, pieces) => {
    const t = A.stream(streamReq(true), 'claude-sonnet-4-5');
    const frames = feed(t, pieces);
    expect(assemble(frames)).toEqual(expected);
    expect(t.usage()).toEqual({ inputTokens: 472, outputTokens: 89, cachedInputTokens: 128, cacheWriteTokens: 0 });
  });

  it('writes OpenAI chunks: a role chunk first, usage: null on every chunk, usage chunk then [DONE] at the end', () => {
    const frames = parseFrames(feed(A.stream(streamReq(true), 'claude-sonnet-4-5'), [TOOL_STREAM]));
    expect(frames[0]).toEqual({ id: 'chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL', object: 'chat.completion.chunk', created: expect.any(Number), model: 'claude-sonnet-4-5', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }], usage: null });
    expect(frames.at(-2)).toMatchObject({ choices: [], usage: expected.usage });
    expect(frames.at(-1)).toBe('[DONE]');
    expect(frames).toContainEqual(expect.objectContaining({ choices: [expect.objectContaining({ delta: { tool_calls: [{ index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '' } }] } })] }));
  });

  it('sends no usage chunk and no usage fields unless include_usage was asked', () => {
    const frames = feed(A.stream(streamReq(false), 'm'), [TOOL_STREAM]);
    expect(frames.join('')).not.toContain('"usage"');
    expect(assemble(frames)).toMatchObject({ finish: 'tool_calls', done: true });
  });

  it('turns an error event into an OpenAI error frame and stops', () => {
    const stream = [
      TOOL_STREAM.split('event: content_block_stop')[0],
      ev('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'not shown' } }),
    ].join('');
    const t = A.stream(streamReq(true), 'm');
    const frames = feed(t, splits.chars(11)(stream));
    const out = assemble(frames);
    expect(out).toMatchObject({ content: 'Okay, let me check the weather in Zürich ☀️.', finish: null, error: { message: 'Overloaded', type: 'overloaded_error', code: 'overloaded_error', param: null }, done: true });
    expect(out.usage).toBeUndefined();
    expect(parseFrames(frames).at(-2)).toEqual({ error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: 'overloaded_error' } });
    expect(t.usage()).toEqual({ inputTokens: 472, outputTokens: 2, cachedInputTokens: 128, cacheWriteTokens: 0 });
  });

  it('reports a stream that ends before message_stop, and one that is not JSON', () => {
    const cut = TOOL_STREAM.slice(0, TOOL_STREAM.indexOf('event: message_delta'));
    expect(assemble(feed(A.stream(streamReq(true), 'm'), [cut]))).toMatchObject({ finish: null, error: { code: 'SIL_PROXY_UPSTREAM', message: expect.stringMatching(/before message_stop/) }, done: true });
    expect(assemble(feed(A.stream(streamReq(false), 'm'), ['event: message_start\ndata: {"type":"message_st\n\n']))).toMatchObject({ error: { code: 'SIL_PROXY_UPSTREAM', message: expect.stringMatching(/not JSON/) }, done: true });
  });

  it('ignores thinking blocks and unknown events, and stops after end()', () => {
    const stream = [
      TOOL_STREAM.split('event: content_block_start')[0],
      ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }),
      ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } }),
      ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } }),
      ev('content_block_stop', { type: 'content_block_stop', index: 0 }),
      ev('some_future_event', { type: 'some_future_event' }),
      ev('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hello!' } }),
      ev('content_block_stop', { type: 'content_block_stop', index: 1 }),
      ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }),
      ev('message_stop', { type: 'message_stop' }),
    ].join('');
    const t = A.stream(streamReq(false), 'm');
    expect(assemble(feed(t, splits.bytes(stream)))).toMatchObject({ content: 'Hello!', toolCalls: [], finish: 'stop', done: true });
    expect(t.push('data: {}\n\n')).toEqual([]);
    expect(t.end()).toEqual([]);
  });

  describe('over HTTP', () => {
    let server: Server | undefined;
    afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

    it('translates a stream read from a local server in uneven chunks', async () => {
      const bytes = new TextEncoder().encode(TOOL_STREAM);
      server = createServer(async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let i = 0, n = 1; i < bytes.length; i += n, n = (n * 7) % 61 + 1) {
          res.write(bytes.subarray(i, i + n));
          await new Promise((r) => setImmediate(r));
        }
        res.end();
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/v1/messages`, { method: 'POST', body: JSON.stringify(A.request(streamReq(true), 'claude-sonnet-4-5')) });
      const t = A.stream(streamReq(true), 'claude-sonnet-4-5');
      const frames: string[] = [];
      for await (const chunk of res.body!) frames.push(...t.push(chunk as Uint8Array));
      frames.push(...t.end());
      expect(assemble(frames)).toEqual(expected);
    });
  });
});
