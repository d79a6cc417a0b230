// Cohere v2 Chat stream (message-start, content-start/delta/end, tool-plan-delta,
// tool-call-start/delta/end, citation-start/end, message-end, debug) → OpenAI
// chat.completion.chunk frames. Every event's data carries its `type`.
import { cohereError, cohereFailed, cohereFinishReason, cohereTokenUsage, openAIUsageFromCohere, readCohereUsage, type CohereCounts } from './cohere-response.ts';
import { isObject } from './openai-request.ts';
import { ChunkWriter, randomId } from './openai-stream.ts';
import { SseTranslator } from './sse-translator.ts';
import type { OpenAIUsage, TokenUsage } from './types.ts';

interface Tool { index: number; hasArguments: boolean }

/** `delta.message` of an event, or {}. */
function messageOf(data: Record<string, unknown>): Record<string, unknown> {
  const delta = isObject(data.delta) ? data.delta : {};
  return isObject(delta.message) ? delta.message : {};
}

export class CohereStreamTranslator extends SseTranslator {
  #counts: CohereCounts = {};
  /** Content blocks by Cohere's index: whether each is text (thinking blocks are not passed on). */
  #content = new Map<number, boolean>();
  #tools = new Map<number, Tool>();
  #toolCount = 0;

  constructor(model: string, includeUsage: boolean) {
    super(new ChunkWriter(model, includeUsage));
  }

  usage(): TokenUsage {
    return cohereTokenUsage(this.#counts);
  }

  protected openAIUsage(): OpenAIUsage {
    return openAIUsageFromCohere(this.#counts);
  }

  protected incomplete(): string {
    return 'the Cohere stream ended before message-end';
  }

  protected handle(data: unknown, event: string): string[] {
    if (!isObject(data) || this.state === 'complete') return [];
    const type = typeof data.type === 'string' ? data.type : event;
    const w = this.writer;
    const index = Number(data.index ?? 0);
    switch (type) {
      case 'message-start':
        if (typeof data.id === 'string' && data.id !== '') w.id = `chatcmpl-${data.id}`;
        return w.start();
      case 'content-start': {
        const content = messageOf(data).content;
        const isText = !isObject(content) || content.type === undefined || content.type === 'text';
        this.#content.set(index, isText);
        return isText && isObject(content) && typeof content.text === 'string' && content.text !== '' ? [w.delta({ content: content.text })] : [];
      }
      case 'content-delta': {
        if (this.#content.get(index) === false) return [];
        const content = messageOf(data).content;
        return isObject(content) && typeof content.text === 'string' && content.text !== '' ? [w.delta({ content: content.text })] : [];
      }
      case 'tool-call-start': {
        const call = messageOf(data).tool_calls;
        const c = isObject(call) ? call : {};
        const fn = isObject(c.function) ? c.function : {};
        const tool: Tool = { index: this.#toolCount++, hasArguments: false };
        this.#tools.set(index, tool);
        const args = typeof fn.arguments === 'string' ? fn.arguments : '';
        if (args !== '') tool.hasArguments = true;
        const id = typeof c.id === 'string' && c.id !== '' ? c.id : randomId('call_');
        return [w.delta({ tool_calls: [{ index: tool.index, id, type: 'function', function: { name: String(fn.name ?? ''), arguments: args } }] })];
      }
      case 'tool-call-delta': {
        const tool = this.#tools.get(index);
        const call = messageOf(data).tool_calls;
        const fn = isObject(call) && isObject(call.function) ? call.function : {};
        if (!tool || typeof fn.arguments !== 'string' || fn.arguments === '') return [];
        tool.hasArguments = true;
        return [w.delta({ tool_calls: [{ index: tool.index, function: { arguments: fn.arguments } }] })];
      }
      case 'tool-call-end': {
        const tool = this.#tools.get(index);
        if (!tool || tool.hasArguments) return [];
        tool.hasArguments = true; // no arguments came: an empty object, so they parse
        return [w.delta({ tool_calls: [{ index: tool.index, function: { arguments: '{}' } }] })];
      }
      case 'message-end': {
        const delta = isObject(data.delta) ? data.delta : {};
        readCohereUsage(delta.usage, this.#counts);
        if (cohereFailed(delta.finish_reason)) {
          const why = typeof delta.error === 'string' && delta.error !== '' ? `: ${delta.error}` : '';
          return this.fail(`the Cohere answer ended with ${String(delta.finish_reason)}${why}`, 'api_error', 'SIL_PROXY_UPSTREAM');
        }
        this.state = 'complete';
        return w.finish(cohereFinishReason(delta.finish_reason) ?? (this.#toolCount > 0 ? 'tool_calls' : 'stop'));
      }
      default:
        // A stream event that is an error body ({"message": ...}, no type of its own).
        if (type === 'message' && typeof data.message === 'string' && data.type === undefined) {
          const e = cohereError(500, data).error;
          return this.fail(e.message, e.type, e.code);
        }
        return []; // content-end, tool-plan-delta, citation-start/end, debug, later event types
    }
  }
}
