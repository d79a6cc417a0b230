import { describe, it, expect } from 'vitest';
import { geminiAdapter as G } from '../../../server/protocols/gemini.ts';
import { SilError } from '../../../server/errors.ts';
import type { OpenAIChatRequest } from '../../../server/protocols/types.ts';
import { assemble, feed, parseFrames, splits } from './stream-helpers.ts';
import { caughtSync } from '../../helpers/caught.ts';

const IMG = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U';
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'], additionalProperties: false },
  },
};

function refusal(fn: () => unknown): SilError {
  const e = caughtSync(fn);
  expect(e.code).toBe('SIL_PROXY_BAD_REQUEST');
  return e;
}

describe('gemini-generate-content: request', () => {
  it('translates a multi-turn request with system, images, tools, tool calls and tool results', () => {
    const req: OpenAIChatRequest = {
      model: 'chat',
      messages: [
        { role: 'system', content: 'You are a weather assistant.' },
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Where was this taken, and what is the weather in Zürich and Bern?' },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${IMG}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/photos/lake.PNG?size=large' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Zürich"}' }, extra_content: { google: { thought_signature: 'CiQBcsjafE2' } } },
            { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Bern"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '{"temp":21,"sky":"clear"}' },
        { role: 'tool', tool_call_id: 'call_b', content: '19 degrees, cloudy' },
        { role: 'assistant', content: 'Zürich: 21°, clear. Bern: 19°, cloudy.' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_tokens: 512,
      temperature: 1.3,
      top_p: 0.95,
      stop: ['END', 'STOP'],
      seed: 7,
      presence_penalty: 0.5,
      stream: true,
    };
    expect(G.request(req, 'gemini-2.5-flash')).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'Where was this taken, and what is the weather in Zürich and Bern?' },
            { inlineData: { mimeType: 'image/jpeg', data: IMG } },
            { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/photos/lake.PNG?size=large' } },
          ],
        },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'get_weather', args: { location: 'Zürich' } }, thoughtSignature: 'CiQBcsjafE2' },
            { functionCall: { name: 'get_weather', args: { location: 'Bern' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { temp: 21, sky: 'clear' } } },
            { functionResponse: { name: 'get_weather', response: { output: '19 degrees, cloudy' } } },
          ],
        },
        { role: 'model', parts: [{ text: 'Zürich: 21°, clear. Bern: 19°, cloudy.' }] },
        { role: 'user', parts: [{ text: 'And tomorrow?' }] },
      ],
      systemInstruction: { parts: [{ text: 'You are a weather assistant.' }, { text: 'Be brief.' }] },
      tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Current weather for a city', parametersJsonSchema: weatherTool.function.parameters }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
      generationConfig: { temperature: 1.3, topP: 0.95, maxOutputTokens: 512, stopSequences: ['END', 'STOP'], presencePenalty: 0.5, seed: 7 },
    });
  });

  it('keeps a minimal request minimal and maps tool_choice and response_format', () => {
    const hi = { model: 'x', messages: [{ role: 'user' as const, content: 'Hi' }] };
    expect(G.request(hi, 'gemini-2.5-flash')).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
    const tools = { ...hi, tools: [weatherTool] };
    expect(G.request({ ...tools, tool_choice: 'none' }, 'm')).toMatchObject({ toolConfig: { functionCallingConfig: { mode: 'NONE' } } });
    expect(G.request({ ...tools, tool_choice: 'auto' }, 'm')).toMatchObject({ toolConfig: { functionCallingConfig: { mode: 'AUTO' } } });
    expect(G.request({ ...tools, tool_choice: 'required' }, 'm')).toMatchObject({ toolConfig: { functionCallingConfig: { mode: 'ANY' } } });
    expect(G.request({ ...hi, response_format: { type: 'json_object' } }, 'm')).toMatchObject({ generationConfig: { responseMimeType: 'application/json' } });
    const schema = { type: 'object', properties: { city: { type: 'string' } } };
    expect(G.request({ ...hi, response_format: { type: 'json_schema', json_schema: { name: 'city', schema } } }, 'm')).toMatchObject({ generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema } });
    expect(G.request({ ...hi, max_completion_tokens: 64, n: 1 }, 'm')).toMatchObject({ generationConfig: { maxOutputTokens: 64 } });
    const audio = G.request({ model: 'x', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'UklGR', format: 'wav' } }] }] }, 'm');
    expect(audio).toEqual({ contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'audio/wav', data: 'UklGR' } }] }] });
  });

  it('refuses clearly what cannot be translated', () => {
    const msgs = [{ role: 'user' as const, content: 'Hi' }];
    expect(refusal(() => G.request({ model: 'x', messages: msgs, n: 3 }, 'm')).message).toMatch(/n = 3/);
    expect(refusal(() => G.request({ model: 'x', messages: msgs, logprobs: true, top_logprobs: 2 }, 'm')).message).toMatch(/logprobs/);
    expect(refusal(() => G.request({ model: 'x', messages: [...msgs, { role: 'tool', tool_call_id: 'call_zz', content: '1' }] }, 'm')).message).toMatch(/call_zz.*name/);
    expect(refusal(() => G.request({ model: 'x', messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] }, 'm')).message).toMatch(/file_data/);
    expect(refusal(() => G.request({ model: 'x', messages: [{ role: 'system', content: 'only a system prompt' }] }, 'm')).message).toMatch(/no user or assistant/);
    expect(refusal(() => G.request({ model: 'x', messages: [{ role: 'function', content: 'x' } as never] }, 'm')).message).toMatch(/legacy "function" role/);
  });

  it('puts the model and the mode in the path', () => {
    expect(G.path('gemini-2.5-flash', false)).toBe('/models/gemini-2.5-flash:generateContent');
    expect(G.path('models/gemini-2.5-pro', true)).toBe('/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
    expect(G.path('evil/../${secret.apiKey}', false)).toBe('/models/evil%2F..%2F%24%7Bsecret.apiKey%7D:generateContent');
  });
});

