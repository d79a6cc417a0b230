// providers/hugging-face.yaml against a Hugging Face mock serving both the Inference Providers
// router and the Hub API (test/mocks/providers/hugging-face.ts): Bearer hf_ auth on both hosts
// with X-HF-Bill-To, chat through the `/v1` door onto the router, the Hub API through the
// pass-through door with its RateLimit / RateLimit-Policy headers, the health check (whoami-v2)
// and the tokens recorded from the router's answers.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startHuggingFaceMock, type HuggingFaceMock } from '../../mocks/providers/hugging-face.ts';
import { json, rateLimitOf, usageAfter, usageNow, expectHealthCheck } from '../../mocks/providers/h1-test-kit.ts';

const KEY = 'hf_ContractTokenAbCdEfGhIjKlMnOpQrSt12';
const HUB_KEY = 'hf_HubTokenAbCdEfGhIjKlMnOpQrStUvWx3456';
const MODEL = 'meta-llama/Llama-3.3-70B-Instruct';

describe('hugging-face template', () => {
  let mock: HuggingFaceMock;
  let hub: TemplateHub;
  const origins = (m: HuggingFaceMock) => ({ 'https://router.huggingface.co': m.url, 'https://huggingface.co': m.url });

  beforeAll(async () => {
    mock = await startHuggingFaceMock({ apiKey: HUB_KEY, orgs: ['sil-org'] });
    hub = await startTemplateHub({
      template: 'hugging-face', origins: origins(mock), connection: { billTo: 'sil-org' }, secret: { apiKey: HUB_KEY },
      bindings: { chat: { protocol: 'openai-chat', model: MODEL }, hf: { protocol: 'http', service: 'hub' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer hf_... on the router and the Hub API; a wrong token is refused with 401 {"error": "Invalid credentials in Authorization header"}', async () => {
    const contract = await startHuggingFaceMock({ apiKey: KEY });
    try {
      const req = await renderForTemplate({ template: 'hugging-face', service: 'chat', origins: origins(contract), secret: { apiKey: KEY }, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `${MODEL}:together`, messages: [{ role: 'user', content: 'Hello HF' }] }) });
      expect(req.url.href).toBe(`${contract.url}/v1/chat/completions`);
      expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
      const ok = await sendRendered(req);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-inference-provider')).toBe('together');
      expect(await ok.json()).toMatchObject({ model: MODEL, choices: [{ message: { content: 'You said: Hello HF' } }] });

      const who = await sendRendered(await renderForTemplate({ template: 'hugging-face', service: 'hub', origins: origins(contract), secret: { apiKey: KEY }, path: 'whoami-v2' }));
      expect(who.status).toBe(200);
      expect(await who.json()).toMatchObject({ type: 'user', auth: { type: 'access_token', accessToken: { role: 'fineGrained' } } });

      for (const service of ['chat', 'hub']) {
        const wrong = await sendRendered(await renderForTemplate({ template: 'hugging-face', service, origins: origins(contract), secret: { apiKey: 'hf_NotThisUsersTokenAbCdEfGhIjKlMnOp' }, method: service === 'chat' ? 'POST' : 'GET', path: service === 'hub' ? 'whoami-v2' : undefined, body: service === 'chat' ? '{}' : undefined }));
        expect(wrong.status).toBe(401);
        expect(await wrong.json()).toEqual({ error: 'Invalid credentials in Authorization header' });
      }
    } finally {
      await contract.close();
    }
  });

  it('auth contract: connection billTo goes out as X-HF-Bill-To; an organization the user is not a member of is refused with 403', async () => {
    const ok = await sendRendered(await renderForTemplate({ template: 'hugging-face', service: 'chat', origins: origins(mock), connection: { billTo: 'sil-org' }, secret: { apiKey: HUB_KEY }, method: 'POST', body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'bill me' }] }) }));
    expect(ok.status).toBe(200);
    expect(mock.received.findLast((r) => r.path === '/v1/chat/completions')!.headers['x-hf-bill-to']).toBe('sil-org');
    const other = await sendRendered(await renderForTemplate({ template: 'hugging-face', service: 'chat', origins: origins(mock), connection: { billTo: 'someone-else' }, secret: { apiKey: HUB_KEY }, method: 'POST', body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'bill them' }] }) }));
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: string }).error).toMatch(/someone-else/);
  });

  it('via proxy: POST /v1/chat/completions (binding chat) reaches the router\'s POST /v1/chat/completions with the token and X-HF-Bill-To; a provider suffix in binding/model is kept', async () => {
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'Route me' }] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'chat.completion', model: MODEL, choices: [{ message: { content: 'You said: Route me' } }] });
    const seen = mock.received.findLast((r) => r.path === '/v1/chat/completions')!;
    expect(seen.headers).toMatchObject({ authorization: `Bearer ${HUB_KEY}`, 'x-hf-bill-to': 'sil-org' });

    const suffixed = await hub.door('/v1/chat/completions', json({ model: `chat/${MODEL}:nebius`, messages: [{ role: 'user', content: 'via nebius' }] }));
    expect(suffixed.status).toBe(200);
    expect(suffixed.headers.get('x-inference-provider')).toBe('nebius');
    expect(JSON.parse(mock.received.findLast((r) => r.path === '/v1/chat/completions')!.body.toString()).model).toBe(`${MODEL}:nebius`);
  });

  it('via proxy: GET /bind/hf/models?author=meta-llama reaches the Hub API\'s GET /api/models; its RateLimit headers reach the caller and read as the template\'s rateLimit says (a 429 too)', async () => {
    const res = await hub.door('/bind/hf/models?author=meta-llama&limit=5');
    expect(res.status).toBe(200);
    const models = (await res.json()) as { id: string }[];
    expect(models.map((m) => m.id)).toEqual(['meta-llama/Llama-3.3-70B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct']);
    const seen = mock.received.findLast((r) => r.path === '/api/models')!;
    expect(seen.url).toBe('/api/models?author=meta-llama&limit=5');
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
    const reading = rateLimitOf('hugging-face', res);
    expect(reading.limit).toBe(1000);
    expect(reading.remaining).toBe(Number(/r=(\d+)/.exec(res.headers.get('ratelimit')!)![1]));
    expect(reading.remaining).toBeLessThan(1000);

    mock.throttle(1, '/api/models');
    const limited = await hub.door('/bind/hf/models/Qwen/Qwen2.5-72B-Instruct');
    expect(limited.status).toBe(429);
    expect(rateLimitOf('hugging-face', limited)).toMatchObject({ remaining: 0, resetInMs: 120000, retryAfterMs: 120000 });
  });

  it('usage: prompt and completion tokens of the router\'s answers are recorded as reported (prices depend on the inference provider: no cost)', async () => {
    const before = usageNow(hub, 'chat');
    const n = mock.usage.length;
    for (const q of ['one', 'two words']) expect((await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: q }] }))).status).toBe(200);
    const reported = mock.usage.slice(n) as { prompt_tokens: number; completion_tokens: number }[];
    const after = await usageAfter(hub, 'chat', before, 2);
    expect(after.inputTokens - before.inputTokens).toBe(reported.reduce((a, u) => a + u.prompt_tokens, 0));
    expect(after.outputTokens - before.outputTokens).toBe(reported.reduce((a, u) => a + u.completion_tokens, 0));
    expect(after.cost - before.cost).toBe(0);
  });

  it('health check: GET https://huggingface.co/api/whoami-v2 with the token is ok; a revoked token makes it fail', async () => {
    await expectHealthCheck(hub, mock, '/api/whoami-v2', { authorization: `Bearer ${HUB_KEY}` });
  });
});
