// Anthropic Messages stream (message_start, content_block_start/delta/stop, message_delta,
// message_stop, ping, error) → OpenAI chat.completion.chunk frames.
import { anthropicError, anthropicFinishReason,  readAnthropicUsage, type AnthropicCounts } from './anthropic-response.ts';
import { isObject } from './openai-request.ts';
import { ChunkWriter } from './openai-stream.ts';
import { openAIUsageFromSplitCache, splitCacheTokenUsage } from './split-cache-usage.ts';
import { SseTranslator } from './sse-translator.ts';
import type { OpenAIUsage, TokenUsage } from './types.ts';

type Block = { kind: 'text' } | { kind: 'tool'; index: number; hasArguments: boolean; input: unknown } | { kind: 'other' };

export class AnthropicStreamTranslator extends SseTranslator {
  #counts: AnthropicCounts = {};
  #blocks = new Map<number, Block>();
  #tools = 0;
  #finished = false;

  constructor(model: string, includeUsage: boolean) {
    super(new ChunkWriter(model, includeUsage));
  }

  usage(): TokenUsage {
    return splitCacheTokenUsage(this.#counts);
  }

  protected openAIUsage(): OpenAIUsage {
    return openAIUsageFromSplitCache(this.#counts, 'always');
  }

  protected incomplete(): string {
    return 'the Anthropic stream ended before message_stop';
  }

  protected handle(data: unknown, event: string): string[] {
    if (!isObject(data) || this.state === 'complete') return [];
    const type = typeof data.type === 'string' ? data.type : event;
    const w = this.writer;
    switch (type) {
      case 'message_start': {
        const message = isObject(data.message) ? data.message : {};
        if (typeof message.id === 'string') w.id = `chatcmpl-${message.id}`;
        readAnthropicUsage(message.usage, this.#counts);
        return w.start();
      }
      case 'content_block_start': {
        const index = Number(data.index);
        const block = isObject(data.content_block) ? data.content_block : {};
        if (block.type === 'text') {
          this.#blocks.set(index, { kind: 'text' });
          return typeof block.text === 'string' && block.text !== '' ? [w.delta({ content: block.text })] : [];
        }
        if (block.type === 'tool_use') {
          const tool: Block = { kind: 'tool', index: this.#tools++, hasArguments: false, input: block.input };
          this.#blocks.set(index, tool);
          return [w.delta({ tool_calls: [{ index: tool.index, id: String(block.id ?? ''), type: 'function', function: { name: String(block.name ?? ''), arguments: '' } }] })];
        }
        this.#blocks.set(index, { kind: 'other' }); // thinking, server tools: not part of a chat completion
        return [];
      }
      case 'content_block_delta': {
        const delta = isObject(data.delta) ? data.delta : {};
        const block = this.#blocks.get(Number(data.index));
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && block?.kind !== 'other') {
          return delta.text === '' ? [] : [w.delta({ content: delta.text })];
        }
        if (delta.type === 'input_json_delta' && block?.kind === 'tool' && typeof delta.partial_json === 'string' && delta.partial_json !== '') {
          block.hasArguments = true;
          return [w.delta({ tool_calls: [{ index: block.index, function: { arguments: delta.partial_json } }] })];
        }
        return [];
      }
      case 'content_block_stop': {
        const block = this.#blocks.get(Number(data.index));
        if (block?.kind !== 'tool' || block.hasArguments) return [];
        // No input_json_delta came: send the start block's input (usually {}) so arguments parse.
        block.hasArguments = true;
        return [w.delta({ tool_calls: [{ index: block.index, function: { arguments: JSON.stringify(isObject(block.input) ? block.input : {}) } }] })];
      }
      case 'message_delta': {
        readAnthropicUsage(data.usage, this.#counts);
        const delta = isObject(data.delta) ? data.delta : {};
        const reason = anthropicFinishReason(delta.stop_reason);
        if (reason === null || this.#finished) return [];
        this.#finished = true;
        return w.finish(reason);
      }
      case 'message_stop': {
        this.state = 'complete';
        if (this.#finished) return [];
        this.#finished = true;
        return w.finish('stop');
      }
      case 'error': {
        const e = anthropicError(500, data).error;
        return this.fail(e.message, e.type, e.code);
      }
      default:
        return []; // ping, and event types added later
    }
  }
}
