// The answers of `sil mock openai`: a stand-in for OpenAI's API that needs no account, for trying
// the hub end to end. Pure: a request in, an answer out (JSON, or the frames of an SSE stream).
// Token counts are estimates (4 characters a token), good enough for usage and cost to show up.
import { createHash } from 'node:crypto';

export interface MockRequest {
  method: string;
  /** The path without the query. */
  path: string;
  authorization: string | undefined;
  body: string;
}

export type MockAnswer =
  | { status: number; json: unknown }
  | { status: 200; events: string[] };

export const MOCK_MODELS = ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'] as const;

const CREATED = 1_700_000_000;

const error = (status: number, message: string, type: string, code: string | null = null): MockAnswer =>
  ({ status, json: { error: { message, type, param: null, code } } });

export const estimateTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join(' ');
  return '';
}

function parseBody(body: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function chat(req: Record<string, unknown>, id: string): MockAnswer {
  const model = typeof req.model === 'string' ? req.model : '';
  if (!model) return error(400, 'you must provide a model parameter', 'invalid_request_error');
  if (!Array.isArray(req.messages) || req.messages.length === 0) return error(400, "'messages' must be a non-empty array", 'invalid_request_error');
  const messages = req.messages as { role?: unknown; content?: unknown }[];
  const lastUser = [...messages].reverse().find((m) => m?.role === 'user');
  const said = textOf(lastUser?.content).slice(0, 200);
  const content = `Hello from the sil mock of OpenAI (${model}). You said: ${said || '(nothing)'}`;
  const prompt = estimateTokens(messages.map((m) => textOf(m?.content)).join('\n'));
  const completion = estimateTokens(content);
  const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  const head = { id, created: CREATED, model, system_fingerprint: 'sil-mock' };
  if (req.stream !== true) {
    return { status: 200, json: { ...head, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }], usage } };
  }
  // As OpenAI streams: a role chunk, content deltas, a finish chunk, the usage chunk when
  // stream_options.include_usage asks for it, then [DONE].
  const withUsage = (req.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const chunk = (delta: object, finish: string | null) => ({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(withUsage ? { usage: null } : {}) });
  const frames: unknown[] = [chunk({ role: 'assistant', content: '' }, null)];
  for (const piece of content.match(/\S+\s*/g) ?? []) frames.push(chunk({ content: piece }, null));
  frames.push(chunk({}, 'stop'));
  if (withUsage) frames.push({ ...head, object: 'chat.completion.chunk', choices: [], usage });
  return { status: 200, events: [...frames.map((f) => `data: ${JSON.stringify(f)}\n\n`), 'data: [DONE]\n\n'] };
}

/** A deterministic unit vector of `dimensions` numbers for the text. */
export function mockEmbedding(text: string, dimensions: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i + 2 <= digest.length && values.length < dimensions; i += 2) values.push(digest.readUInt16BE(i) / 32768 - 1);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => Number((v / norm).toFixed(6)));
}

function embeddings(req: Record<string, unknown>): MockAnswer {
  const model = typeof req.model === 'string' ? req.model : '';
  if (!model) return error(400, 'you must provide a model parameter', 'invalid_request_error');
  const inputs = typeof req.input === 'string' ? [req.input] : Array.isArray(req.input) && req.input.every((i) => typeof i === 'string') ? (req.input as string[]) : undefined;
  if (!inputs || inputs.length === 0) return error(400, "'input' must be a string or a non-empty array of strings", 'invalid_request_error');
  const dimensions = Number.isInteger(req.dimensions) && (req.dimensions as number) > 0 && (req.dimensions as number) <= 3072 ? (req.dimensions as number) : 8;
  const tokens = inputs.reduce((n, t) => n + estimateTokens(t), 0);
  return {
    status: 200,
    json: { object: 'list', data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: mockEmbedding(t, dimensions) })), model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
  };
}

/** The answer to one request. `id` names a chat completion (the caller picks it, for tests). */
export function answerMock(req: MockRequest, id = 'chatcmpl-mock'): MockAnswer {
  if (!/^Bearer\s+\S+/i.test(req.authorization ?? '')) {
    return error(401, 'You didn\'t provide an API key: send Authorization: Bearer <any key> (the mock accepts every key).', 'invalid_request_error', 'invalid_api_key');
  }
  const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
  if (route === 'GET /v1/models') return { status: 200, json: { object: 'list', data: MOCK_MODELS.map((m) => ({ id: m, object: 'model', created: CREATED, owned_by: 'sil-mock' })) } };
  if (route !== 'POST /v1/chat/completions' && route !== 'POST /v1/embeddings') {
    return error(404, `the sil mock has no route ${req.method} ${req.path} (it serves POST /v1/chat/completions, POST /v1/embeddings and GET /v1/models)`, 'invalid_request_error', 'unknown_url');
  }
  const body = parseBody(req.body);
  if (!body) return error(400, 'the body is not a JSON object', 'invalid_request_error');
  return route === 'POST /v1/embeddings' ? embeddings(body) : chat(body, id);
}
