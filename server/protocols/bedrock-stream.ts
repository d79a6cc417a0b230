// Bedrock ConverseStream (application/vnd.amazon.eventstream: messageStart, contentBlockStart,
// contentBlockDelta, contentBlockStop, messageStop, metadata; exception messages) → OpenAI
// chat.completion.chunk frames. The answer is complete once messageStop came; the usage comes
// in the metadata event after it.
import { bedrockError, bedrockFinishReason,  readBedrockUsage, type BedrockCounts } from './bedrock-response.ts';
import { EventStreamDecoder, EventStreamError, type EventStreamMessage } from './event-stream.ts';
import { isObject } from './openai-request.ts';
import { ChunkWriter, DONE_FRAME, randomId } from './openai-stream.ts';
import { openAIUsageFromSplitCache, splitCacheTokenUsage } from './split-cache-usage.ts';
import type { StreamTranslator, TokenUsage } from './types.ts';

type Block = { kind: 'text' } | { kind: 'tool'; index: number; hasArguments: boolean } | { kind: 'other' };

const EXCEPTION_STATUS: Record<string, number> = {
  ThrottlingException: 429, ValidationException: 400, ModelStreamErrorException: 424, ServiceUnavailableException: 503,
  InternalServerException: 500, ModelTimeoutException: 408, AccessDeniedException: 403, ResourceNotFoundException: 404,
};

export class BedrockStreamTranslator implements StreamTranslator {
  readonly #writer: ChunkWriter;
  #decoder = new EventStreamDecoder();
  #state: 'open' | 'complete' | 'error' = 'open';
  #ended = false;
  #counts: BedrockCounts = {};
  #blocks = new Map<number, Block>();
  #tools = 0;

  constructor(model: string, includeUsage: boolean) {
    this.#writer = new ChunkWriter(model, includeUsage);
  }

  usage(): TokenUsage {
    return splitCacheTokenUsage(this.#counts);
  }

  push(chunk: string | Uint8Array): string[] {
    if (this.#ended || this.#state === 'error') return [];
    let messages: EventStreamMessage[];
    try {
      messages = this.#decoder.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    } catch (e) {
      return this.#fail(`the Bedrock stream cannot be read: ${e instanceof EventStreamError ? e.message : 'bad event-stream data'}`, 'api_error', 'SIL_PROXY_UPSTREAM');
    }
    const out: string[] = [];
    for (const m of messages) {
      out.push(...this.#message(m));
      if ((this.#state as string) === 'error') break;
    }
    return out;
  }

  end(): string[] {
    if (this.#ended) return [];
    this.#ended = true;
    const out: string[] = [];
    if (this.#state === 'open') out.push(...this.#fail('the Bedrock stream ended before messageStop', 'api_error', 'SIL_PROXY_UPSTREAM'));
    if (this.#state === 'complete') out.push(...this.#writer.usage(openAIUsageFromSplitCache(this.#counts, 'when-reported')));
    out.push(DONE_FRAME);
    return out;
  }

  #fail(message: string, type: string, code: string | null): string[] {
    this.#state = 'error';
    return [this.#writer.error(message, type, code)];
  }

  #message(m: EventStreamMessage): string[] {
    const kind = m.headers[':message-type'];
    let data: unknown;
    try {
      data = m.payload.length > 0 ? JSON.parse(new TextDecoder().decode(m.payload)) : {};
    } catch {
      data = new TextDecoder().decode(m.payload);
    }
    if (kind === 'exception') {
      const name = String(m.headers[':exception-type'] ?? 'exception');
      const upper = name[0]!.toUpperCase() + name.slice(1);
      const e = bedrockError(EXCEPTION_STATUS[upper] ?? 500, data, name).error;
      return this.#fail(e.message, e.type, e.code);
    }
    if (kind === 'error') {
      const e = bedrockError(500, { message: String(m.headers[':error-message'] ?? 'the Bedrock stream failed') }, String(m.headers[':error-code'] ?? '')).error;
      return this.#fail(e.message, e.type, e.code);
    }
    if (!isObject(data)) return this.#fail('the Bedrock stream sent an event that is not a JSON object', 'api_error', 'SIL_PROXY_UPSTREAM');
    return this.#event(String(m.headers[':event-type'] ?? ''), data);
  }

  #event(type: string, data: Record<string, unknown>): string[] {
    const w = this.#writer;
    switch (type) {
      case 'messageStart':
        return this.#state === 'open' ? w.start() : [];
      case 'contentBlockStart': {
        const index = Number(data.contentBlockIndex);
        const start = isObject(data.start) ? data.start : {};
        if (isObject(start.toolUse)) {
          const tool: Block = { kind: 'tool', index: this.#tools++, hasArguments: false };
          this.#blocks.set(index, tool);
          const id = typeof start.toolUse.toolUseId === 'string' && start.toolUse.toolUseId !== '' ? start.toolUse.toolUseId : randomId('call_');
          return [w.delta({ tool_calls: [{ index: tool.index, id, type: 'function', function: { name: String(start.toolUse.name ?? ''), arguments: '' } }] })];
        }
        this.#blocks.set(index, isObject(start.reasoningContent) ? { kind: 'other' } : { kind: 'text' });
        return [];
      }
      case 'contentBlockDelta': {
        const delta = isObject(data.delta) ? data.delta : {};
        const block = this.#blocks.get(Number(data.contentBlockIndex));
        if (typeof delta.text === 'string' && block?.kind !== 'other' && block?.kind !== 'tool') {
          return delta.text === '' ? [] : [w.delta({ content: delta.text })];
        }
        if (isObject(delta.toolUse) && block?.kind === 'tool' && typeof delta.toolUse.input === 'string' && delta.toolUse.input !== '') {
          block.hasArguments = true;
          return [w.delta({ tool_calls: [{ index: block.index, function: { arguments: delta.toolUse.input } }] })];
        }
        return []; // reasoningContent, citations
      }
      case 'contentBlockStop': {
        const block = this.#blocks.get(Number(data.contentBlockIndex));
        if (block?.kind !== 'tool' || block.hasArguments) return [];
        block.hasArguments = true; // no input came: `{}` so the arguments parse
        return [w.delta({ tool_calls: [{ index: block.index, function: { arguments: '{}' } }] })];
      }
      case 'messageStop': {
        if (this.#state !== 'open') return [];
        this.#state = 'complete';
        return w.finish(bedrockFinishReason(data.stopReason) ?? 'stop');
      }
      case 'metadata':
        readBedrockUsage(data.usage, this.#counts);
        return [];
      default:
        return [];
    }
  }
}
