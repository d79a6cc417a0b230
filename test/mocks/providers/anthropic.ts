// Anthropic API mock on 127.0.0.1 (api.anthropic.com). Auth as documented: `x-api-key: <key>` plus
// the required `anthropic-version` header (docs.anthropic.com/en/api/overview, /en/api/versioning);
// the Admin API (/v1/organizations/...) takes an Admin key (sk-ant-admin...) the same way
// (/en/api/administration-api, /en/api/usage-cost-api); the OpenAI SDK compatibility layer
// (/v1/chat/completions, /en/api/openai-sdk) takes the key as `Authorization: Bearer` and keeps
// OpenAI's error format. Errors (/en/api/errors): `{"type":"error","error":{"type","message"}}`
// with 400 invalid_request_error, 401 authentication_error, 404 not_found_error, 429
// rate_limit_error. Rate limits (/en/api/rate-limits): anthropic-ratelimit-{requests,tokens,
// input-tokens,output-tokens}-{limit,remaining,reset} (reset RFC 3339) on answers, retry-after
// on 429. Usage: message `usage` {input_tokens, output_tokens, cache_read_input_tokens,
// cache_creation_input_tokens}; input_tokens excludes the cache reads and writes.
import { randomUUID } from 'node:crypto';
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';

export const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicUsage { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number }

export interface AnthropicMock extends ProviderMock {
  apiKey: string;
  adminKey: string;
  /** What the next Messages answers report (mutable). */
  usage: AnthropicUsage;
  /** Refuse both keys from now on (revoked in the Console). */
  revoke(on?: boolean): void;
  /** The next request whose path starts with `path` answers 429 rate_limit_error with retry-after. */
  throttleNext(path: string): void;
}

const MODELS = ['claude-opus-4-1', 'claude-sonnet-4-5', 'claude-sonnet-4-0', 'claude-3-5-haiku-latest', 'claude-3-haiku-20240307'];

const anthropicError = (status: number, type: string, message: string, headers: Record<string, string> = {}): MockAnswer => ({ status, headers: { 'request-id': `req_${randomUUID()}`, ...headers }, body: { type: 'error', error: { type, message } } });

/** The rate-limit headers Anthropic sends on every answer. */
export function rateLimitHeaders(remaining: number): Record<string, string> {
  const reset = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const out: Record<string, string> = {};
  for (const [kind, limit] of [['requests', 50], ['tokens', 40000], ['input-tokens', 30000], ['output-tokens', 8000]] as const) {
    out[`anthropic-ratelimit-${kind}-limit`] = String(limit);
    out[`anthropic-ratelimit-${kind}-remaining`] = String(kind === 'requests' ? remaining : Math.max(0, limit - 100));
    out[`anthropic-ratelimit-${kind}-reset`] = reset;
  }
  return out;
}

