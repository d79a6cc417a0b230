// Mock of an Azure OpenAI resource (https://{resource}.openai.azure.com/openai) and of the
// Microsoft identity platform's token endpoint (https://login.microsoftonline.com), one server:
// - data plane (learn.microsoft.com/azure/ai-services/openai/reference): `api-key: <key>` or
//   `Authorization: Bearer <Entra ID token>` for scope https://cognitiveservices.azure.com/.default
//   (.../openai/how-to/managed-identity); /openai/deployments/{deployment}/chat/completions and
//   /embeddings with ?api-version=YYYY-MM-DD[-preview] (missing: 404 "Resource not found");
//   GET /openai/models?api-version= (the health check); the v1 API /openai/v1/chat/completions
//   takes no api-version and the deployment as `model`. Errors: {"error": {"code", "message"}} —
//   a wrong key 401 code "401" "Access denied due to invalid subscription key or wrong API
//   endpoint...", a bad token 401 "Unauthorized. Access token is missing, invalid, audience is
//   incorrect (https://cognitiveservices.azure.com), or have expired.", an unknown deployment
//   404 DeploymentNotFound. Answers add prompt_filter_results / content_filter_results.
// - rate limits (learn.microsoft.com/azure/ai-services/openai/quotas-limits): answers carry
//   x-ratelimit-remaining-requests / -tokens; 429 adds retry-after and retry-after-ms.
// - token endpoint: Entra ID's, as test/mocks/providers/azure-entra.ts plays it (sources there).
import { randomUUID } from 'node:crypto';
import { startMockServer, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import { tokenEndpoint, tokenPathTenant } from './azure-entra.ts';
import { bearer, chatChunks, chatCompletion, completionTokens, embeddingList, jsonBody, promptTokens, replyTo, switches, systemKey, systemTokens, type ChatRequest, type MockSwitches } from './h1-openai-wire.ts';

export interface AzureOpenAIMockOptions {
  apiKey?: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Deployment name → model. */
  deployments?: Record<string, string>;
}
export type AzureOpenAIMock = ProviderMock & MockSwitches & {
  apiKey: string; tenantId: string; clientId: string; clientSecret: string;
  /** Access tokens issued so far. */
  tokensIssued(): number;
  /** Every issued access token stops working (as after expiry or a revoked grant). */
  expireTokens(): void;
};

const AUDIENCE = 'https://cognitiveservices.azure.com';
const LIMIT_REQUESTS = 1000;
const LIMIT_TOKENS = 150000;
const azureError = (code: string, message: string) => ({ error: { code, message } });
const filters = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } };

