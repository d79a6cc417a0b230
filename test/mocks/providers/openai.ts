// Mock of the OpenAI API (https://api.openai.com/v1), from the API reference and its guides:
// - auth: `Authorization: Bearer <key>` (platform.openai.com/docs/api-reference/authentication);
//   OpenAI-Organization / OpenAI-Project must match the key's when sent. A missing key is 401
//   "You didn't provide an API key...", a wrong one 401 code invalid_api_key ("Incorrect API key
//   provided: sk-...abcd"), both type invalid_request_error (error shape {"error": {message, type,
//   param, code}}); a mismatched organization 401 code mismatched_organization.
// - rate limits (platform.openai.com/docs/guides/rate-limits): every answer carries
//   x-ratelimit-limit-/remaining-/reset-requests and -tokens (reset as a duration: "1s", "6m0s");
//   a 429 has code rate_limit_exceeded, type "requests", and retry-after.
// - GET /v1/models (the health check), POST /v1/chat/completions (plain, and streamed with
//   stream_options.include_usage), POST /v1/embeddings; usage.prompt_tokens_details.cached_tokens
//   counts the prompt prefix served from the prompt cache (here: a system prompt seen before).
import { startMockServer, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import {
  bearer, chatChunks, chatCompletion, completionTokens, embeddingList, jsonBody, modelList, openAIError, promptTokens, replyTo,
  switches, systemKey, systemTokens, type ChatRequest, type MockSwitches,
} from './h1-openai-wire.ts';

export interface OpenAIMockOptions {
  apiKey?: string;
  organization?: string;
  project?: string;
  models?: string[];
}
export type OpenAIMock = ProviderMock & MockSwitches & { apiKey: string };

const CHAT_MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4-turbo', 'gpt-4', 'gpt-3.5-turbo'];
const EMBEDDING_MODELS = ['text-embedding-3-small', 'text-embedding-3-large'];
const LIMIT_REQUESTS = 5000;
const LIMIT_TOKENS = 800000;

const maskKey = (k: string) => `${k.slice(0, 3)}${'*'.repeat(Math.max(0, k.length - 7))}${k.slice(-4)}`;

export async function startOpenAIMock(opts: OpenAIMockOptions = {}): Promise<OpenAIMock> {
  const apiKey = opts.apiKey ?? `sk-proj-${'A1b2C3d4'.repeat(4)}`;
  const models = opts.models ?? [...CHAT_MODELS, ...EMBEDDING_MODELS];
  const sw = switches();
  const cachedPrompts = new Set<string>();
  let requests = 0;
  let tokens = 0;

  const limitHeaders = (exhausted = false): Record<string, string> => ({
    'x-ratelimit-limit-requests': String(LIMIT_REQUESTS),
    'x-ratelimit-limit-tokens': String(LIMIT_TOKENS),
    'x-ratelimit-remaining-requests': String(exhausted ? 0 : Math.max(0, LIMIT_REQUESTS - requests)),
    'x-ratelimit-remaining-tokens': String(Math.max(0, LIMIT_TOKENS - tokens)),
    'x-ratelimit-reset-requests': `${12 * requests}ms`,
    'x-ratelimit-reset-tokens': `${Math.floor(tokens / 60)}m${tokens % 60}s`,
    'x-request-id': `req_${Date.now().toString(16)}${requests}`,
    'openai-processing-ms': '42',
  });

  const refuse = (r: ReceivedRequest): MockAnswer | null => {
    const key = bearer(r);
    if (!key) return { status: 401, body: openAIError("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.", 'invalid_request_error', null) };
    if (key !== apiKey || sw.revoked) return { status: 401, body: openAIError(`Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key') };
    const org = r.headers['openai-organization'];
    if (org !== undefined && org !== opts.organization) return { status: 401, body: openAIError('OpenAI-Organization header should match organization for API key', 'invalid_request_error', 'mismatched_organization') };
    const project = r.headers['openai-project'];
    if (project !== undefined && project !== opts.project) return { status: 401, body: openAIError('OpenAI-Project header should match project for API key', 'invalid_request_error', 'mismatched_project') };
    if (sw.takeThrottle(r.path)) {
      return {
        status: 429,
        headers: { ...limitHeaders(true), 'retry-after': '1' },
        body: openAIError(`Rate limit reached for requests in organization ${opts.organization ?? 'org-mock'} on requests per min (RPM): Limit ${LIMIT_REQUESTS}, Used ${LIMIT_REQUESTS}, Requested 1. Please try again in 12ms. Visit https://platform.openai.com/account/rate-limits to learn more.`, 'requests', 'rate_limit_exceeded'),
      };
    }
    return null;
  };

  const unknownModel = (m: unknown): MockAnswer => ({ status: 404, body: openAIError(`The model \`${String(m)}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found') });

  const chat = (r: ReceivedRequest): MockAnswer => {
    const req = jsonBody<ChatRequest>(r);
    if (!req || !Array.isArray(req.messages)) return { status: 400, body: openAIError("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages') };
    if (!req.model || !models.includes(req.model) || !CHAT_MODELS.includes(req.model)) return unknownModel(req.model);
    const text = replyTo(req.messages);
    const key = systemKey(req.messages);
    const cached = key && cachedPrompts.has(key) ? systemTokens(req.messages) : 0;
    if (key) cachedPrompts.add(key);
    const prompt = promptTokens(req.messages);
    const completion = completionTokens(text);
    const usage = {
      prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    tokens += prompt + completion;
    if (req.stream) {
      const withUsage = req.stream_options?.include_usage === true;
      if (withUsage) sw.usage.push(usage);
      return { status: 200, headers: { ...limitHeaders(), 'content-type': 'text/event-stream; charset=utf-8' }, chunks: chatChunks(req.model, text, withUsage ? usage : null) };
    }
    sw.usage.push(usage);
    return { status: 200, headers: limitHeaders(), body: chatCompletion(req.model, text, usage, { service_tier: 'default' }) };
  };

  const embeddings = (r: ReceivedRequest): MockAnswer => {
    const req = jsonBody<{ model?: string; input?: unknown }>(r);
    if (!req || req.input === undefined) return { status: 400, body: openAIError("Missing required parameter: 'input'.", 'invalid_request_error', 'missing_required_parameter', 'input') };
    if (!req.model || !EMBEDDING_MODELS.includes(req.model)) return unknownModel(req.model);
    const { body, tokens: used } = embeddingList(req.model, req.input);
    tokens += used;
    sw.usage.push(body.usage as Record<string, unknown>);
    return { status: 200, headers: limitHeaders(), body };
  };

  const server = await startMockServer((r) => {
    const refused = refuse(r);
    if (refused) return refused;
    requests++;
    if (r.method === 'GET' && r.path === '/v1/models') return { status: 200, headers: limitHeaders(), body: modelList(models, 'system') };
    if (r.method === 'POST' && r.path === '/v1/chat/completions') return chat(r);
    if (r.method === 'POST' && r.path === '/v1/embeddings') return embeddings(r);
    return { status: 404, body: openAIError(`Invalid URL (${r.method} ${r.path})`, 'invalid_request_error', null) };
  });
  return Object.assign(server, { apiKey, revoke: sw.revoke, restore: sw.restore, throttle: sw.throttle, usage: sw.usage });
}
