// Bedrock Converse answer → OpenAI chat completion; usage; error bodies.
import { SilError } from '../errors.ts';
import { chatCompletion } from './openai-completion.ts';
import { isObject } from './openai-request.ts';
import { errorBody, randomId } from './openai-stream.ts';
import { openAIUsageFromSplitCache, readSplitCacheUsage, splitCacheTokenUsage, type SplitCacheCounts, type SplitCacheNames } from './split-cache-usage.ts';
import { anthropicFinishReason } from './anthropic-response.ts';
import type { OpenAIChatCompletion, OpenAIErrorBody, OpenAIFinishReason, OpenAIToolCall, TokenUsage } from './types.ts';


/** Converse stop reasons: Claude's (as Anthropic's Messages API), plus Bedrock's own filters. */
export function bedrockFinishReason(stop: unknown): OpenAIFinishReason | null {
  return stop === 'guardrail_intervened' || stop === 'content_filtered' ? 'content_filter' : anthropicFinishReason(stop);
}

/** Converse usage: inputTokens excludes cache reads and writes; totalTokens counts them all. */
export type BedrockCounts = SplitCacheCounts;

const BEDROCK_USAGE: SplitCacheNames = { input: 'inputTokens', output: 'outputTokens', total: 'totalTokens', cacheRead: 'cacheReadInputTokens', cacheWrite: 'cacheWriteInputTokens' };

export function readBedrockUsage(usage: unknown, into: BedrockCounts = {}): BedrockCounts {
  return readSplitCacheUsage(usage, BEDROCK_USAGE, into);
}

function unreadable(why: string): SilError {
  return new SilError('SIL_PROXY_UPSTREAM', `the bedrock-converse answer cannot be read: ${why}`);
}

/** A toolUse block as an OpenAI tool call. */
export function toolCallOf(toolUse: Record<string, unknown>): OpenAIToolCall {
  return {
    id: typeof toolUse.toolUseId === 'string' && toolUse.toolUseId !== '' ? toolUse.toolUseId : randomId('call_'),
    type: 'function',
    function: { name: String(toolUse.name ?? ''), arguments: JSON.stringify(isObject(toolUse.input) ? toolUse.input : {}) },
  };
}

export function bedrockResponse(native: unknown, model: string): OpenAIChatCompletion {
  if (!isObject(native)) throw unreadable('not a JSON object');
  const message = isObject(native.output) && isObject(native.output.message) ? native.output.message : undefined;
  if (!message || !Array.isArray(message.content)) {
    if (typeof native.message === 'string') throw unreadable(`the answer is an error (${native.message})`);
    throw unreadable('no `output.message.content` array');
  }
  const texts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of message.content) {
    if (!isObject(block)) continue;
    if (typeof block.text === 'string') texts.push(block.text);
    else if (isObject(block.toolUse)) toolCalls.push(toolCallOf(block.toolUse));
    // reasoningContent, citations, images: no place in a chat completion.
  }
  return chatCompletion({ id: randomId('chatcmpl-'), model, texts, toolCalls, finish: bedrockFinishReason(native.stopReason) ?? 'stop', usage: openAIUsageFromSplitCache(readBedrockUsage(native.usage), 'when-reported') });
}

export function bedrockUsage(native: unknown): TokenUsage {
  return isObject(native) ? splitCacheTokenUsage(readBedrockUsage(native.usage)) : {};
}

const STATUS_TYPE: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 408: 'timeout_error', 413: 'invalid_request_error', 424: 'api_error', 429: 'rate_limit_error', 503: 'overloaded_error' };

/** `ValidationException`, `com.amazon…#ThrottlingException` or `throttlingException:http://…` → `ValidationException`. */
function exceptionName(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const name = value.split(':')[0]!.split('#').at(-1)!;
  return name === '' ? null : name[0]!.toUpperCase() + name.slice(1);
}

/**
 * `{"message": "..."}` (Bedrock's error bodies; `Message` and `__type` in some) → the OpenAI
 * error shape; the exception name, when the body carries one, becomes the code.
 */
export function bedrockError(status: number, native: unknown, exception?: string): OpenAIErrorBody {
  const o = isObject(native) ? native : {};
  const text = typeof o.message === 'string' ? o.message : typeof o.Message === 'string' ? o.Message : undefined;
  const message = text ?? (typeof native === 'string' && native !== '' ? native.slice(0, 500) : `the Bedrock service answered ${status}`);
  const code = exceptionName(exception) ?? exceptionName(o.__type) ?? exceptionName(o.code);
  return errorBody(message, STATUS_TYPE[status] ?? 'api_error', code);
}
