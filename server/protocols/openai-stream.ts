// Writing OpenAI stream frames (`data: <chat.completion.chunk>\n\n`) for a translated stream:
// the role chunk, content and tool-call deltas, the finish chunk, the usage chunk the caller asked
// for with stream_options.include_usage, error frames and `data: [DONE]`.
import { randomBytes } from 'node:crypto';
import type { OpenAIChatCompletionChunk, OpenAIChatRequest, OpenAIChunkDelta, OpenAIErrorBody, OpenAIFinishReason, OpenAIUsage } from './types.ts';

export const DONE_FRAME = 'data: [DONE]\n\n';

export const frame = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** An id for what the native answer leaves unnamed (`chatcmpl-…`, `call_…`). */
export const randomId = (prefix: string): string => `${prefix}${randomBytes(12).toString('hex')}`;

export function errorBody(message: string, type: string, code: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param: null, code } };
}

export function includeUsage(req: OpenAIChatRequest): boolean {
  return req.stream_options?.include_usage === true;
}

export class ChunkWriter {
  id: string;
  readonly model: string;
  readonly created = nowSeconds();
  readonly includeUsage: boolean;
  #roleSent = false;

  constructor(model: string, includeUsage: boolean, id = randomId('chatcmpl-')) {
    this.model = model;
    this.includeUsage = includeUsage;
    this.id = id;
  }

  #chunk(delta: OpenAIChunkDelta, finish: OpenAIFinishReason | null): string {
    const chunk: OpenAIChatCompletionChunk = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    };
    if (this.includeUsage) chunk.usage = null;
    return frame(chunk);
  }

  /** The first chunk names the role; later ones only carry their delta. */
  delta(delta: OpenAIChunkDelta): string {
    if (!this.#roleSent) {
      this.#roleSent = true;
      return this.#chunk({ role: 'assistant', ...delta }, null);
    }
    return this.#chunk(delta, null);
  }

  /** The role chunk, if not sent yet (streams start with it, as OpenAI's do). */
  start(): string[] {
    return this.#roleSent ? [] : [this.delta({ content: '' })];
  }

  finish(reason: OpenAIFinishReason): string[] {
    return [...this.start(), this.#chunk({}, reason)];
  }

  /** The closing chunk with usage and no choices; only when the caller asked for it. */
  usage(usage: OpenAIUsage): string[] {
    if (!this.includeUsage) return [];
    const chunk: OpenAIChatCompletionChunk = { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage };
    return [frame(chunk)];
  }

  error(message: string, type: string, code: string | null = null): string {
    return frame(errorBody(message, type, code));
  }
}