export async function startAnthropicMock(apiKey: string, adminKey: string): Promise<AnthropicMock> {
  let revoked = false;
  let throttle: string | null = null;
  let remaining = 50;
  const usage: AnthropicUsage = { input_tokens: 25, output_tokens: 9 };
  const ok = (body: unknown, extra: Record<string, string> = {}): MockAnswer => ({ status: 200, headers: { 'request-id': `req_${randomUUID()}`, ...rateLimitHeaders(--remaining), ...extra }, body });
  const message = (model: string) => ({ id: `msg_${randomUUID().replace(/-/g, '').slice(0, 24)}`, type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'Hello from Claude' }], stop_reason: 'end_turn', stop_sequence: null, usage: { ...usage } });

  function messages(r: ReceivedRequest): MockAnswer {
    const body = bodyJson(r) as { model?: string; max_tokens?: number; messages?: unknown[]; stream?: boolean } | undefined;
    if (!body || typeof body.model !== 'string' || typeof body.max_tokens !== 'number' || !Array.isArray(body.messages) || body.messages.length === 0) {
      return anthropicError(400, 'invalid_request_error', 'model, max_tokens and messages: Field required');
    }
    if (!MODELS.includes(body.model)) return anthropicError(404, 'not_found_error', `model: ${body.model}`);
    if (!body.stream) return ok(message(body.model));
    const m = message(body.model);
    const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const { input_tokens, cache_read_input_tokens, cache_creation_input_tokens } = usage;
    const chunks = [
      ev('message_start', { message: { ...m, content: [], stop_reason: null, usage: { input_tokens, output_tokens: 1, ...(cache_read_input_tokens !== undefined ? { cache_read_input_tokens } : {}), ...(cache_creation_input_tokens !== undefined ? { cache_creation_input_tokens } : {}) } } }),
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello from ' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Claude' } }),
      ev('content_block_stop', { index: 0 }),
      ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }),
      ev('message_stop', {}),
    ];
    return { status: 200, headers: { 'content-type': 'text/event-stream', 'request-id': `req_${randomUUID()}`, ...rateLimitHeaders(--remaining) }, chunks };
  }

  function admin(r: ReceivedRequest): MockAnswer {
    const from = r.query.get('starting_at');
    if (!from) return anthropicError(400, 'invalid_request_error', 'starting_at: Field required');
    const bucket = { starting_at: from, ending_at: new Date(Date.parse(from) + 86_400_000).toISOString() };
    if (r.path === '/v1/organizations/usage_report/messages') {
      return ok({ data: [{ ...bucket, results: [{ uncached_input_tokens: 1500, cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 200 }, cache_read_input_tokens: 800, output_tokens: 500, server_tool_use: { web_search_requests: 0 }, api_key_id: null, workspace_id: null, model: null, service_tier: null, context_window: null }] }], has_more: false, next_page: null });
    }
    if (r.path === '/v1/organizations/cost_report') {
      return ok({ data: [{ ...bucket, results: [{ currency: 'USD', amount: '1234.56', workspace_id: null, description: null, cost_type: null, context_window: null, model: null, service_tier: null, token_type: null }] }], has_more: false, next_page: null });
    }
    return anthropicError(404, 'not_found_error', `no route ${r.path}`);
  }

  function openaiCompat(r: ReceivedRequest): MockAnswer {
    const auth = String(r.headers.authorization ?? '');
    if (auth !== `Bearer ${apiKey}` || revoked) return { status: 401, headers: { 'request-id': `req_${randomUUID()}` }, body: { error: { type: 'authentication_error', message: 'invalid x-api-key', param: null, code: null } } };
    const body = bodyJson(r) as { model?: string; messages?: unknown[] } | undefined;
    if (!body?.model || !MODELS.includes(body.model)) return { status: 404, body: { error: { type: 'not_found_error', message: `model: ${body?.model}`, param: null, code: null } } };
    const u = { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens, total_tokens: usage.input_tokens + usage.output_tokens };
    return ok({ id: `chatcmpl-${randomUUID()}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from Claude (OpenAI SDK layer)' }, finish_reason: 'stop' }], usage: u });
  }

  const mock = await startMockServer((r) => {
    if (throttle !== null && r.path.startsWith(throttle)) {
      throttle = null;
      return anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage.', { 'retry-after': '7', ...rateLimitHeaders(0) });
    }
    if (r.path === '/v1/chat/completions') return openaiCompat(r);
    const isAdmin = r.path.startsWith('/v1/organizations/');
    const key = r.headers['x-api-key'];
    if (key === undefined) return anthropicError(401, 'authentication_error', 'x-api-key header is required');
    if (key !== (isAdmin ? adminKey : apiKey) || revoked) return anthropicError(401, 'authentication_error', 'invalid x-api-key');
    if (r.headers['anthropic-version'] === undefined) return anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required');
    if (r.headers['anthropic-version'] !== ANTHROPIC_VERSION) return anthropicError(400, 'invalid_request_error', `anthropic-version: ${String(r.headers['anthropic-version'])} is not a valid version`);
    if (isAdmin) return r.method === 'GET' ? admin(r) : anthropicError(405, 'invalid_request_error', 'method not allowed');
    if (r.method === 'GET' && r.path === '/v1/models') {
      const data = MODELS.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-02-19T00:00:00Z' }));
      return ok({ data, has_more: false, first_id: data[0]!.id, last_id: data.at(-1)!.id });
    }
    if (r.method === 'POST' && r.path === '/v1/messages') return messages(r);
    return anthropicError(404, 'not_found_error', `no route ${r.method} ${r.path}`);
  });
  return Object.assign(mock, { apiKey, adminKey, usage, revoke: (on = true) => void (revoked = on), throttleNext: (path: string) => void (throttle = path) });
}