describe('gemini-generate-content: response', () => {
  const answer = {
    candidates: [{ content: { parts: [{ text: 'Let me think…', thought: true }, { text: 'The capital of France ' }, { text: 'is Paris.' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 8, totalTokenCount: 45, cachedContentTokenCount: 4, thoughtsTokenCount: 25, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }] },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'mAitaLmkHPPlz7IPvtfUqQ4',
  };

  it('turns the first candidate into an OpenAI chat completion with usage', () => {
    expect(G.response(answer, 'gemini-2.5-flash')).toEqual({
      id: 'chatcmpl-mAitaLmkHPPlz7IPvtfUqQ4',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gemini-2.5-flash',
      choices: [{ index: 0, message: { role: 'assistant', content: 'The capital of France is Paris.', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 12, completion_tokens: 33, total_tokens: 45, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 25 } },
    });
    expect(G.usage(answer)).toEqual({ inputTokens: 12, outputTokens: 33, cachedInputTokens: 4 });
  });

  it('turns function calls into tool calls, keeping Gemini ids and thought signatures', () => {
    const out = G.response({
      candidates: [{
        content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { location: 'Zürich' } }, thoughtSignature: 'CiQBcsjafE2' }, { functionCall: { id: 'fc-7', name: 'now' } }] },
        finishReason: 'STOP',
        index: 0,
      }],
      usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 12, totalTokenCount: 52 },
    }, 'm');
    const msg = out.choices[0].message;
    expect(out.choices[0].finish_reason).toBe('tool_calls');
    expect(msg.content).toBeNull();
    expect(msg.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{24}$/), type: 'function', function: { name: 'get_weather', arguments: '{"location":"Zürich"}' }, extra_content: { google: { thought_signature: 'CiQBcsjafE2' } } },
      { id: 'fc-7', type: 'function', function: { name: 'now', arguments: '{}' } },
    ]);
    expect(out.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    expect(out.usage).toEqual({ prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 });
  });

  it('maps finish reasons, and a blocked prompt to content_filter', () => {
    const finish = (finishReason: string) => G.response({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }] }, 'm').choices[0].finish_reason;
    expect(finish('STOP')).toBe('stop');
    expect(finish('MAX_TOKENS')).toBe('length');
    expect(finish('SAFETY')).toBe('content_filter');
    expect(finish('RECITATION')).toBe('content_filter');
    expect(finish('PROHIBITED_CONTENT')).toBe('content_filter');
    expect(finish('OTHER')).toBe('stop');
    const blocked = G.response({ promptFeedback: { blockReason: 'SAFETY', safetyRatings: [] }, usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } }, 'm');
    expect(blocked.choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: '' } });
  });

  it('refuses an answer it cannot read, and translates error answers', () => {
    for (const bad of [null, {}, { error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT' } }]) {
      expect(() => G.response(bad, 'm')).toThrow(expect.objectContaining({ code: 'SIL_PROXY_UPSTREAM' }));
    }
    expect(G.error(429, { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } })).toEqual({
      error: { message: 'Resource has been exhausted (e.g. check quota).', type: 'rate_limit_error', param: null, code: 'RESOURCE_EXHAUSTED' },
    });
    expect(G.error(400, [{ error: { code: 400, message: 'Invalid JSON payload', status: 'INVALID_ARGUMENT' } }]).error).toMatchObject({ type: 'invalid_request_error', code: 'INVALID_ARGUMENT' });
    expect(G.error(503, '').error).toMatchObject({ type: 'api_error', message: 'the Gemini service answered 503' });
  });
});

