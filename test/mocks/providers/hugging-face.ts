// Mock of Hugging Face: the Inference Providers router (https://router.huggingface.co/v1) and the
// Hub API (https://huggingface.co/api), one server (their paths do not overlap):
// - auth: `Authorization: Bearer hf_...` (huggingface.co/docs/hub/security-tokens); a bad token is
//   401 {"error": "Invalid credentials in Authorization header"} (the Hub's answer, as seen in
//   huggingface_hub issue #3368); a fine-grained token without the "Make calls to Inference
//   Providers" permission (inference.serverless.write) is refused by the router with 403.
//   X-HF-Bill-To: <org> bills an organization the user belongs to
//   (huggingface.co/docs/inference-providers/pricing#billing-for-team-and-enterprise-organizations).
// - router (huggingface.co/docs/inference-providers/index): OpenAI-compatible POST
//   /v1/chat/completions (model = Hub repo id, optionally `:provider`) with `usage`, GET /v1/models.
// - Hub API (huggingface.co/docs/hub/api): GET /api/whoami-v2 (the health check, n8n's credential
//   test), GET /api/models?author=&limit=, GET /api/models/{repo_id}.
// - rate limits (huggingface.co/docs/hub/rate-limits): Hub API answers carry the IETF draft
//   headers `RateLimit: "api";r=<remaining>;t=<seconds to reset>` and
//   `RateLimit-Policy: "fixed window";"api";q=<limit>;w=300`; over the limit 429.
import { startMockServer, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import { bearer, chatCompletion, completionTokens, jsonBody, newId, promptTokens, replyTo, switches, type ChatRequest, type MockSwitches } from './h1-openai-wire.ts';

export interface HuggingFaceMockOptions {
  apiKey?: string;
  user?: string;
  orgs?: string[];
  /** The token may call Inference Providers (default true). */
  inference?: boolean;
}
export type HuggingFaceMock = ProviderMock & MockSwitches & { apiKey: string; user: string };

const MODELS: Record<string, { providers: string[]; pipeline: string }> = {
  'meta-llama/Llama-3.3-70B-Instruct': { providers: ['together', 'nebius', 'hf-inference'], pipeline: 'text-generation' },
  'meta-llama/Llama-3.1-8B-Instruct': { providers: ['together', 'novita'], pipeline: 'text-generation' },
  'deepseek-ai/DeepSeek-R1': { providers: ['together', 'fireworks-ai'], pipeline: 'text-generation' },
  'Qwen/Qwen2.5-72B-Instruct': { providers: ['nebius'], pipeline: 'text-generation' },
};
const HUB_LIMIT = 1000;
const hfError = (error: string) => ({ error });

export async function startHuggingFaceMock(opts: HuggingFaceMockOptions = {}): Promise<HuggingFaceMock> {
  const apiKey = opts.apiKey ?? `hf_${'MockTokenAbCdEfGhIjKlMnOpQrStUv'}1234`;
  const user = opts.user ?? 'sil-tester';
  const orgs = opts.orgs ?? ['sil-org'];
  const inference = opts.inference ?? true;
  const sw = switches();
  let hubCalls = 0;

  const rateHeaders = (exhausted = false): Record<string, string> => ({
    ratelimit: `"api";r=${exhausted ? 0 : HUB_LIMIT - hubCalls};t=${exhausted ? 120 : 300}`,
    'ratelimit-policy': `"fixed window";"api";q=${HUB_LIMIT};w=300`,
  });

  const refuse = (r: ReceivedRequest, hub: boolean): MockAnswer | null => {
    if (bearer(r) !== apiKey || sw.revoked) return { status: 401, body: hfError('Invalid credentials in Authorization header') };
    if (sw.takeThrottle(r.path)) {
      const head = hub ? { ...rateHeaders(true), 'retry-after': '120' } : { 'retry-after': '120' };
      return { status: 429, headers: head, body: hfError(hub ? 'You have exceeded our hourly quotas for action: api. We invite you to retry later.' : 'Rate limit reached. You reached free usage limit (reset hourly). Please subscribe to a plan at https://huggingface.co/pricing to use the API at this rate') };
    }
    return null;
  };

  const chat = (r: ReceivedRequest): MockAnswer => {
    if (!inference) return { status: 403, body: hfError(`This authentication method does not have sufficient permissions to call Inference Providers on behalf of user ${user}`) };
    const billTo = r.headers['x-hf-bill-to'];
    if (billTo !== undefined && !orgs.includes(String(billTo))) return { status: 403, body: hfError(`You are not a member of the organization ${String(billTo)}, or it does not allow billing through X-HF-Bill-To`) };
    const req = jsonBody<ChatRequest>(r);
    if (!req || !Array.isArray(req.messages)) return { status: 422, body: hfError('Failed to deserialize the JSON body into the target type: missing field `messages`') };
    const [repo, provider] = String(req.model ?? '').split(':');
    const known = MODELS[repo];
    if (!known || (provider && !known.providers.includes(provider))) return { status: 400, body: hfError(`The requested model '${String(req.model)}' is not supported by any provider you have enabled.`) };
    const text = replyTo(req.messages);
    const prompt = promptTokens(req.messages);
    const completion = completionTokens(text);
    const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
    sw.usage.push(usage);
    return { status: 200, headers: { 'x-inference-provider': provider || known.providers[0] }, body: chatCompletion(repo, text, usage) };
  };

  const whoami = () => ({
    type: 'user', id: '6565f0c0ffee0123456789ab', name: user, fullname: 'Sil Tester', email: `${user}@example.com`, emailVerified: true,
    canPay: true, isPro: false, periodEnd: null, avatarUrl: '/avatars/mock.svg',
    orgs: orgs.map((name) => ({ type: 'org', name, fullname: name, roleInOrg: 'admin', canPay: true, isEnterprise: true })),
    auth: { type: 'access_token', accessToken: { displayName: 'sil', role: 'fineGrained', createdAt: '2025-01-01T00:00:00.000Z', fineGrained: { canReadGatedRepos: true, global: inference ? ['inference.serverless.write'] : [], scoped: [] } } },
  });

  const modelInfo = (id: string) => ({ _id: newId(''), id, modelId: id, author: id.split('/')[0], pipeline_tag: MODELS[id].pipeline, likes: 1000, downloads: 50000, private: false, gated: 'manual', tags: ['transformers', 'safetensors'] });

  const hub = (r: ReceivedRequest): MockAnswer => {
    hubCalls++;
    const ok = (body: unknown): MockAnswer => ({ status: 200, headers: rateHeaders(), body });
    if (r.method === 'GET' && r.path === '/api/whoami-v2') return ok(whoami());
    if (r.method === 'GET' && r.path === '/api/models') {
      const author = r.query.get('author');
      const limit = Math.min(Number(r.query.get('limit') ?? 100) || 100, 1000);
      return ok(Object.keys(MODELS).filter((id) => !author || id.startsWith(`${author}/`)).slice(0, limit).map(modelInfo));
    }
    const m = /^\/api\/models\/([^/]+\/[^/]+)$/.exec(r.path);
    if (r.method === 'GET' && m) {
      const id = decodeURIComponent(m[1]);
      return MODELS[id] ? ok(modelInfo(id)) : { status: 404, headers: { ...rateHeaders(), 'x-error-code': 'RepoNotFound' }, body: hfError('Repository not found') };
    }
    return { status: 404, headers: rateHeaders(), body: hfError('Sorry, we can\'t find the page you are looking for.') };
  };

  const server = await startMockServer((r) => {
    const isHub = r.path.startsWith('/api/');
    const refused = refuse(r, isHub);
    if (refused) return refused;
    if (isHub) return hub(r);
    if (r.method === 'POST' && r.path === '/v1/chat/completions') return chat(r);
    if (r.method === 'GET' && r.path === '/v1/models') {
      return { status: 200, body: { object: 'list', data: Object.entries(MODELS).map(([id, m]) => ({ id, object: 'model', created: 1733000000, owned_by: id.split('/')[0], providers: m.providers.map((provider) => ({ provider, status: 'live' })) })) } };
    }
    return { status: 404, body: hfError('Not Found') };
  });
  return Object.assign(server, { apiKey, user, revoke: sw.revoke, restore: sw.restore, throttle: sw.throttle, usage: sw.usage });
}
