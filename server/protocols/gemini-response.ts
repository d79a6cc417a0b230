// Gemini GenerateContentResponse → OpenAI chat completion; usage; error bodies. Also the part
// reading the stream translator shares (a stream chunk is a GenerateContentResponse too).
import { SilError } from '../errors.ts';
import { chatCompletion } from './openai-completion.ts';
import { isObject } from './openai-request.ts';
import { errorBody, randomId } from './openai-stream.ts';
import type { OpenAIChatCompletion, OpenAIErrorBody, OpenAIFinishReason, OpenAIToolCall, OpenAIUsage, TokenUsage } from './types.ts';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']);

/** finishReason → OpenAI; a turn that called functions ends in `tool_calls`. */
export function geminiFinishReason(reason: unknown, calledTools: boolean): OpenAIFinishReason | null {
  if (typeof reason !== 'string' || reason === '') return null;
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content_filter';
  return calledTools ? 'tool_calls' : 'stop';
}

/** Gemini's usageMetadata; promptTokenCount includes cachedContentTokenCount. */
export interface GeminiCounts { prompt?: number; candidates?: number; thoughts?: number; cached?: number; total?: number }

export function readGeminiUsage(meta: unknown, into: GeminiCounts = {}): GeminiCounts {
  if (!isObject(meta)) return into;
  into.prompt = num(meta.promptTokenCount) ?? into.prompt;
  into.candidates = num(meta.candidatesTokenCount) ?? into.candidates;
  into.thoughts = num(meta.thoughtsTokenCount) ?? into.thoughts;
  into.cached = num(meta.cachedContentTokenCount) ?? into.cached;
  into.total = num(meta.totalTokenCount) ?? into.total;
  return into;
}

/** Output tokens include thinking tokens (billed as output). */
export function geminiTokenUsage(c: GeminiCounts): TokenUsage {
  const u: TokenUsage = {};
  if (c.prompt !== undefined) u.inputTokens = c.prompt;
  if (c.candidates !== undefined || c.thoughts !== undefined) u.outputTokens = (c.candidates ?? 0) + (c.thoughts ?? 0);
  if (c.cached !== undefined) u.cachedInputTokens = c.cached;
  return u;
}

export function openAIUsageFromGemini(c: GeminiCounts): OpenAIUsage {
  const prompt = c.prompt ?? 0;
  const completion = (c.candidates ?? 0) + (c.thoughts ?? 0);
  const usage: OpenAIUsage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: c.total ?? prompt + completion };
  if (c.cached !== undefined) usage.prompt_tokens_details = { cached_tokens: c.cached };
  if (c.thoughts !== undefined) usage.completion_tokens_details = { reasoning_tokens: c.thoughts };
  return usage;
}

/** A candidate's parts: visible text (thoughts left out) and function calls as OpenAI tool calls. */
export function readParts(content: unknown): { texts: string[]; toolCalls: OpenAIToolCall[] } {
  const texts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  const parts = isObject(content) && Array.isArray(content.parts) ? content.parts : [];
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (typeof part.text === 'string' && part.thought !== true) texts.push(part.text);
    else if (isObject(part.functionCall)) {
      const fc = part.functionCall;
      const call: OpenAIToolCall = {
        id: typeof fc.id === 'string' && fc.id !== '' ? fc.id : randomId('call_'),
        type: 'function',
        function: { name: String(fc.name ?? ''), arguments: JSON.stringify(isObject(fc.args) ? fc.args : {}) },
      };
      if (typeof part.thoughtSignature === 'string') call.extra_content = { google: { thought_signature: part.thoughtSignature } };
      toolCalls.push(call);
    }
  }
  return { texts, toolCalls };
}

/** The first candidate, and the finish reason of a prompt blocked before any candidate. */
export function firstCandidate(native: Record<string, unknown>): { candidate?: Record<string, unknown>; blocked: boolean } {
  const candidate = Array.isArray(native.candidates) && isObject(native.candidates[0]) ? native.candidates[0] : undefined;
  const feedback = isObject(native.promptFeedback) ? native.promptFeedback : {};
  return { candidate, blocked: !candidate && typeof feedback.blockReason === 'string' };
}

/** Gemini error bodies are `{error: {code, message, status}}`, on streams sometimes inside an array. */
export function geminiErrorOf(native: unknown): Record<string, unknown> | undefined {
  const value = Array.isArray(native) ? native[0] : native;
  return isObject(value) && isObject(value.error) ? value.error : undefined;
}

function unreadable(why: string): SilError {
  return new SilError('SIL_PROXY_UPSTREAM', `the gemini-generate-content answer cannot be read: ${why}`);
}

export function geminiResponse(native: unknown, model: string): OpenAIChatCompletion {
  if (!isObject(native)) throw unreadable('not a JSON object');
  const err = geminiErrorOf(native);
  if (err) throw unreadable(`the answer is an error (${String(err.status ?? err.code ?? 'unknown')}: ${String(err.message ?? '')})`);
  const { candidate, blocked } = firstCandidate(native);
  if (!candidate && !blocked) throw unreadable('no candidate and no promptFeedback.blockReason');
  const { texts, toolCalls } = readParts(candidate?.content);
  const finish = blocked ? 'content_filter' : (geminiFinishReason(candidate?.finishReason, toolCalls.length > 0) ?? 'stop');
  return chatCompletion({ id: typeof native.responseId === 'string' ? `chatcmpl-${native.responseId}` : randomId('chatcmpl-'), model, texts, toolCalls, finish, usage: openAIUsageFromGemini(readGeminiUsage(native.usageMetadata)) });
}

export function geminiUsage(native: unknown): TokenUsage {
  return isObject(native) ? geminiTokenUsage(readGeminiUsage(native.usageMetadata)) : {};
}

const STATUS_TYPE: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'invalid_request_error', 429: 'rate_limit_error' };

export function geminiError(status: number, native: unknown): OpenAIErrorBody {
  const e = geminiErrorOf(native);
  const code = typeof e?.code === 'number' ? e.code : status;
  const message = typeof e?.message === 'string' ? e.message : typeof native === 'string' && native !== '' ? native.slice(0, 500) : `the Gemini service answered ${status}`;
  return errorBody(message, STATUS_TYPE[code] ?? 'api_error', typeof e?.status === 'string' ? e.status : null);
}