export async function startAzureOpenAIMock(opts: AzureOpenAIMockOptions = {}): Promise<AzureOpenAIMock> {
  const apiKey = opts.apiKey ?? '0123456789abcdef0123456789abcdef';
  const tenantId = opts.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const clientId = opts.clientId ?? '11111111-2222-3333-4444-555555555555';
  const clientSecret = opts.clientSecret ?? 'mock~Secret.Value_0123456789';
  const deployments = opts.deployments ?? { 'gpt-4o': 'gpt-4o', 'gpt-4o-mini': 'gpt-4o-mini', 'text-embedding-3-small': 'text-embedding-3-small' };
  const sw = switches();
  const live = new Set<string>();
  const cache = new Set<string>();
  let issued = 0;
  let requests = 0;
  let tokens = 0;

  const limitHeaders = (exhausted = false): Record<string, string> => ({
    'x-ratelimit-remaining-requests': String(exhausted ? 0 : LIMIT_REQUESTS - requests),
    'x-ratelimit-remaining-tokens': String(exhausted ? 0 : LIMIT_TOKENS - tokens),
    'apim-request-id': randomUUID(),
  });

  // Entra ID's token endpoint (azure-entra.ts, shared with the azure mock); only tokens for the
  // Cognitive Services audience open the data plane.
  const token = (r: ReceivedRequest): MockAnswer =>
    tokenEndpoint(r, { tenantId, clientId, clientSecret: sw.revoked ? `revoked:${clientSecret}` : clientSecret }, 3599, (access, claims) => {
      if (claims.aud.replace(/\/$/, '') !== AUDIENCE) return;
      issued++;
      live.add(access);
    });

  const refuse = (r: ReceivedRequest): MockAnswer | null => {
    const key = r.headers['api-key'];
    const tok = bearer(r);
    if (key !== undefined) {
      if (key !== apiKey || sw.revoked) return { status: 401, body: azureError('401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.') };
    } else if (tok === undefined || !live.has(tok)) {
      return { status: 401, body: azureError('401', 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.') };
    }
    if (sw.takeThrottle(r.path)) {
      return {
        status: 429,
        headers: { ...limitHeaders(true), 'retry-after': '1', 'retry-after-ms': '1000' },
        body: azureError('429', `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${r.query.get('api-version') ?? 'v1'} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`),
      };
    }
    return null;
  };

  const chat = (r: ReceivedRequest, model: string): MockAnswer => {
    const req = jsonBody<ChatRequest>(r);
    if (!req || !Array.isArray(req.messages)) return { status: 400, body: azureError('BadRequest', "'messages' is a required property") };
    const text = replyTo(req.messages);
    const key = systemKey(req.messages);
    const cached = key && cache.has(key) ? systemTokens(req.messages) : 0;
    if (key) cache.add(key);
    const prompt = promptTokens(req.messages);
    const completion = completionTokens(text);
    tokens += prompt + completion;
    const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } };
    if (req.stream) {
      const withUsage = req.stream_options?.include_usage === true;
      if (withUsage) sw.usage.push(usage);
      return { status: 200, headers: limitHeaders(), chunks: chatChunks(model, text, withUsage ? usage : null) };
    }
    sw.usage.push(usage);
    const answer = chatCompletion(model, text, usage, { prompt_filter_results: [{ prompt_index: 0, content_filter_results: filters }] });
    (answer.choices as Record<string, unknown>[])[0].content_filter_results = filters;
    return { status: 200, headers: limitHeaders(), body: answer };
  };

  const dataPlane = (r: ReceivedRequest): MockAnswer => {
    const refused = refuse(r);
    if (refused) return refused;
    requests++;
    if (r.path.startsWith('/openai/v1/')) {
      if (r.method === 'GET' && r.path === '/openai/v1/models') return { status: 200, headers: limitHeaders(), body: { object: 'list', data: Object.values(deployments).map((id) => ({ id, object: 'model', created: 1715367049, owned_by: 'system' })) } };
      const dep = jsonBody<{ model?: string }>(r)?.model ?? '';
      if (r.method === 'POST' && r.path === '/openai/v1/chat/completions') return deployments[dep] ? chat(r, deployments[dep]) : { status: 404, body: azureError('DeploymentNotFound', 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.') };
      return { status: 404, body: azureError('404', 'Resource not found') };
    }
    if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(r.query.get('api-version') ?? '')) return { status: 404, body: azureError('404', 'Resource not found') };
    if (r.method === 'GET' && r.path === '/openai/models') {
      return { status: 200, headers: limitHeaders(), body: { object: 'list', data: Object.values(deployments).map((id) => ({ id, object: 'model', status: 'succeeded', lifecycle_status: 'generally-available', capabilities: { chat_completion: !id.startsWith('text-embedding'), embeddings: id.startsWith('text-embedding') }, created_at: 1715367049 })) } };
    }
    const m = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(r.path);
    if (!m || r.method !== 'POST') return { status: 404, body: azureError('404', 'Resource not found') };
    const model = deployments[decodeURIComponent(m[1])];
    if (!model) return { status: 404, body: azureError('DeploymentNotFound', 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.') };
    if (m[2] === 'chat/completions') return chat(r, model);
    const { body, tokens: used } = embeddingList(model, jsonBody<{ input?: unknown }>(r)?.input ?? '');
    tokens += used;
    sw.usage.push(body.usage as Record<string, unknown>);
    return { status: 200, headers: limitHeaders(), body };
  };

  const server = await startMockServer((r) => {
    if (tokenPathTenant(r.path) !== undefined) return token(r);
    return dataPlane(r);
  });
  return Object.assign(server, {
    apiKey, tenantId, clientId, clientSecret,
    revoke: sw.revoke, restore: sw.restore, throttle: sw.throttle, usage: sw.usage,
    tokensIssued: () => issued,
    expireTokens: () => live.clear(),
  });
}
