// The texts of the proxy's refusals: the unified door's one OpenAI `message` holds the error and
// the hint as two sentences; /bind/ answers the same two texts in sil's own error JSON.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';
import { MINIMAL } from '../../helpers/config-files.ts';

describe('proxy error texts', () => {
  let p: ProxyHub;
  beforeAll(async () => {
    p = await startProxyHub({ 'providers/openai-main.yaml': MINIMAL['providers/openai-main.yaml'], 'bindings/chat.yaml': MINIMAL['bindings/chat.yaml'] }, {});
  });
  afterAll(() => p?.stop());
  const auth = () => ({ authorization: `Bearer ${p.token}`, 'content-type': 'application/json' });

  it('unified door: the message, then "Hint:" and the hint, each a sentence', async () => {
    const res = await fetch(`${p.hub.url}/v1/chat/completions`, { method: 'POST', headers: auth(), body: '{"model": ' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string; type: string; code: string; param: null } };
    expect(error).toEqual({
      message: expect.stringMatching(/^The body is not valid JSON\. Hint: The unified API \(\/v1\/\.\.\.\) takes the OpenAI request format, .*\.$/),
      type: 'invalid_request_error',
      code: 'SIL_PROXY_BAD_REQUEST',
      param: null,
    });
  });

  it('/bind/ answers the same message and hint in their own fields', async () => {
    const unified = await fetch(`${p.hub.url}/v1/chat/completions`, { method: 'POST', headers: auth(), body: JSON.stringify({ model: 'nope', messages: [] }) });
    const bind = await fetch(`${p.hub.url}/bind/nope/models`, { headers: auth() });
    expect([unified.status, bind.status]).toEqual([404, 404]);
    const u = ((await unified.json()) as { error: { message: string } }).error;
    const b = ((await bind.json()) as { error: { code: string; message: string; hint: string } }).error;
    expect(b).toEqual({ code: 'SIL_PROXY_UNKNOWN_BINDING', message: 'no binding "nope"', hint: 'GET /v1/models lists the bindings this client may use' });
    expect(u.message).toBe('No binding "nope". Hint: GET /v1/models lists the bindings this client may use.');
  });
});
