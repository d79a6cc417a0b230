// Gemini streamGenerateContent?alt=sse (one GenerateContentResponse per `data:` event, usage
// in the last ones, finishReason in the last candidate chunk) → OpenAI chat.completion.chunk frames.
import { firstCandidate, geminiError, geminiErrorOf, geminiFinishReason, geminiTokenUsage, openAIUsageFromGemini, readGeminiUsage, readParts, type GeminiCounts } from './gemini-response.ts';
import { isObject } from './openai-request.ts';
import { ChunkWriter } from './openai-stream.ts';
import { SseTranslator } from './sse-translator.ts';
import type { OpenAIUsage, TokenUsage } from './types.ts';

export class GeminiStreamTranslator extends SseTranslator {
  #counts: GeminiCounts = {};
  #tools = 0;
  #started = false;

  constructor(model: string, includeUsage: boolean) {
    super(new ChunkWriter(model, includeUsage));
  }

  usage(): TokenUsage {
    return geminiTokenUsage(this.#counts);
  }

  protected openAIUsage(): OpenAIUsage {
    return openAIUsageFromGemini(this.#counts);
  }

  protected incomplete(): string {
    return 'the Gemini stream ended before a finishReason';
  }

  protected handle(data: unknown): string[] {
    if (geminiErrorOf(data)) {
      const e = geminiError(500, data).error;
      return this.fail(e.message, e.type, e.code);
    }
    if (!isObject(data)) return [];
    const w = this.writer;
    const out: string[] = [];
    if (!this.#started) {
      this.#started = true;
      if (typeof data.responseId === 'string') w.id = `chatcmpl-${data.responseId}`;
      out.push(...w.start());
    }
    readGeminiUsage(data.usageMetadata, this.#counts);
    if (this.state === 'complete') return out; // after the finish chunk only usage counts
    const { candidate, blocked } = firstCandidate(data);
    if (blocked) {
      this.state = 'complete';
      return [...out, ...w.finish('content_filter')];
    }
    const { texts, toolCalls } = readParts(candidate?.content);
    const text = texts.join('');
    if (text !== '') out.push(w.delta({ content: text }));
    if (toolCalls.length > 0) {
      const deltas = toolCalls.map((c) => ({ index: this.#tools++, id: c.id, type: 'function' as const, function: { name: c.function.name, arguments: c.function.arguments }, ...(c.extra_content ? { extra_content: c.extra_content } : {}) }));
      out.push(w.delta({ tool_calls: deltas }));
    }
    const reason = geminiFinishReason(candidate?.finishReason, this.#tools > 0);
    if (reason !== null) {
      this.state = 'complete';
      out.push(...w.finish(reason));
    }
    return out;
  }
}
