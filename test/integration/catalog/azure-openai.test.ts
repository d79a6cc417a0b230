// providers/azure-openai.yaml against an Azure OpenAI mock that also plays the Microsoft identity
// platform (test/mocks/providers/azure-openai.ts): the api-key header and the entra-id option
// (client credentials at login.microsoftonline.com/{tenant}/oauth2/v2.0/token, then Bearer), chat
// and embeddings through the `/v1` door onto deployments with ?api-version= and onto the v1 API
// without it, the 429 with retry-after, the health check, and tokens and cost.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startAzureOpenAIMock, type AzureOpenAIMock } from '../../mocks/providers/azure-openai.ts';
import { expectCost, json, listPrice, priceOf, rateLimitOf, sseData, usageAfter, usageNow } from '../../mocks/providers/h1-test-kit.ts';

const RESOURCE = 'sil-test-openai';
const KEY = 'ContractKey0123456789abcdef012345';
const HUB_KEY = 'HubKey0123456789abcdef0123456789';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const SECRET = 'mock~Client.Secret_9876543210';
const VERSION = '2024-10-21';
type Usage = { prompt_tokens: number; completion_tokens: number; prompt_tokens_details: { cached_tokens: number } };

describe('azure-openai template', () => {
  let mock: AzureOpenAIMock;
  let hub: TemplateHub;
  let entra: TemplateHub;
  const origins = (m: AzureOpenAIMock) => ({ [`https://${RESOURCE}.openai.azure.com`]: m.url, 'https://login.microsoftonline.com': m.url });
  const connection = { resourceName: RESOURCE, tenantId: TENANT };
  const bindings = {
    chat: { protocol: 'openai-chat', service: 'chat', model: 'gpt-4o' },
    chatv1: { protocol: 'openai-chat', service: 'chat-v1', model: 'gpt-4o' },
    embed: { protocol: 'openai-embeddings', model: 'text-embedding-3-small' },
  };

  beforeAll(async () => {
    mock = await startAzureOpenAIMock({ apiKey: HUB_KEY, tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });
    hub = await startTemplateHub({ template: 'azure-openai', origins: origins(mock), connection, secret: { apiKey: HUB_KEY }, bindings });
    entra = await startTemplateHub({ template: 'azure-openai', origins: origins(mock), connection, authOption: 'entra-id', secret: { clientId: CLIENT, clientSecret: SECRET }, bindings });
  });
  afterAll(async () => {
    await hub?.stop();
    await entra?.stop();
    await mock?.close();
  });

  it('auth contract: api-key: <key> on /openai/deployments/{deployment}/... with ?api-version=; a wrong key is refused with 401 "Access denied due to invalid subscription key..."', async () => {
    const contract = await startAzureOpenAIMock({ apiKey: KEY });
    try {
      const req = await renderForTemplate({ template: 'azure-openai', service: 'chat', model: 'gpt-4o', origins: origins(contract), connection, secret: { apiKey: KEY }, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi Azure' }] }) });
      expect(req.url.href).toBe(`${contract.url}/openai/deployments/gpt-4o/chat/completions?api-version=${VERSION}`);
      expect(req.headers['api-key']).toBe(KEY);
      expect(req.headers.Authorization).toBeUndefined();
      const ok = await sendRendered(req);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ model: 'gpt-4o', choices: [{ message: { content: 'You said: Hi Azure' }, content_filter_results: { hate: { filtered: false } } }] });

      const wrong = await sendRendered(await renderForTemplate({ template: 'azure-openai', origins: origins(contract), connection, secret: { apiKey: 'WrongKey00000000000000000000000000' }, path: 'models' }));
      expect(wrong.status).toBe(401);
      const err = (await wrong.json()) as { error: { code: string; message: string } };
      expect(err.error.code).toBe('401');
      expect(err.error.message).toMatch(/^Access denied due to invalid subscription key or wrong API endpoint\./);
    } finally {
      await contract.close();
    }
  });

  it('auth contract: option entra-id gets a client-credentials token for https://cognitiveservices.azure.com/.default from login.microsoftonline.com/{tenant} and sends it as Bearer; a wrong secret gets 401 invalid_client (AADSTS7000215) and a forged token is refused', async () => {
    const issued = mock.tokensIssued();
    const req = await renderForTemplate({ template: 'azure-openai', authOption: 'entra-id', service: 'embeddings', model: 'text-embedding-3-small', origins: origins(mock), connection, secret: { clientId: CLIENT, clientSecret: SECRET }, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: 'hello there' }) });
    expect(mock.tokensIssued()).toBe(issued + 1);
    const tokenCall = mock.received.findLast((r) => r.path.endsWith('/oauth2/v2.0/token'))!;
    expect(tokenCall.path).toBe(`/${TENANT}/oauth2/v2.0/token`);
    expect(Object.fromEntries(new URLSearchParams(tokenCall.body.toString()))).toEqual({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET, scope: 'https://cognitiveservices.azure.com/.default' });
    expect(req.headers.Authorization).toMatch(/^Bearer eyJ/);
    expect(req.headers['api-key']).toBeUndefined();
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: unknown[] }).data).toHaveLength(1);

    const forged = await sendRendered({ ...req, headers: { ...req.headers, Authorization: 'Bearer eyJforged.token.value' } });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { message: string } }).error.message).toMatch(/^Unauthorized\. Access token is missing, invalid, audience is incorrect/);

    await expect(renderForTemplate({ template: 'azure-openai', authOption: 'entra-id', origins: origins(mock), connection, secret: { clientId: CLIENT, clientSecret: 'not-the-secret' }, path: 'models' })).rejects.toThrow();
    const refused = mock.received.findLast((r) => r.path.endsWith('/oauth2/v2.0/token'))!;
    expect(new URLSearchParams(refused.body.toString()).get('client_secret')).toBe('not-the-secret');
    const direct = await fetch(`${mock.url}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: refused.body.toString() });
    expect(direct.status).toBe(401);
    expect(await direct.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });

  it('via proxy: POST /v1/chat/completions and /v1/embeddings reach /openai/deployments/{gpt-4o | text-embedding-3-small}/... ?api-version=2024-10-21 with api-key; binding chatv1 reaches /openai/v1/chat/completions without api-version', async () => {
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'Deployment call' }] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ choices: [{ message: { content: 'You said: Deployment call' } }], prompt_filter_results: [{ prompt_index: 0 }] });
    const seen = mock.received.findLast((r) => r.path === '/openai/deployments/gpt-4o/chat/completions')!;
    expect(seen.url).toBe(`/openai/deployments/gpt-4o/chat/completions?api-version=${VERSION}`);
    expect(seen.headers['api-key']).toBe(HUB_KEY);
    expect(res.headers.get('x-ratelimit-remaining-requests')).toMatch(/^\d+$/);

    const emb = await hub.door('/v1/embeddings', json({ model: 'embed', input: ['alpha beta'] }));
    expect(emb.status).toBe(200);
    expect(mock.received.findLast((r) => r.path.endsWith('/embeddings'))!.url).toBe(`/openai/deployments/text-embedding-3-small/embeddings?api-version=${VERSION}`);

    const v1 = await hub.door('/v1/chat/completions', json({ model: 'chatv1', messages: [{ role: 'user', content: 'v1 API' }] }));
    expect(v1.status).toBe(200);
    const v1seen = mock.received.findLast((r) => r.path === '/openai/v1/chat/completions')!;
    expect(v1seen.url).toBe('/openai/v1/chat/completions');
    expect(JSON.parse(v1seen.body.toString()).model).toBe('gpt-4o');
  });

  it('via proxy: with option entra-id the hub fetches one token, reuses it, and fetches a new one once the resource refuses it', async () => {
    const issued = mock.tokensIssued();
    for (let i = 0; i < 2; i++) {
      const res = await entra.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: `entra ${i}` }] }));
      expect(res.status).toBe(200);
    }
    const calls = mock.received.filter((r) => r.path === '/openai/deployments/gpt-4o/chat/completions').slice(-2);
    expect(calls.map((r) => r.headers['api-key'])).toEqual([undefined, undefined]);
    expect(calls[0].headers.authorization).toMatch(/^Bearer eyJ/);
    expect(calls[1].headers.authorization).toBe(calls[0].headers.authorization);
    expect(mock.tokensIssued()).toBeLessThanOrEqual(issued + 1);

    mock.expireTokens();
    const before = mock.tokensIssued();
    const res = await entra.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'after expiry' }] }));
    expect(res.status).toBe(200);
    expect(mock.tokensIssued()).toBe(before + 1);
  });

  it('via proxy: a 429 reaches the caller with retry-after, retry-after-ms and Azure\'s error object', async () => {
    mock.throttle(1, '/openai/deployments/gpt-4o/chat');
    const res = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('retry-after-ms')).toBe('1000');
    expect(rateLimitOf('azure-openai', res)).toMatchObject({ remaining: 0, retryAfterMs: 1000 });
    expect(res.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: '429', message: expect.stringContaining(`API version ${VERSION}`) });
  });

  it('usage: prompt, cached and completion tokens of plain and streamed (include_usage) answers are recorded as reported, priced at the catalog\'s gpt-4o prices', async () => {
    const before = usageNow(hub, 'chat');
    const n = mock.usage.length;
    const system = { role: 'system', content: 'Answer as a helpful Azure assistant would.' };
    const plain = await hub.door('/v1/chat/completions', json({ model: 'chat', messages: [system, { role: 'user', content: 'first' }] }));
    expect(plain.status).toBe(200);
    const streamed = await hub.door('/v1/chat/completions', json({ model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [system, { role: 'user', content: 'second one' }] }));
    const frames = sseData(await streamed.text());
    expect(frames.at(-1)).toBe('[DONE]');
    const reported = mock.usage.slice(n) as Usage[];
    expect(reported).toHaveLength(2);
    expect(reported[1].prompt_tokens_details.cached_tokens).toBeGreaterThan(0);
    const after = await usageAfter(hub, 'chat', before, 2);
    const sum = (f: (u: Usage) => number) => reported.reduce((a, u) => a + f(u), 0);
    expect(after.inputTokens - before.inputTokens).toBe(sum((u) => u.prompt_tokens));
    expect(after.cachedInputTokens - before.cachedInputTokens).toBe(sum((u) => u.prompt_tokens_details.cached_tokens));
    expect(after.outputTokens - before.outputTokens).toBe(sum((u) => u.completion_tokens));
    const price = listPrice('azure-openai', 'chat', 'gpt-4o');
    expectCost(after.cost - before.cost, sum((u) => priceOf(price, { input: u.prompt_tokens, cached: u.prompt_tokens_details.cached_tokens, output: u.completion_tokens })), 2);
  });

  it('health check: GET /openai/models?api-version= with api-key (and with an Entra ID token) is ok; a revoked key makes it fail', async () => {
    expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.findLast((r) => r.path === '/openai/models' && r.headers['api-key'] === HUB_KEY)!;
    expect(probe.url).toBe(`/openai/models?api-version=${VERSION}`);
    // Both hubs probe in the background too: the Entra ID hub's check is the one with a bearer token.
    const seen = mock.received.length;
    expect(await entra.healthProbe()).toMatchObject({ ok: true, status: 200 });
    const entraProbe = mock.received.slice(seen).find((r) => r.path === '/openai/models' && r.headers.authorization !== undefined);
    expect(entraProbe?.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(entraProbe?.headers['api-key']).toBeUndefined();

    mock.revoke();
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 401 });
    } finally {
      mock.restore();
    }
  });
});
