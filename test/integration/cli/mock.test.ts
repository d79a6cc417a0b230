// `sil mock openai` as a process: OpenAI-shaped answers over real HTTP on 127.0.0.1, a line per
// request, and Ctrl-C (SIGINT) stops it with status 0.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startMockCli, stopWith, type MockCli } from '../../helpers/mock-cli.ts';
import { sil } from '../../helpers/cli.ts';

describe('sil mock openai', () => {
  let mock: MockCli;
  beforeAll(async () => {
    mock = await startMockCli();
  });
  afterAll(async () => {
    if (mock) await stopWith(mock.child, 'SIGKILL');
  });
  const post = (path: string, body: unknown, key = 'sk-anything') =>
    fetch(`${mock.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('listens on 127.0.0.1 only', () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('answers chat completions as JSON and as an SSE stream with usage', async () => {
    const res = await post('/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello from the sil mock of OpenAI (gpt-4o). You said: Hi' } }], usage: { total_tokens: expect.any(Number) } });

    const stream = await post('/chat/completions', { model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await stream.text();
    expect(text).toMatch(/"usage":\{"prompt_tokens":\d+,"completion_tokens":\d+,"total_tokens":\d+\}\}\n\ndata: \[DONE\]\n\n$/);
  });

  it('answers embeddings and models, and refuses a request without a key', async () => {
    expect(await (await post('/embeddings', { model: 'text-embedding-3-small', input: 'x' })).json()).toMatchObject({ object: 'list', data: [{ object: 'embedding', index: 0 }] });
    const models = await fetch(`${mock.url}/models`, { headers: { authorization: 'Bearer k' } });
    expect(((await models.json()) as { data: { id: string }[] }).data[0].id).toBe('gpt-4o');
    const anonymous = await fetch(`${mock.url}/models`);
    expect(anonymous.status).toBe(401);
  });

  it('prints one line per request', async () => {
    await post('/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'line' }] });
    // Six requests so far; a line is written just after its answer, so wait for it a little.
    const lines = () => mock.stdout().split('\n').filter((l) => /^(GET|POST) /.test(l));
    const started = Date.now();
    while (lines().length < 6 && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 20));
    expect(lines()).toEqual([
      expect.stringMatching(/^POST \/v1\/chat\/completions 200 \d+ ms$/),
      expect.stringMatching(/^POST \/v1\/chat\/completions 200 \(stream\) \d+ ms$/),
      expect.stringMatching(/^POST \/v1\/embeddings 200 \d+ ms$/),
      expect.stringMatching(/^GET \/v1\/models 200 \d+ ms$/),
      expect.stringMatching(/^GET \/v1\/models 401 \d+ ms$/),
      expect.stringMatching(/^POST \/v1\/chat\/completions 200 \d+ ms$/),
    ]);
  });

  it('stops on Ctrl-C with status 0', async () => {
    const m = await startMockCli();
    expect(await stopWith(m.child, 'SIGINT')).toBe(0);
    expect(m.stderr()).toContain('sil mock: stopped');
  });

  it('explains usage errors', () => {
    expect(sil(['mock']).status).toBe(2);
    const r = sil(['mock', 'anthropic']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown mock "anthropic" \(there is one: openai\) \[SIL_USAGE\]/);
    expect(sil(['mock', 'openai', '--port', 'x']).stderr).toMatch(/invalid port "x"/);
  });
});
