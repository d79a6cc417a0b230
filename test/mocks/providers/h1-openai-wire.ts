// The OpenAI chat / embeddings wire format, shared by the mocks of helper H1's AI providers that
// speak it (openai, deepseek, meta-llama's compat endpoint, azure-openai, hugging-face's router).
// Shapes from the OpenAI API reference (platform.openai.com/docs/api-reference/chat/object,
// .../chat-streaming: with stream_options.include_usage every chunk carries "usage": null and one
// last chunk has "choices": [] and the usage, then `data: [DONE]`; .../embeddings/object).
// Token counts are computed from the request (one token per word, plus one per message), so a
// test can only pass when the hub records what the mock actually reported.
import { createHash, randomBytes } from 'node:crypto';
import type { ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';

export interface ChatMessage { role: string; content?: unknown }
export interface ChatRequest {
  model?: string;
  messages?: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
}

/** Knobs every H1 mock has: refuse the key from now on, or answer 429 to the next n requests. */
export interface MockSwitches {
  /** The key is revoked: every authenticated request is refused. */
  revoke(): void;
  /** The key works again. */
  restore(): void;
  /**
   * The next `n` authenticated requests whose path starts with `pathPrefix` (default: any) are
   * answered 429 with the provider's rate-limit answer. A prefix keeps the hub's health probes
   * from taking them.
   */
  throttle(n?: number, pathPrefix?: string): void;
  /** Each usage object (or metrics list) the mock put in an answer, in order. */
  usage: Record<string, unknown>[];
}

export function switches(): MockSwitches & { revoked: boolean; takeThrottle(path: string): boolean } {
  let throttled = 0;
  let prefix = '';
  const s = {
    revoked: false,
    usage: [] as Record<string, unknown>[],
    revoke: () => void (s.revoked = true),
    restore: () => void (s.revoked = false),
    throttle: (n = 1, pathPrefix = '') => void ((throttled += n), (prefix = pathPrefix)),
    takeThrottle: (path: string) => (throttled > 0 && path.startsWith(prefix) ? (throttled--, true) : false),
  };
  return s;
}

/** The token after `Bearer ` (the scheme word compared case-insensitively), or undefined. */
export function bearer(r: ReceivedRequest): string | undefined {
  const m = /^Bearer (.+)$/i.exec(String(r.headers.authorization ?? ''));
  return m ? m[1].trim() : undefined;
}

export function jsonBody<T>(r: ReceivedRequest): T | undefined {
  try {
    return JSON.parse(r.body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'object' && p && 'text' in p ? String((p as { text: unknown }).text) : '')).join(' ');
  return '';
}

/** Prompt tokens: one per word of every message, plus one per message. */
export const promptTokens = (messages: ChatMessage[]): number => messages.reduce((n, m) => n + 1 + words(textOf(m.content)), 0);

/** Tokens of the system messages (what a prompt cache can hold between calls). */
export const systemTokens = (messages: ChatMessage[]): number => messages.filter((m) => m.role === 'system').reduce((n, m) => n + 1 + words(textOf(m.content)), 0);
export const systemKey = (messages: ChatMessage[]): string => messages.filter((m) => m.role === 'system').map((m) => textOf(m.content)).join('\n');

/** The assistant's answer: the last user message echoed back, so it differs per request. */
export function replyTo(messages: ChatMessage[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return `You said: ${textOf(last?.content)}`;
}
export const completionTokens = (text: string): number => words(text);

export const newId = (prefix: string): string => prefix + randomBytes(12).toString('hex');

export function chatCompletion(model: string, text: string, usage: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: newId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage,
    system_fingerprint: 'fp_mock',
    ...extra,
  };
}

/** SSE frames of a streamed answer: a role chunk, one chunk per word, the finish chunk, the usage chunk when asked, [DONE]. */
export function chatChunks(model: string, text: string, usage: Record<string, unknown> | null): string[] {
  const id = newId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const withUsage = usage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_mock', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...withUsage })}\n\n`;
  const parts = text.split(/(?<= )/);
  const frames = [chunk({ role: 'assistant', content: '' }, null), ...parts.map((p) => chunk({ content: p }, null)), chunk({}, 'stop')];
  if (usage) frames.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_mock', choices: [], usage })}\n\n`);
  frames.push('data: [DONE]\n\n');
  return frames;
}

/** An embedding per input (8 numbers from its hash) and the prompt tokens of all inputs. */
export function embeddingList(model: string, input: unknown): { body: Record<string, unknown>; tokens: number } {
  const inputs = (Array.isArray(input) ? input : [input]).map(String);
  const tokens = inputs.reduce((n, s) => n + words(s), 0);
  const data = inputs.map((s, index) => {
    const h = createHash('sha256').update(s).digest();
    return { object: 'embedding', index, embedding: Array.from({ length: 8 }, (_, i) => (h[i] - 128) / 128) };
  });
  return { body: { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } }, tokens };
}

export function modelList(ids: string[], ownedBy: string): Record<string, unknown> {
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1715367049, owned_by: ownedBy })) };
}

/** OpenAI's error shape (also DeepSeek's): {"error": {"message", "type", "param", "code"}}. */
export function openAIError(message: string, type: string, code: string | null, param: string | null = null): Record<string, unknown> {
  return { error: { message, type, param, code } };
}
