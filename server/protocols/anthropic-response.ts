// Anthropic Messages answer → OpenAI chat completion; usage; error bodies.
import { SilError } from '../errors.ts';
import { chatCompletion } from './openai-completion.ts';
import { isObject } from './openai-request.ts';
import { errorBody } from './openai-stream.ts';
import { openAIUsageFromSplitCache, readSplitCacheUsage, splitCacheTokenUsage, type SplitCacheCounts, type SplitCacheNames } from './split-cache-usage.ts';
import type { OpenAIChatCompletion, OpenAIErrorBody, OpenAIFinishReason, OpenAIToolCall, TokenUsage } from './types.ts';


export function anthropicFinishReason(stop: unknown): OpenAIFinishReason | null {
  switch (stop) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case null:
    case undefined:
      return null;
    default:
      return 'stop';
  }
}

/** Anthropic's usage counters (input_tokens excludes cache reads and cache writes). */
export type AnthropicCounts = SplitCacheCounts;

const ANTHROPIC_USAGE: SplitCacheNames = { input: 'input_tokens', output: 'output_tokens', cacheRead: 'cache_read_input_tokens', cacheWrite: 'cache_creation_input_tokens' };

/** Reads a `usage` object (message, message_start or message_delta) over what is known; absent fields stay. */
export function readAnthropicUsage(usage: unknown, into: AnthropicCounts = {}): AnthropicCounts {
  return readSplitCacheUsage(usage, ANTHROPIC_USAGE, into);
}

function unreadable(why: string): SilError {
  return new SilError('SIL_PROXY_UPSTREAM', `the anthropic-messages answer cannot be read: ${why}`);
}

export function anthropicResponse(native: unknown, model: string): OpenAIChatCompletion {
  if (!isObject(native)) throw unreadable('not a JSON object');
  if (native.type === 'error') {
    const e = isObject(native.error) ? native.error : {};
    throw unreadable(`the answer is an error (${String(e.type ?? 'unknown')}: ${String(e.message ?? '')})`);
  }
  if (!Array.isArray(native.content)) throw unreadable('no `content` array');
  const texts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of native.content) {
    if (!isObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || typeof block.name !== 'string') throw unreadable('a tool_use block without id or name');
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
    // thinking, redacted_thinking and server-tool blocks have no place in a chat completion.
  }
  const counts = readAnthropicUsage(native.usage);
  return chatCompletion({ id: `chatcmpl-${typeof native.id === 'string' ? native.id : 'anthropic'}`, model, texts, toolCalls, finish: anthropicFinishReason(native.stop_reason) ?? 'stop', usage: openAIUsageFromSplitCache(counts, 'always') });
}

export function anthropicUsage(native: unknown): TokenUsage {
  return isObject(native) ? splitCacheTokenUsage(readAnthropicUsage(native.usage)) : {};
}

const STATUS_TYPE: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'invalid_request_error', 429: 'rate_limit_error', 529: 'overloaded_error' };

/** `{"type":"error","error":{"type","message"}}` (body or stream event) → the OpenAI error shape. */
export function anthropicError(status: number, native: unknown): OpenAIErrorBody {
  const e = isObject(native) && isObject(native.error) ? native.error : undefined;
  const type = typeof e?.type === 'string' ? e.type : (STATUS_TYPE[status] ?? 'api_error');
  const message = typeof e?.message === 'string' ? e.message : typeof native === 'string' && native !== '' ? native.slice(0, 500) : `the Anthropic service answered ${status}`;
  return errorBody(message, type, type);
}
