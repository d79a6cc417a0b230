// The gemini-generate-content adapter: OpenAI Chat Completions callers served by Gemini's
// generateContent (base URL …/v1beta; auth x-goog-api-key or ?key= from the provider template).
// Streaming is a different method on the same model path: :streamGenerateContent?alt=sse.
import { geminiRequest } from './gemini-request.ts';
import { geminiError, geminiResponse, geminiUsage } from './gemini-response.ts';
import { GeminiStreamTranslator } from './gemini-stream.ts';
import { includeUsage } from './openai-stream.ts';
import type { ProtocolAdapter } from './types.ts';

/** `gemini-2.5-flash` or `models/gemini-2.5-flash`, encoded as one path segment. */
export function geminiPath(model: string, stream: boolean): string {
  const id = encodeURIComponent(model.replace(/^models\//, ''));
  return stream ? `/models/${id}:streamGenerateContent?alt=sse` : `/models/${id}:generateContent`;
}

export const geminiAdapter: ProtocolAdapter = Object.freeze<ProtocolAdapter>({
  protocol: 'gemini-generate-content',
  path: geminiPath,
  headers: (stream: boolean) => ({ 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' }),
  request: geminiRequest,
  response: geminiResponse,
  usage: geminiUsage,
  error: geminiError,
  stream: (openai, model) => new GeminiStreamTranslator(model, includeUsage(openai)),
});
