import { describe, it, expect } from 'vitest';
import { bedrockAdapter as B } from '../../../server/protocols/bedrock.ts';
import { SilError } from '../../../server/errors.ts';
import type { OpenAIChatRequest } from '../../../server/protocols/types.ts';
import { assemble, feed } from './stream-helpers.ts';
import { caughtSync } from '../../helpers/caught.ts';
import { converseEvent, converseException, converseTextStream } from '../../helpers/bedrock-mock.ts';

const IMG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
};

function refusal(fn: () => unknown): SilError {
  const e = caughtSync(fn);
  expect(e.code).toBe('SIL_PROXY_BAD_REQUEST');
  return e;
}

describe('bedrock-converse: path and headers', () => {
  it('puts the model id in the path, encoded as one segment', () => {
    expect(B.path('anthropic.claude-3-5-sonnet-20240620-v1:0', false)).toBe('/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    expect(B.path('meta.llama3-8b-instruct-v1:0', true)).toBe('/model/meta.llama3-8b-instruct-v1%3A0/converse-stream');
    expect(B.path('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x', false)).toBe('/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x/converse');
    expect(B.headers(true).accept).toBe('application/vnd.amazon.eventstream');
    expect(B.headers(false)).toEqual({ 'content-type': 'application/json', accept: 'application/json' });
  });
});

describe('bedrock-converse: request', () => {
  it('translates system, multi-turn, images, tool calls, tool results, tools and inference settings', () => {
    const req: OpenAIChatRequest = {
      model: 'chat',
      messages: [
        { role: 'system', content: 'You are a weather assistant.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Bern?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${IMG}` } }] },
        { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Bern"}' } }] },
        { role: 'tool', tool_call_id: 'tooluse_1', content: '19 degrees' },
        { role: 'user', content: 'Thanks!' },
      ],
      tools: [weatherTool],
      tool_choice: 'required',
      max_tokens: 256,
      temperature: 0.3,
      top_p: 0.8,
      stop: ['END'],
    };
    expect(B.request(req, 'anthropic.claude-3-haiku-20240307-v1:0')).toEqual({
      system: [{ text: 'You are a weather assistant.' }, { text: 'Answer in English.' }],
      messages: [
        { role: 'user', content: [{ text: 'Weather in Bern?' }, { image: { format: 'png', source: { bytes: IMG } } }] },
        { role: 'assistant', content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { location: 'Bern' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: '19 degrees' }] } }, { text: 'Thanks!' }] },
      ],
      inferenceConfig: { maxTokens: 256, temperature: 0.3, topP: 0.8, stopSequences: ['END'] },
      toolConfig: {
        tools: [{ toolSpec: { name: 'get_weather', description: 'Current weather for a city', inputSchema: { json: weatherTool.function.parameters } } }],
        toolChoice: { any: {} },
      },
    });
  });

  it('keeps the body small for a plain request, and maps tool_choice auto and a named function', () => {
    expect(B.request({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, 'm')).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
    const auto = B.request({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], tool_choice: 'auto' }, 'm') as { toolConfig: { toolChoice: unknown } };
    expect(auto.toolConfig.toolChoice).toEqual({ auto: {} });
    const named = B.request({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } }, 'm') as { toolConfig: { toolChoice: unknown } };
    expect(named.toolConfig.toolChoice).toEqual({ tool: { name: 'get_weather' } });
  });

  it('refuses what Converse cannot take, in the OpenAI 400 sense', () => {
    const user = [{ role: 'user' as const, content: 'Hi' }];
    expect(refusal(() => B.request({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }] }] }, 'm')).message).toContain('data: URL');
    expect(refusal(() => B.request({ model: 'm', messages: user, n: 2 }, 'm')).message).toContain('n = 2');
    expect(refusal(() => B.request({ model: 'm', messages: user, presence_penalty: 0.5 }, 'm')).message).toContain('presence_penalty');
    expect(refusal(() => B.request({ model: 'm', messages: user, response_format: { type: 'json_object' } }, 'm')).message).toContain('response_format');
    expect(refusal(() => B.request({ model: 'm', messages: user, tools: [weatherTool], tool_choice: 'none' }, 'm')).message).toContain('"none"');
    expect(refusal(() => B.request({ model: 'm', messages: [{ role: 'system', content: 'only system' }] }, 'm')).message).toContain('no user or assistant');
    expect(refusal(() => B.request({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }, 'm')).message).toContain('input_audio');
  });
});

