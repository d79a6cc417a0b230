// providers/replicate.yaml against a Replicate mock (test/mocks/providers/replicate.ts): Bearer r8_
// auth, predictions of official models through the pass-through door (sync with `Prefer: wait`,
// async then polled through the `api` service), Replicate's problem-details errors and 429, the
// health check (GET /v1/account), and usage from metrics: predict_time seconds and the token
// counts of language models, priced at the catalog's per-token price.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startReplicateMock, type ReplicateMock } from '../../mocks/providers/replicate.ts';
import { expectCost, listPrice, priceOf, usageAfter, usageNow, expectHealthCheck } from '../../mocks/providers/h1-test-kit.ts';

const KEY = 'r8_ContractToken0123456789abcdefghijklmn';
const HUB_KEY = 'r8_HubToken0123456789abcdefghijklmnopqrs';
const LLAMA = 'meta/meta-llama-3-8b-instruct';
const FLUX = 'black-forest-labs/flux-schnell';
type Prediction = { id: string; model: string; status: string; output: unknown; metrics: { predict_time?: number; input_token_count?: number; output_token_count?: number; image_count?: number } };
const post = (input: Record<string, unknown>, wait = true): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...(wait ? { prefer: 'wait' } : {}) }, body: JSON.stringify({ input }) });

describe('replicate template', () => {
  let mock: ReplicateMock;
  let hub: TemplateHub;
  const origins = (m: ReplicateMock) => ({ 'https://api.replicate.com': m.url });

  beforeAll(async () => {
    mock = await startReplicateMock({ apiKey: HUB_KEY });
    hub = await startTemplateHub({
      template: 'replicate', origins: origins(mock), secret: { apiKey: HUB_KEY },
      bindings: { llama: { protocol: 'http', service: 'model-predictions', model: LLAMA }, flux: { protocol: 'http', service: 'model-predictions', model: FLUX }, replicate: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer r8_...; a wrong token is refused with 401 problem details "Unauthenticated"', async () => {
    const contract = await startReplicateMock({ apiKey: KEY });
    try {
      const req = await renderForTemplate({ template: 'replicate', service: 'model-predictions', model: FLUX, origins: origins(contract), secret: { apiKey: KEY }, method: 'POST', headers: { 'content-type': 'application/json', prefer: 'wait' }, body: JSON.stringify({ input: { prompt: 'a red fox' } }) });
      expect(req.url.href).toBe(`${contract.url}/v1/models/${FLUX}/predictions`);
      expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
      const ok = await sendRendered(req);
      expect(ok.status).toBe(201);
      expect(await ok.json()).toMatchObject({ model: FLUX, status: 'succeeded', metrics: { image_count: 1 } });

      const wrong = await sendRendered(await renderForTemplate({ template: 'replicate', origins: origins(contract), secret: { apiKey: 'r8_NotThisAccount0123456789abcdefghijklm' }, path: 'account' }));
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('content-type')).toBe('application/problem+json');
      expect(await wrong.json()).toEqual({ title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 });
    } finally {
      await contract.close();
    }
  });

  it('via proxy: POST /bind/llama with Prefer: wait reaches POST /v1/models/meta/meta-llama-3-8b-instruct/predictions and the caller gets the finished prediction', async () => {
    const res = await hub.door('/bind/llama', post({ prompt: 'Tell me about llamas' }));
    expect(res.status).toBe(201);
    const p = (await res.json()) as Prediction;
    expect(p).toMatchObject({ model: LLAMA, status: 'succeeded' });
    expect((p.output as string[]).join('')).toBe('You asked about Tell me about llamas');
    const seen = mock.received.findLast((r) => r.path.endsWith('/predictions'))!;
    expect(seen.path).toBe(`/v1/models/${LLAMA}/predictions`);
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
    expect(seen.headers.prefer).toBe('wait');
  });

  it('via proxy: without Prefer: wait the prediction starts, and GET /bind/replicate/predictions/{id} returns it finished', async () => {
    const res = await hub.door('/bind/flux', post({ prompt: 'a lighthouse at dusk', num_outputs: 2 }, false));
    expect(res.status).toBe(201);
    const started = (await res.json()) as Prediction;
    expect(started).toMatchObject({ status: 'starting', output: null, metrics: {} });
    const polled = await hub.door(`/bind/replicate/predictions/${started.id}`);
    expect(polled.status).toBe(200);
    expect(await polled.json()).toMatchObject({ id: started.id, status: 'succeeded', metrics: { image_count: 2 } });
    expect(mock.received.findLast((r) => r.method === 'GET' && r.path.startsWith('/v1/predictions/'))!.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
  });

  it('via proxy: Replicate\'s 422 input validation problem and a 429 {"detail": "Request was throttled..."} reach the caller', async () => {
    const invalid = await hub.door('/bind/llama', post({ max_tokens: 10 }));
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ title: 'Input validation failed', status: 422, invalid_fields: [{ field: 'input' }] });

    mock.throttle(1, '/v1/models/');
    const limited = await hub.door('/bind/llama', post({ prompt: 'again' }));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ detail: 'Request was throttled. Expected available in 1 second.' });
  });

  it('usage: a language model\'s predict_time seconds and input/output token counts are recorded as reported, priced at the catalog\'s per-token price; an image model\'s predict_time and images, priced per image', async () => {
    const before = usageNow(hub, 'llama');
    const n = mock.usage.length;
    for (const prompt of ['Write a haiku about GPUs', 'Why is the sky blue']) expect((await hub.door('/bind/llama', post({ prompt }))).status).toBe(201);
    const reported = mock.usage.slice(n) as Required<Prediction['metrics']>[];
    expect(reported).toHaveLength(2);
    const after = await usageAfter(hub, 'llama', before, 2);
    const sum = (f: (m: Required<Prediction['metrics']>) => number) => reported.reduce((a, m) => a + f(m), 0);
    expect(after.inputTokens - before.inputTokens).toBe(sum((m) => m.input_token_count));
    expect(after.outputTokens - before.outputTokens).toBe(sum((m) => m.output_token_count));
    expect(after.seconds - before.seconds).toBeCloseTo(sum((m) => m.predict_time), 9);
    const price = listPrice('replicate', 'model-predictions', LLAMA);
    expectCost(after.cost - before.cost, sum((m) => priceOf(price, { input: m.input_token_count, output: m.output_token_count })), 2);

    const f0 = usageNow(hub, 'flux');
    expect((await hub.door('/bind/flux', post({ prompt: 'a cat in a hat' }))).status).toBe(201);
    const flux = mock.usage.at(-1) as Required<Prediction['metrics']>;
    const f1 = await usageAfter(hub, 'flux', f0, 1);
    expect(f1.seconds - f0.seconds).toBeCloseTo(flux.predict_time, 9);
    // An image model is priced per image: metrics.image_count (usage.images) × perImage.
    expect(flux.image_count).toBeGreaterThan(0);
    expectCost(f1.cost - f0.cost, flux.image_count * listPrice('replicate', 'model-predictions', FLUX).perImage!, 2);
  });

  it('health check: GET /v1/account with the token is ok; a revoked token makes it fail', async () => {
    await expectHealthCheck(hub, mock, '/v1/account', { authorization: `Bearer ${HUB_KEY}` });
  });
});
