// Cohere v2 Chat answer → OpenAI chat completion; usage; error bodies.
import { SilError } from '../errors.ts';
import { chatCompletion } from './openai-completion.ts';
import { isObject } from './openai-request.ts';
import { errorBody, randomId } from './openai-stream.ts';
import type { OpenAIChatCompletion, OpenAIErrorBody, OpenAIFinishReason, OpenAIToolCall, OpenAIUsage, TokenUsage } from './types.ts';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Cohere's finish reasons; null for ERROR / TIMEOUT (the answer failed) and for none. */
export function cohereFinishReason(reason: unknown): OpenAIFinishReason | null {
  switch (reason) {
    case 'COMPLETE':
    case 'STOP_SEQUENCE':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'TOOL_CALL':
      return 'tool_calls';
    case 'ERROR':
    case 'TIMEOUT':
    case null:
    case undefined:
      return null;
    default:
      return 'stop';
  }
}

export const cohereFailed = (reason: unknown): boolean => reason === 'ERROR' || reason === 'TIMEOUT';

export interface CohereCounts { input?: number; output?: number }

/**
 * Reads a `usage` object ({billed_units, tokens}) over what is known. billed_units is what
 * Cohere charges for (the provider template's usage paths read it); tokens is the fallback.
 */
export function readCohereUsage(usage: unknown, into: CohereCounts = {}): CohereCounts {
  if (!isObject(usage)) return into;
  const billed = isObject(usage.billed_units) ? usage.billed_units : {};
  const tokens = isObject(usage.tokens) ? usage.tokens : {};
  into.input = num(billed.input_tokens) ?? num(tokens.input_tokens) ?? into.input;
  into.output = num(billed.output_tokens) ?? num(tokens.output_tokens) ?? into.output;
  return into;
}

export function cohereTokenUsage(c: CohereCounts): TokenUsage {
  const u: TokenUsage = {};
  if (c.input !== undefined) u.inputTokens = c.input;
  if (c.output !== undefined) u.outputTokens = c.output;
  return u;
}

export function openAIUsageFromCohere(c: CohereCounts): OpenAIUsage {
  const prompt = c.input ?? 0;
  const completion = c.output ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function unreadable(why: string): SilError {
  return new SilError('SIL_PROXY_UPSTREAM', `the cohere-chat answer cannot be read: ${why}`);
}

export function cohereResponse(native: unknown, model: string): OpenAIChatCompletion {
  if (!isObject(native)) throw unreadable('not a JSON object');
  if (cohereFailed(native.finish_reason)) throw new SilError('SIL_PROXY_UPSTREAM', `the Cohere answer ended with ${String(native.finish_reason)}`);
  const message = native.message;
  if (!isObject(message)) throw unreadable('no `message` object');
  const texts: string[] = [];
  if (typeof message.content === 'string') texts.push(message.content);
  else if (Array.isArray(message.content)) {
    for (const part of message.content) {
      // thinking parts (reasoning models) have no place in a chat completion.
      if (isObject(part) && part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    }
  }
  const toolCalls: OpenAIToolCall[] = [];
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isObject(call)) continue;
    const fn = isObject(call.function) ? call.function : {};
    if (typeof fn.name !== 'string') throw unreadable('a tool call without a function name');
    const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
    toolCalls.push({ id: typeof call.id === 'string' && call.id !== '' ? call.id : randomId('call_'), type: 'function', function: { name: fn.name, arguments: args === '' ? '{}' : args } });
  }
  const finish = cohereFinishReason(native.finish_reason) ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  return chatCompletion({ id: typeof native.id === 'string' ? `chatcmpl-${native.id}` : randomId('chatcmpl-'), model, texts, toolCalls, finish, usage: openAIUsageFromCohere(readCohereUsage(native.usage)) });
}

export function cohereUsage(native: unknown): TokenUsage {
  return isObject(native) ? cohereTokenUsage(readCohereUsage(native.usage)) : {};
}

const STATUS_TYPE: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 402: 'insufficient_quota', 403: 'permission_error', 404: 'not_found_error',
  413: 'invalid_request_error', 422: 'invalid_request_error', 429: 'rate_limit_error', 498: 'authentication_error', 499: 'request_cancelled',
  500: 'api_error', 503: 'service_unavailable', 504: 'timeout',
};

/** Cohere's `{"id"?, "message": "..."}` error body (or raw text) → the OpenAI error shape. */
export function cohereError(status: number, native: unknown): OpenAIErrorBody {
  const type = STATUS_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const message = isObject(native) && typeof native.message === 'string' && native.message !== ''
    ? native.message
    : typeof native === 'string' && native !== '' ? native.slice(0, 500) : `the Cohere service answered ${status}`;
  return errorBody(message, type, type);
}