describe('bedrock-converse: answer', () => {
  const answer = (content: unknown[], stopReason: string) => ({
    output: { message: { role: 'assistant', content } },
    stopReason,
    usage: { inputTokens: 30, outputTokens: 7, totalTokens: 37 },
    metrics: { latencyMs: 100 },
  });

  it('translates text, tool calls, stop reasons and usage', () => {
    const text = B.response(answer([{ text: 'Hello ' }, { text: 'there' }], 'end_turn'), 'chat');
    expect(text).toMatchObject({ object: 'chat.completion', model: 'chat', choices: [{ message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }], usage: { prompt_tokens: 30, completion_tokens: 7, total_tokens: 37 } });
    const tool = B.response(answer([{ toolUse: { toolUseId: 'tooluse_9', name: 'get_weather', input: { location: 'Bern' } } }], 'tool_use'), 'chat');
    expect(tool.choices[0]!.message).toEqual({ role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'tooluse_9', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Bern"}' } }] });
    expect(tool.choices[0]!.finish_reason).toBe('tool_calls');
    const reasons = ['max_tokens', 'stop_sequence', 'guardrail_intervened', 'content_filtered'].map((r) => B.response(answer([{ text: 'x' }], r), 'chat').choices[0]!.finish_reason);
    expect(reasons).toEqual(['length', 'stop', 'content_filter', 'content_filter']);
    expect(B.usage(answer([], 'end_turn'))).toEqual({ inputTokens: 30, outputTokens: 7 });
    const cached = B.response({ ...answer([{ text: 'x' }], 'end_turn'), usage: { inputTokens: 5, outputTokens: 2, totalTokens: 107, cacheReadInputTokens: 100 } }, 'chat');
    expect(cached.usage).toEqual({ prompt_tokens: 105, completion_tokens: 2, total_tokens: 107, prompt_tokens_details: { cached_tokens: 100 } });
  });

  it('refuses an answer it cannot read', () => {
    expect(caughtSync(() => B.response({ message: 'oops' }, 'chat')).code).toBe('SIL_PROXY_UPSTREAM');
    expect(caughtSync(() => B.response('text', 'chat')).code).toBe('SIL_PROXY_UPSTREAM');
  });

  it('turns Bedrock errors into the OpenAI error shape', () => {
    expect(B.error(429, { message: 'Too many requests, please wait before trying again.' })).toEqual({ error: { message: 'Too many requests, please wait before trying again.', type: 'rate_limit_error', param: null, code: null } });
    expect(B.error(400, { message: 'bad', __type: 'com.amazon.bedrock#ValidationException' }).error).toMatchObject({ type: 'invalid_request_error', code: 'ValidationException' });
    expect(B.error(503, 'Service Unavailable').error).toMatchObject({ message: 'Service Unavailable', type: 'overloaded_error' });
    expect(B.error(500, '').error.message).toBe('the Bedrock service answered 500');
  });
});

describe('bedrock-converse: stream', () => {
  const streamed = (includeUsage = true) => B.stream({ model: 'm', messages: [], stream: true, stream_options: { include_usage: includeUsage } }, 'chat');
  const bytes = (frames: Buffer[]) => Buffer.concat(frames);

  it('translates text deltas, the stop reason and the usage (whole, and byte by byte)', () => {
    const frames = converseTextStream(['Hel', 'lo'], 'end_turn', { inputTokens: 9, outputTokens: 6 });
    for (const pieces of [[bytes(frames)], [...bytes(frames)].map((b) => Uint8Array.of(b))]) {
      const t = streamed();
      const a = assemble(feed(t, pieces));
      expect(a).toMatchObject({ role: 'assistant', content: 'Hello', finish: 'stop', done: true, usage: { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 } });
      expect(a.error).toBeUndefined();
      expect(t.usage()).toEqual({ inputTokens: 9, outputTokens: 6 });
    }
  });

  it('translates a streamed tool call', () => {
    const frames = [
      converseEvent('messageStart', { role: 'assistant' }),
      converseEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Checking.' } }),
      converseEvent('contentBlockStop', { contentBlockIndex: 0 }),
      converseEvent('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_7', name: 'get_weather' } } }),
      converseEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"location":' } } }),
      converseEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"Bern"}' } } }),
      converseEvent('contentBlockStop', { contentBlockIndex: 1 }),
      converseEvent('contentBlockStart', { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tooluse_8', name: 'now' } } }),
      converseEvent('contentBlockStop', { contentBlockIndex: 2 }),
      converseEvent('messageStop', { stopReason: 'tool_use' }),
      converseEvent('metadata', { usage: { inputTokens: 20, outputTokens: 15, totalTokens: 35 } }),
    ];
    const a = assemble(feed(streamed(false), [bytes(frames)]));
    expect(a).toMatchObject({ content: 'Checking.', finish: 'tool_calls', done: true });
    expect(a.usage).toBeUndefined();
    expect(a.toolCalls).toEqual([{ id: 'tooluse_7', name: 'get_weather', arguments: '{"location":"Bern"}' }, { id: 'tooluse_8', name: 'now', arguments: '{}' }]);
  });

  it('ends with an error frame on an exception, a cut stream or a bad CRC', () => {
    const start = converseTextStream(['Hel'], 'end_turn', { inputTokens: 1, outputTokens: 1 }).slice(0, 2);
    const thrown = assemble(feed(streamed(), [bytes([...start, converseException('throttlingException', 'Too many tokens, please wait.')])]));
    expect(thrown).toMatchObject({ content: 'Hel', finish: null, done: true, error: { message: 'Too many tokens, please wait.', type: 'rate_limit_error', code: 'ThrottlingException' } });
    expect(thrown.usage).toBeUndefined();
    const cut = assemble(feed(streamed(), [bytes(start)]));
    expect(cut).toMatchObject({ content: 'Hel', done: true, error: { code: 'SIL_PROXY_UPSTREAM', message: 'the Bedrock stream ended before messageStop' } });
    const corrupt = bytes(start);
    corrupt[corrupt.length - 1]! ^= 1;
    expect(assemble(feed(streamed(), [corrupt])).error).toMatchObject({ code: 'SIL_PROXY_UPSTREAM', message: expect.stringContaining('CRC') });
  });
});
