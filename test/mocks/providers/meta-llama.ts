// Mock of Meta's Llama API (https://api.llama.com), from its docs and SDK:
// - auth: `Authorization: Bearer <LLAMA_API_KEY>` on every endpoint (meta-llama/llama-api-python
//   src/llama_api_client/_client.py auth_headers; llama.developer.meta.com/docs/api-keys).
// - native API under /v1 (llama-api-python api.md): GET /v1/models (the health check),
//   POST /v1/chat/completions answering {id, completion_message: {role, content: {type, text},
//   stop_reason}, metrics: [{metric, value, unit}]} with num_completion_tokens,
//   num_prompt_tokens, num_total_tokens (types/create_chat_completion_response.py; the docs'
//   example lists them in that order — `metricsOrder` reorders them), POST /v1/moderations.
// - OpenAI-compatible API under /compat/v1 (llama.developer.meta.com/docs/features/compatibility):
//   chat completions with the OpenAI answer and `usage`.
// - rate limits (llama.developer.meta.com/docs/rate-limits): chat completion answers carry
//   x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-limit-requests,
//   x-ratelimit-remaining-requests; over the limit, HTTP 429 with a "too many requests" message.
// - error bodies are not documented (the SDK maps only the status: 401 AuthenticationError, 429
//   RateLimitError); the mock answers in the OpenAI shape {"error": {message, type, code}}.
import { startMockServer, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import {
  bearer, chatCompletion, completionTokens, jsonBody, modelList, newId, openAIError, promptTokens, replyTo, switches, textOf,
  type ChatRequest, type MockSwitches,
} from './h1-openai-wire.ts';

type MetricName = 'num_completion_tokens' | 'num_prompt_tokens' | 'num_total_tokens';
export interface MetaLlamaMockOptions {
  apiKey?: string;
  /** Order of the metrics[] items of a native answer (default: as the docs' example). */
  metricsOrder?: MetricName[];
}
export type MetaLlamaMock = ProviderMock & MockSwitches & { apiKey: string; setMetricsOrder(order: MetricName[]): void };

const MODELS = ['Llama-4-Maverick-17B-128E-Instruct-FP8', 'Llama-4-Scout-17B-16E-Instruct-FP8', 'Llama-3.3-70B-Instruct', 'Llama-3.3-8B-Instruct'];
const DOC_ORDER: MetricName[] = ['num_completion_tokens', 'num_prompt_tokens', 'num_total_tokens'];
const LIMIT_REQUESTS = 3000;
const LIMIT_TOKENS = 1000000;

export async function startMetaLlamaMock(opts: MetaLlamaMockOptions = {}): Promise<MetaLlamaMock> {
  const apiKey = opts.apiKey ?? 'LLM|1234567890|mockLlamaKey0123456789abcdef';
  const sw = switches();
  let order = opts.metricsOrder ?? DOC_ORDER;
  let requests = 0;
  let tokens = 0;

  const limitHeaders = (exhausted = false): Record<string, string> => ({
    'x-ratelimit-limit-tokens': String(LIMIT_TOKENS),
    'x-ratelimit-remaining-tokens': String(exhausted ? 0 : LIMIT_TOKENS - tokens),
    'x-ratelimit-limit-requests': String(LIMIT_REQUESTS),
    'x-ratelimit-remaining-requests': String(exhausted ? 0 : LIMIT_REQUESTS - requests),
  });

  const refuse = (r: ReceivedRequest, chat: boolean): MockAnswer | null => {
    if (bearer(r) !== apiKey || sw.revoked) return { status: 401, body: openAIError('Invalid API key. Check the key and try again.', 'authentication_error', 'invalid_api_key') };
    if (chat && sw.takeThrottle(r.path)) return { status: 429, headers: limitHeaders(true), body: openAIError('Too many requests: the team rate limit was exceeded.', 'rate_limit_error', 'rate_limit_exceeded') };
    return null;
  };

  const parse = (r: ReceivedRequest): { req: ChatRequest; text: string; prompt: number; completion: number } | MockAnswer => {
    const req = jsonBody<ChatRequest>(r);
    if (!req || !Array.isArray(req.messages)) return { status: 400, body: openAIError('messages: field required', 'invalid_request_error', 'invalid_request') };
    if (!req.model || !MODELS.includes(req.model)) return { status: 400, body: openAIError(`Model ${String(req.model)} is not supported`, 'invalid_request_error', 'model_not_found') };
    const text = replyTo(req.messages);
    const prompt = promptTokens(req.messages);
    const completion = completionTokens(text);
    requests++;
    tokens += prompt + completion;
    return { req, text, prompt, completion };
  };

  const native = (r: ReceivedRequest): MockAnswer => {
    const p = parse(r);
    if ('status' in p) return p;
    const values: Record<MetricName, number> = { num_completion_tokens: p.completion, num_prompt_tokens: p.prompt, num_total_tokens: p.prompt + p.completion };
    const metrics = order.map((metric) => ({ metric, value: values[metric], unit: 'tokens' }));
    sw.usage.push({ metrics });
    return {
      status: 200,
      headers: limitHeaders(),
      body: { id: newId('AhOrQw'), completion_message: { role: 'assistant', stop_reason: 'stop', content: { type: 'text', text: p.text } }, metrics },
    };
  };

  const compat = (r: ReceivedRequest): MockAnswer => {
    const p = parse(r);
    if ('status' in p) return p;
    const usage = { prompt_tokens: p.prompt, completion_tokens: p.completion, total_tokens: p.prompt + p.completion };
    sw.usage.push(usage);
    return { status: 200, headers: limitHeaders(), body: chatCompletion(p.req.model!, p.text, usage) };
  };

  const moderations = (r: ReceivedRequest): MockAnswer => {
    const req = jsonBody<{ messages?: { content?: unknown }[]; model?: string }>(r);
    if (!req || !Array.isArray(req.messages)) return { status: 400, body: openAIError('messages: field required', 'invalid_request_error', 'invalid_request') };
    const flagged = req.messages.some((m) => /\bhurt\b/i.test(textOf(m.content)));
    return { status: 200, body: { model: req.model ?? 'Llama-Guard-4-12B', results: [{ flagged, flagged_categories: flagged ? ['S1'] : [] }] } };
  };

  const server = await startMockServer((r) => {
    const chat = r.method === 'POST' && (r.path === '/v1/chat/completions' || r.path === '/compat/v1/chat/completions');
    const refused = refuse(r, chat);
    if (refused) return refused;
    if (r.method === 'GET' && (r.path === '/v1/models' || r.path === '/compat/v1/models')) return { status: 200, body: modelList(MODELS, 'Meta') };
    if (r.method === 'POST' && r.path === '/v1/chat/completions') return native(r);
    if (r.method === 'POST' && r.path === '/compat/v1/chat/completions') return compat(r);
    if (r.method === 'POST' && r.path === '/v1/moderations') return moderations(r);
    return { status: 404, body: openAIError(`No route ${r.method} ${r.path}`, 'invalid_request_error', 'not_found') };
  });
  return Object.assign(server, { apiKey, revoke: sw.revoke, restore: sw.restore, throttle: sw.throttle, usage: sw.usage, setMetricsOrder: (o: MetricName[]) => void (order = o) });
}
