// Mock of the DeepSeek API (https://api.deepseek.com, OpenAI-compatible; `/v1` is an alias), from
// api-docs.deepseek.com:
// - auth: `Authorization: Bearer <key>` (api/create-chat-completion); error codes
//   (quick_start/error_codes): 401 "Authentication Fails" (wrong key), 402 Insufficient Balance,
//   429 "Rate Limit Reached", 503 Server Overloaded, in the OpenAI error shape
//   {"error": {"message", "type", "param", "code"}} — 401 as type authentication_error.
// - rate limits (quick_start/rate_limit): no rate-limit headers; under load the connection stays
//   open and the API sends empty lines (plain requests) or `: keep-alive` SSE comments (streams)
//   before the answer — the mock does so when started with `busy: true`.
// - GET /models (the health check), POST /chat/completions (usage with prompt_cache_hit_tokens /
//   prompt_cache_miss_tokens, guides/kv_cache: a repeated prefix — here a system prompt seen
//   before — is a cache hit), GET /user/balance (api/get-user-balance).
import { startMockServer, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import {
  bearer, chatChunks, chatCompletion, completionTokens, jsonBody, modelList, openAIError, promptTokens, replyTo,
  switches, systemKey, systemTokens, type ChatRequest, type MockSwitches,
} from './h1-openai-wire.ts';

export interface DeepSeekMockOptions {
  apiKey?: string;
  /** Answer as DeepSeek does under load: blank lines / keep-alive comments first. */
  busy?: boolean;
  /** Balance in USD; 0 makes chat answer 402 Insufficient Balance. */
  balance?: number;
}
export type DeepSeekMock = ProviderMock & MockSwitches & { apiKey: string; setBusy(busy: boolean): void };

const MODELS = ['deepseek-chat', 'deepseek-reasoner'];

export async function startDeepSeekMock(opts: DeepSeekMockOptions = {}): Promise<DeepSeekMock> {
  const apiKey = opts.apiKey ?? `sk-${'0123456789abcdef'.repeat(2)}`;
  const sw = switches();
  const cache = new Set<string>();
  let busy = opts.busy ?? false;
  const balance = opts.balance ?? 25;

  const refuse = (r: ReceivedRequest): MockAnswer | null => {
    const key = bearer(r);
    if (key !== apiKey || sw.revoked) {
      const shown = key ? `****${key.slice(-4)}` : '';
      return { status: 401, body: openAIError(`Authentication Fails, Your api key: ${shown} is invalid`, 'authentication_error', 'invalid_request_error') };
    }
    if (sw.takeThrottle(r.path)) return { status: 429, body: openAIError('Rate Limit Reached', 'rate_limit_reached_error', 'rate_limit_reached') };
    return null;
  };

  const chat = (r: ReceivedRequest): MockAnswer => {
    const req = jsonBody<ChatRequest>(r);
    if (!req || !Array.isArray(req.messages)) return { status: 400, body: openAIError('Failed to deserialize the JSON body into the target type: missing field `messages`', 'invalid_request_error', 'invalid_request_error') };
    if (!req.model || !MODELS.includes(req.model)) return { status: 400, body: openAIError('Model Not Exist', 'invalid_request_error', 'invalid_request_error') };
    if (balance <= 0) return { status: 402, body: openAIError('Insufficient Balance', 'unknown_error', 'invalid_request_error') };
    const text = replyTo(req.messages);
    const key = systemKey(req.messages);
    const prompt = promptTokens(req.messages);
    const hit = key && cache.has(key) ? systemTokens(req.messages) : 0;
    if (key) cache.add(key);
    const completion = completionTokens(text);
    const reasoning = req.model === 'deepseek-reasoner' ? 3 : 0;
    const usage = {
      prompt_tokens: prompt, completion_tokens: completion + reasoning, total_tokens: prompt + completion + reasoning,
      prompt_tokens_details: { cached_tokens: hit },
      prompt_cache_hit_tokens: hit, prompt_cache_miss_tokens: prompt - hit,
      ...(reasoning ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
    };
    if (req.stream) {
      const withUsage = req.stream_options?.include_usage === true;
      if (withUsage) sw.usage.push(usage);
      const frames = chatChunks(req.model, text, withUsage ? usage : null);
      return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, chunks: busy ? [': keep-alive\n\n', ': keep-alive\n\n', ...frames] : frames };
    }
    sw.usage.push(usage);
    const answer = chatCompletion(req.model, text, usage);
    if (reasoning) (answer.choices as { message: Record<string, unknown> }[])[0].message.reasoning_content = 'Thinking it over.';
    // Under load: the status and headers go at once, then blank lines until the answer is ready.
    if (busy) return { status: 200, headers: { 'content-type': 'application/json' }, chunks: ['\n', '\n\n', JSON.stringify(answer)] };
    return { status: 200, body: answer };
  };

  const server = await startMockServer((r) => {
    const refused = refuse(r);
    if (refused) return refused;
    const path = r.path.startsWith('/v1/') ? r.path.slice(3) : r.path;
    if (r.method === 'GET' && path === '/models') return { status: 200, body: modelList(MODELS, 'deepseek') };
    if (r.method === 'POST' && path === '/chat/completions') return chat(r);
    if (r.method === 'GET' && path === '/user/balance') {
      const total = balance.toFixed(2);
      return { status: 200, body: { is_available: balance > 0, balance_infos: [{ currency: 'USD', total_balance: total, granted_balance: '0.00', topped_up_balance: total }] } };
    }
    return { status: 404, body: openAIError('Not Found', 'invalid_request_error', 'invalid_request_error') };
  });
  return Object.assign(server, { apiKey, revoke: sw.revoke, restore: sw.restore, throttle: sw.throttle, usage: sw.usage, setBusy: (b: boolean) => void (busy = b) });
}
