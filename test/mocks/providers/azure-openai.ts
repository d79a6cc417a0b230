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
// - token endpoint (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
//   POST /{tenant}/oauth2/v2.0/token, form client_id, client_secret, scope (…/.default),
//   grant_type=client_credentials → {token_type: "Bearer", expires_in, ext_expires_in,
//   access_token}; errors {error, error_description "AADSTSnnn: ...", error_codes, timestamp,
//   trace_id, correlation_id, error_uri}: bad secret 401 invalid_client AADSTS7000215, unknown
//   client 400 unauthorized_client AADSTS700016, unknown tenant 400 invalid_request AADSTS90002,
//   scope without /.default 400 invalid_scope AADSTS1002012.
import { randomBytes, randomUUID } from 'node:crypto';
import { startMockServer, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
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

const SCOPE = 'https://cognitiveservices.azure.com/.default';
const LIMIT_REQUESTS = 1000;
const LIMIT_TOKENS = 150000;
const azureError = (code: string, message: string) => ({ error: { code, message } });
const filters = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } };

function entraError(status: number, error: string, code: number, text: string): MockAnswer {
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error, error_description: `AADSTS${code}: ${text} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [code], timestamp, trace_id: trace, correlation_id: correlation, error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

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

  const token = (r: ReceivedRequest, tenant: string): MockAnswer => {
    const form = new URLSearchParams(r.body.toString('utf8'));
    if (!/^application\/x-www-form-urlencoded\b/i.test(String(r.headers['content-type'] ?? ''))) return entraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    if (tenant !== tenantId) return entraError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    if (form.get('grant_type') !== 'client_credentials') return entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (form.get('client_id') !== clientId) return entraError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory '${tenant}'.`);
    if (form.get('client_secret') !== clientSecret || sw.revoked) return entraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default')) return entraError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    if (scope !== SCOPE) return entraError(400, 'invalid_resource', 500011, `The resource principal named ${scope.replace('/.default', '')} was not found in the tenant named ${tenant}.`);
    const access = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ aud: 'https://cognitiveservices.azure.com', tid: tenant, appid: clientId, n: ++issued })).toString('base64url')}.${randomBytes(24).toString('base64url')}`;
    live.add(access);
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: access } };
  };

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
    const t = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(r.path);
    if (t && r.method === 'POST') return token(r, decodeURIComponent(t[1]));
    return dataPlane(r);
  });
  return Object.assign(server, {
    apiKey, tenantId, clientId, clientSecret,
    revoke: sw.revoke, restore: sw.restore, throttle: sw.throttle, usage: sw.usage,
    tokensIssued: () => issued,
    expireTokens: () => live.clear(),
  });
}
