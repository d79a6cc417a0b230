import { describe, it, expect } from 'vitest';
import { cohereAdapter as C } from '../../../server/protocols/cohere.ts';
import { SilError } from '../../../server/errors.ts';
import type { OpenAIChatRequest } from '../../../server/protocols/types.ts';
import { assemble, feed, splits } from './stream-helpers.ts';
import { caughtSync } from '../../helpers/caught.ts';

const IMG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

function refusal(fn: () => unknown): SilError {
  const e = caughtSync(fn);
  expect(e.code).toBe('SIL_PROXY_BAD_REQUEST');
  return e;
}

describe('cohere-chat: request', () => {
  it('translates a multi-turn request with system, images, tools, tool calls and tool results', () => {
    const req: OpenAIChatRequest = {
      model: 'chat',
      messages: [
        { role: 'system', content: 'You are a weather assistant.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Zürich? And this picture?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${IMG}`, detail: 'low' } }] },
        { role: 'assistant', content: 'I will look it up.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Zürich"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
        { role: 'assistant', content: 'It is 21 °C.' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [weatherTool],
      temperature: 0.4,
      top_p: 0.9,
      top_k: 40,
      max_tokens: 300,
      stop: 'END',
      seed: 7,
      frequency_penalty: 0.2,
      stream: true,
    };
    expect(C.request(req, 'command-a-03-2025')).toEqual({
      model: 'command-a-03-2025',
      stream: true,
      messages: [
        { role: 'system', content: 'You are a weather assistant.' },
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Zürich? And this picture?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${IMG}`, detail: 'low' } }] },
        { role: 'assistant', tool_plan: 'I will look it up.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Zürich"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
        { role: 'assistant', content: 'It is 21 °C.' },
        { role: 'user', content: 'Thanks' },
      ],
      max_tokens: 300,
      temperature: 0.4,
      p: 0.9,
      k: 40,
      frequency_penalty: 0.2,
      seed: 7,
      stop_sequences: ['END'],
      tools: [{ type: 'function', function: weatherTool.function }],
    });
  });

  it('leaves out what was not asked, and maps tool_choice and response_format', () => {
    const base = { model: 'chat', messages: [{ role: 'user' as const, content: 'Hi' }] };
    expect(C.request({ ...base, top_p: 1, max_completion_tokens: 50 }, 'command-r')).toEqual({ model: 'command-r', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 50 });
    const other = { type: 'function' as const, function: { name: 'other' } };
    expect(C.request({ ...base, tools: [weatherTool, other], tool_choice: 'required' }, 'm')).toMatchObject({ tool_choice: 'REQUIRED', tools: [{}, { function: { name: 'other', parameters: { type: 'object', properties: {} } } }] });
    expect(C.request({ ...base, tools: [weatherTool], tool_choice: 'none' }, 'm')).toMatchObject({ tool_choice: 'NONE' });
    expect(C.request({ ...base, tools: [weatherTool], tool_choice: 'auto' }, 'm')).not.toHaveProperty('tool_choice');
    const named = C.request({ ...base, tools: [weatherTool, other], tool_choice: { type: 'function', function: { name: 'other' } } }, 'm') as { tools: unknown[]; tool_choice: string };
    expect(named.tool_choice).toBe('REQUIRED');
    expect(named.tools).toEqual([{ type: 'function', function: { name: 'other', parameters: { type: 'object', properties: {} } } }]);
    expect(C.request({ ...base, tools: [{ ...weatherTool, function: { ...weatherTool.function, strict: true } }] }, 'm')).toMatchObject({ strict_tools: true });
    expect(C.request({ ...base, response_format: { type: 'json_object' } }, 'm')).toMatchObject({ response_format: { type: 'json_object' } });
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(C.request({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } }, 'm')).toMatchObject({ response_format: { type: 'json_object', json_schema: schema } });
    expect(C.request({ ...base, response_format: { type: 'text' } }, 'm')).not.toHaveProperty('response_format');
  });

  it('refuses clearly what cannot be translated', () => {
    const base = { model: 'chat', messages: [{ role: 'user' as const, content: 'Hi' }] };
    expect(refusal(() => C.request({ ...base, n: 2 }, 'm')).message).toContain('cohere-chat');
    refusal(() => C.request({ ...base, logprobs: true }, 'm'));
    refusal(() => C.request({ model: 'chat', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }, 'm'));
    refusal(() => C.request({ model: 'chat', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] }] }, 'm'));
    refusal(() => C.request({ model: 'chat', messages: [{ role: 'system', content: 'only system' }] }, 'm'));
    refusal(() => C.request({ model: 'chat', messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{bad' } }] }] }, 'm'));
    refusal(() => C.request({ model: 'chat', messages: [{ role: 'tool', content: 'x' }] }, 'm'));
    refusal(() => C.request({ ...base, tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'missing' } } }, 'm'));
    refusal(() => C.request({ ...base, tool_choice: 'required' }, 'm'));
    refusal(() => C.request({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'x' } } }, 'm'));
    refusal(() => C.request({ ...base, seed: 1.5 }, 'm'));
    refusal(() => C.request({ ...base, top_k: -1 }, 'm'));
  });

  it('has one path for both modes and asks for SSE when streaming', () => {
    expect(C.path('command-r', false)).toBe('/v2/chat');
    expect(C.path('command-r', true)).toBe('/v2/chat');
    expect(C.headers(true)).toEqual({ 'content-type': 'application/json', accept: 'text/event-stream' });
    expect(C.headers(false).accept).toBe('application/json');
  });
});

const ANSWER = {
  id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
  finish_reason: 'COMPLETE',
  message: { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm' }, { type: 'text', text: 'Hello ' }, { type: 'text', text: 'there' }] },
  usage: { billed_units: { input_tokens: 5, output_tokens: 3 }, tokens: { input_tokens: 71, output_tokens: 3 } },
};

describe('cohere-chat: response', () => {
  it('turns text into an OpenAI chat completion, with the billed usage', () => {
    const out = C.response(ANSWER, 'command-a-03-2025');
    expect(out).toMatchObject({
      id: 'chatcmpl-c14c80c3-18eb-4519-9460-6c92edd8cfb4', object: 'chat.completion', model: 'command-a-03-2025',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
    expect(out.choices[0].message).not.toHaveProperty('tool_calls');
    expect(C.usage(ANSWER)).toEqual({ inputTokens: 5, outputTokens: 3 });
    expect(C.usage({ usage: { tokens: { input_tokens: 9, output_tokens: 2 } } })).toEqual({ inputTokens: 9, outputTokens: 2 });
    expect(C.usage('nope')).toEqual({});
  });

  it('turns tool calls into OpenAI tool_calls (the tool plan is not content)', () => {
    const out = C.response({
      id: 'r2', finish_reason: 'TOOL_CALL',
      message: { role: 'assistant', tool_plan: 'I will check the weather.', tool_calls: [{ id: 'get_weather_k3yh', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Bern"}' } }] },
      usage: { billed_units: { input_tokens: 30, output_tokens: 12 } },
    }, 'command-r');
    expect(out.choices[0]).toMatchObject({ message: { content: null, tool_calls: [{ id: 'get_weather_k3yh', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Bern"}' } }] }, finish_reason: 'tool_calls' });
  });

  it('maps finish reasons, and refuses a failed or unreadable answer (SIL_PROXY_UPSTREAM)', () => {
    const reason = (finish_reason: string) => C.response({ ...ANSWER, finish_reason }, 'm').choices[0].finish_reason;
    expect(reason('STOP_SEQUENCE')).toBe('stop');
    expect(reason('MAX_TOKENS')).toBe('length');
    expect(reason('TOOL_CALL')).toBe('tool_calls');
    expect(caughtSync(() => C.response({ ...ANSWER, finish_reason: 'ERROR' }, 'm')).code).toBe('SIL_PROXY_UPSTREAM');
    expect(caughtSync(() => C.response({ ...ANSWER, finish_reason: 'TIMEOUT' }, 'm')).code).toBe('SIL_PROXY_UPSTREAM');
    expect(caughtSync(() => C.response({ id: 'x' }, 'm')).code).toBe('SIL_PROXY_UPSTREAM');
    expect(caughtSync(() => C.response('text', 'm')).code).toBe('SIL_PROXY_UPSTREAM');
  });

  it('turns error answers into the OpenAI error shape', () => {
    expect(C.error(400, { id: 'e1', message: "invalid request: message must be at least 1 token long" })).toEqual({
      error: { message: 'invalid request: message must be at least 1 token long', type: 'invalid_request_error', param: null, code: 'invalid_request_error' },
    });
    expect(C.error(429, { message: "You are using a Trial key, which is limited to 10 API calls / minute." }).error.type).toBe('rate_limit_error');
    expect(C.error(401, { message: 'invalid api token' }).error.type).toBe('authentication_error');
    expect(C.error(503, 'upstream connect error').error).toMatchObject({ message: 'upstream connect error', type: 'service_unavailable' });
    expect(C.error(500, null).error.message).toBe('the Cohere service answered 500');
  });
});

const ev = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const TEXT_STREAM = [
  ev('message-start', { id: 'm-123', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } }),
  ev('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
  ev('content-delta', { index: 0, delta: { message: { content: { text: 'Grüezi' } } } }),
  ev('content-delta', { index: 0, delta: { message: { content: { text: ' 🐔' } } } }),
  ev('content-end', { index: 0 }),
  ev('message-end', { delta: { finish_reason: 'COMPLETE', usage: { billed_units: { input_tokens: 8, output_tokens: 4 }, tokens: { input_tokens: 60, output_tokens: 4 } } } }),
].join('');
const TOOL_STREAM = [
  ev('message-start', { id: 'm-456', delta: { message: { role: 'assistant' } } }),
  ev('tool-plan-delta', { delta: { message: { tool_plan: 'I will look up the weather.' } } }),
  ev('tool-call-start', { index: 0, delta: { message: { tool_calls: { id: 'get_weather_abc', type: 'function', function: { name: 'get_weather', arguments: '' } } } } }),
  ev('tool-call-delta', { index: 0, delta: { message: { tool_calls: { function: { arguments: '{"location":' } } } } }),
  ev('tool-call-delta', { index: 0, delta: { message: { tool_calls: { function: { arguments: '"Bern"}' } } } } }),
  ev('tool-call-end', { index: 0 }),
  ev('tool-call-start', { index: 1, delta: { message: { tool_calls: { id: 'now_1', type: 'function', function: { name: 'now', arguments: '' } } } } }),
  ev('tool-call-end', { index: 1 }),
  ev('message-end', { delta: { finish_reason: 'TOOL_CALL', usage: { billed_units: { input_tokens: 20, output_tokens: 15 } } } }),
].join('');

describe('cohere-chat: stream', () => {
  const usageReq: OpenAIChatRequest = { model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] };

  it.each([['whole', splits.whole], ['7 characters', splits.chars(7)], ['byte by byte', splits.bytes]])('translates a text stream split %s', (_, split) => {
    const t = C.stream(usageReq, 'command-a-03-2025');
    const out = assemble(feed(t, split(TEXT_STREAM)));
    expect(out).toMatchObject({ id: 'chatcmpl-m-123', role: 'assistant', content: 'Grüezi 🐔', finish: 'stop', usage: { prompt_tokens: 8, completion_tokens: 4, total_tokens: 12 }, done: true });
    expect(out.error).toBeUndefined();
    expect(t.usage()).toEqual({ inputTokens: 8, outputTokens: 4 });
  });

  it('translates tool calls (arguments in pieces, none at all) and sends no usage chunk unless asked', () => {
    const frames = feed(C.stream({ ...usageReq, stream_options: undefined }, 'command-r'), splits.chars(13)(TOOL_STREAM));
    const out = assemble(frames);
    expect(out.content).toBe('');
    expect(out.toolCalls).toEqual([{ id: 'get_weather_abc', name: 'get_weather', arguments: '{"location":"Bern"}' }, { id: 'now_1', name: 'now', arguments: '{}' }]);
    expect(out.finish).toBe('tool_calls');
    expect(out.usage).toBeUndefined();
    expect(frames.join('')).not.toContain('"usage"');
  });

  it('skips thinking content; MAX_TOKENS is length', () => {
    const stream = [
      ev('message-start', { id: 'm-7' }),
      ev('content-start', { index: 0, delta: { message: { content: { type: 'thinking', thinking: '' } } } }),
      ev('content-delta', { index: 0, delta: { message: { content: { thinking: 'let me think' } } } }),
      ev('content-end', { index: 0 }),
      ev('content-start', { index: 1, delta: { message: { content: { type: 'text', text: '' } } } }),
      ev('content-delta', { index: 1, delta: { message: { content: { text: 'Answer' } } } }),
      ev('citation-start', { index: 0, delta: { message: { citations: {} } } }),
      ev('message-end', { delta: { finish_reason: 'MAX_TOKENS', usage: { billed_units: { input_tokens: 1, output_tokens: 2 } } } }),
    ].join('');
    expect(assemble(feed(C.stream(usageReq, 'm'), [stream]))).toMatchObject({ content: 'Answer', finish: 'length', done: true });
  });

  it('reports a stream cut before message-end, an ERROR finish and a non-JSON event as error frames', () => {
    const cut = assemble(feed(C.stream(usageReq, 'm'), [TEXT_STREAM.split('event: message-end')[0]]));
    expect(cut).toMatchObject({ content: 'Grüezi 🐔', finish: null, done: true, error: { code: 'SIL_PROXY_UPSTREAM', message: 'the Cohere stream ended before message-end' } });
    expect(cut.usage).toBeUndefined();
    const failed = assemble(feed(C.stream(usageReq, 'm'), [TEXT_STREAM.split('event: message-end')[0], ev('message-end', { delta: { finish_reason: 'ERROR', error: 'internal failure' } })]));
    expect(failed.error).toMatchObject({ code: 'SIL_PROXY_UPSTREAM' });
    expect(failed.error!.message).toContain('internal failure');
    expect(failed.finish).toBeNull();
    const bad = assemble(feed(C.stream(usageReq, 'm'), ['data: {not json\n\n']));
    expect(bad.error).toMatchObject({ code: 'SIL_PROXY_UPSTREAM' });
    const t = C.stream(usageReq, 'm');
    feed(t, [TEXT_STREAM]);
    expect(t.end()).toEqual([]);
    expect(t.push(TEXT_STREAM)).toEqual([]);
  });
});