// Recorded-shape SSE of streamGenerateContent?alt=sse: CRLF separated, usage in every chunk.
const sse = (chunks: unknown[]) => chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join('');
const usage = (candidates?: number) => ({ promptTokenCount: 9, ...(candidates ? { candidatesTokenCount: candidates, thoughtsTokenCount: 19 } : {}), totalTokenCount: 9 + (candidates ? candidates + 19 : 0), cachedContentTokenCount: 2 });
const TEXT_STREAM = sse([
  { candidates: [{ content: { parts: [{ text: 'Why' }], role: 'model' }, index: 0 }], usageMetadata: usage(), modelVersion: 'gemini-2.5-flash', responseId: 'x3RkaO2dLqe' },
  { candidates: [{ content: { parts: [{ text: ' did the chicken' }], role: 'model' }, index: 0 }], usageMetadata: usage(), modelVersion: 'gemini-2.5-flash', responseId: 'x3RkaO2dLqe' },
  { candidates: [{ content: { parts: [{ text: ' cross the road? 🐔' }], role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata: usage(12), modelVersion: 'gemini-2.5-flash', responseId: 'x3RkaO2dLqe' },
]);
const TOOL_STREAM = sse([
  { candidates: [{ content: { parts: [{ functionCall: { name: 'get_weather', args: { location: 'Zürich' } }, thoughtSignature: 'CiQBcsjafE2' }, { functionCall: { name: 'get_weather', args: { location: 'Bern' } } }], role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 60, candidatesTokenCount: 30, totalTokenCount: 90 }, responseId: 'r2' },
]);

const streamReq = (includeUsage: boolean): OpenAIChatRequest => ({ model: 'chat', messages: [{ role: 'user', content: 'Joke?' }], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });

describe('gemini-generate-content: stream', () => {
  it.each([
    ['in one piece', splits.whole(TEXT_STREAM)],
    ['in 5-character pieces', splits.chars(5)(TEXT_STREAM)],
    ['byte by byte', splits.bytes(TEXT_STREAM)],
    ['split between CR and LF', TEXT_STREAM.split(/(?<=\r)/)],
  ])('translates text chunks fed %s, and keeps the usage', (_, pieces) => {
    const t = G.stream(streamReq(true), 'gemini-2.5-flash');
    expect(assemble(feed(t, pieces))).toEqual({
      id: 'chatcmpl-x3RkaO2dLqe',
      role: 'assistant',
      content: 'Why did the chicken cross the road? 🐔',
      toolCalls: [],
      finish: 'stop',
      usage: { prompt_tokens: 9, completion_tokens: 31, total_tokens: 40, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 19 } },
      done: true,
    });
    expect(t.usage()).toEqual({ inputTokens: 9, outputTokens: 31, cachedInputTokens: 2 });
  });

  it('sends function calls whole, with ids and thought signatures, and finishes with tool_calls', () => {
    const t = G.stream(streamReq(false), 'm');
    const frames = feed(t, splits.chars(13)(TOOL_STREAM));
    const out = assemble(frames);
    expect(out).toMatchObject({ id: 'chatcmpl-r2', finish: 'tool_calls', done: true, content: '' });
    expect(out.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '{"location":"Zürich"}', extra: { google: { thought_signature: 'CiQBcsjafE2' } } },
      { id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '{"location":"Bern"}' },
    ]);
    expect(frames.join('')).not.toContain('"usage"');
    expect(t.usage()).toEqual({ inputTokens: 60, outputTokens: 30 });
  });

  it('reads usage from a chunk after the finish chunk', () => {
    const stream = sse([
      { candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 }], responseId: 'r3' },
      { usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 }, responseId: 'r3' },
    ]);
    const t = G.stream(streamReq(true), 'm');
    expect(assemble(feed(t, [stream]))).toMatchObject({ content: 'Hi', finish: 'length', usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });
  });

  it('turns an error chunk into an OpenAI error frame and stops', () => {
    const stream = TEXT_STREAM.split('\r\n\r\n')[0] + '\r\n\r\n'
      + 'data: {"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}}\r\n\r\n'
      + TEXT_STREAM.split('\r\n\r\n')[2] + '\r\n\r\n';
    const t = G.stream(streamReq(true), 'm');
    const frames = feed(t, splits.bytes(stream));
    expect(assemble(frames)).toMatchObject({ content: 'Why', finish: null, error: { message: 'The model is overloaded. Please try again later.', type: 'api_error', code: 'UNAVAILABLE' }, done: true });
    expect(parseFrames(frames).filter((f) => f !== '[DONE]' && !('error' in f) && f.choices.length === 0)).toEqual([]);
    expect(t.usage()).toEqual({ inputTokens: 9, cachedInputTokens: 2 });
  });

  it('reports a stream that ends without a finishReason; a blocked prompt finishes with content_filter', () => {
    const cut = TEXT_STREAM.split('\r\n\r\n').slice(0, 2).join('\r\n\r\n');
    expect(assemble(feed(G.stream(streamReq(true), 'm'), [cut]))).toMatchObject({ content: 'Why did the chicken', error: { code: 'SIL_PROXY_UPSTREAM', message: expect.stringMatching(/finishReason/) }, done: true });
    const blocked = sse([{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 } }]);
    expect(assemble(feed(G.stream(streamReq(true), 'm'), [blocked]))).toMatchObject({ finish: 'content_filter', usage: { prompt_tokens: 7 }, done: true });
  });
});
