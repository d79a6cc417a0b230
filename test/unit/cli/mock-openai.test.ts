import { describe, it, expect } from 'vitest';
import { answerMock, estimateTokens, mockEmbedding, type MockRequest } from '../../../server/cli/mock-openai.ts';

/** `authorization: null` sends none. */
const req = (method: string, path: string, body: unknown = '', authorization: string | null = 'Bearer anything'): MockRequest =>
  ({ method, path, authorization: authorization ?? undefined, body: typeof body === 'string' ? body : JSON.stringify(body) });

const HELLO = { model: 'gpt-4o', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }] };

describe('answerMock (the answers of sil mock openai)', () => {
  it('requires a Bearer key, any key', () => {
    for (const auth of [null, '', 'Basic dXNlcg==', 'Bearer ']) {
      expect(answerMock(req('POST', '/v1/chat/completions', HELLO, auth)), String(auth)).toMatchObject({ status: 401, json: { error: { type: 'invalid_request_error', code: 'invalid_api_key' } } });
    }
    expect(answerMock(req('POST', '/v1/chat/completions', HELLO, 'Bearer sk-x')).status).toBe(200);
  });

  it('answers a chat completion quoting the last user message, with usage', () => {
    const a = answerMock(req('POST', '/v1/chat/completions', HELLO), 'chatcmpl-1') as { status: number; json: any };
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the sil mock of OpenAI (gpt-4o). You said: Hello' }, finish_reason: 'stop' }],
    });
    const content = a.json.choices[0].message.content as string;
    expect(a.json.usage).toEqual({ prompt_tokens: estimateTokens('Be brief.\nHello'), completion_tokens: estimateTokens(content), total_tokens: estimateTokens('Be brief.\nHello') + estimateTokens(content) });
  });

  it('reads content given as parts', () => {
    const a = answerMock(req('POST', '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'parts' }] }] })) as { json: any };
    expect(a.json.choices[0].message.content).toMatch(/You said: parts$/);
  });

  it('streams as OpenAI does: role chunk, deltas, finish, usage chunk only when asked, [DONE]', () => {
    const plain = answerMock(req('POST', '/v1/chat/completions', { ...HELLO, stream: true }), 'c') as { events: string[] };
    expect(plain.events.at(-1)).toBe('data: [DONE]\n\n');
    const chunks = plain.events.slice(0, -1).map((e) => {
      expect(e).toMatch(/^data: \{.*\}\n\n$/);
      return JSON.parse(e.slice(6));
    });
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from the sil mock of OpenAI (gpt-4o). You said: Hello');
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
    expect(chunks.some((c) => 'usage' in c)).toBe(false);

    const withUsage = answerMock(req('POST', '/v1/chat/completions', { ...HELLO, stream: true, stream_options: { include_usage: true } })) as { events: string[] };
    const last = JSON.parse(withUsage.events.at(-2)!.slice(6));
    expect(last).toMatchObject({ object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) } });
  });

  it('answers embeddings: one deterministic unit vector per input, with usage', () => {
    const a = answerMock(req('POST', '/v1/embeddings', { model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 4 })) as { json: any };
    expect(a.json).toMatchObject({ object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: 2, total_tokens: 2 } });
    expect(a.json.data.map((d: any) => [d.index, d.embedding.length])).toEqual([[0, 4], [1, 4]]);
    expect(a.json.data[0].embedding).toEqual(mockEmbedding('a', 4));
    expect(a.json.data[0].embedding).not.toEqual(a.json.data[1].embedding);
    expect(Math.hypot(...mockEmbedding('x', 16))).toBeCloseTo(1, 4);
    expect((answerMock(req('POST', '/v1/embeddings', { model: 'm', input: 'one' })) as { json: any }).json.data[0].embedding).toHaveLength(8);
  });

  it('lists its models', () => {
    const a = answerMock(req('GET', '/v1/models')) as { json: any };
    expect(a.json.data.map((m: any) => m.id)).toEqual(['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small']);
  });

  it('refuses what it does not serve, OpenAI-shaped', () => {
    expect(answerMock(req('POST', '/v1/chat/completions', '{"model":'))).toMatchObject({ status: 400, json: { error: { message: 'the body is not a JSON object' } } });
    expect(answerMock(req('POST', '/v1/chat/completions', { messages: [] }))).toMatchObject({ status: 400 });
    expect(answerMock(req('POST', '/v1/chat/completions', { model: 'm', messages: [] }))).toMatchObject({ status: 400 });
    expect(answerMock(req('POST', '/v1/embeddings', { model: 'm', input: [1, 2] }))).toMatchObject({ status: 400 });
    expect(answerMock(req('GET', '/v1/chat/completions'))).toMatchObject({ status: 404, json: { error: { code: 'unknown_url' } } });
    expect(answerMock(req('POST', '/v1/images/generations', {}))).toMatchObject({ status: 404 });
  });
});
