// The life cycle shared by the stream translators: decode SSE, hand each event's JSON to the
// protocol, stop at an error, and close with usage (if asked), or with an error frame when the
// native stream ended before its answer was complete, then `data: [DONE]`.
import { ChunkWriter, DONE_FRAME } from './openai-stream.ts';
import { SseDecoder, type SseEvent } from './sse.ts';
import type { OpenAIUsage, StreamTranslator, TokenUsage } from './types.ts';

export abstract class SseTranslator implements StreamTranslator {
  protected readonly writer: ChunkWriter;
  /** `complete` once the native stream said the answer is whole; `error` after an error frame. */
  protected state: 'open' | 'complete' | 'error' = 'open';
  #decoder = new SseDecoder();
  #ended = false;

  constructor(writer: ChunkWriter) {
    this.writer = writer;
  }

  /** One native event's JSON data (its SSE event name too, when it has one). */
  protected abstract handle(data: unknown, event: string): string[];
  /** The usage chunk's figures. */
  protected abstract openAIUsage(): OpenAIUsage;
  /** What to tell the caller when the native stream ended too early. */
  protected abstract incomplete(): string;
  abstract usage(): TokenUsage;

  push(chunk: string | Uint8Array): string[] {
    if (this.#ended) return [];
    return this.#events(this.#decoder.push(chunk));
  }

  end(): string[] {
    if (this.#ended) return [];
    const out = this.#events(this.#decoder.end());
    this.#ended = true;
    if (this.state === 'open') out.push(...this.fail(this.incomplete(), 'api_error', 'SIL_PROXY_UPSTREAM'));
    if (this.state === 'complete') out.push(...this.writer.usage(this.openAIUsage()));
    out.push(DONE_FRAME);
    return out;
  }

  /** Sends an error frame; the stream then only waits for end(). */
  protected fail(message: string, type: string, code: string | null): string[] {
    this.state = 'error';
    return [this.writer.error(message, type, code)];
  }

  #events(events: SseEvent[]): string[] {
    const out: string[] = [];
    for (const e of events) {
      if (this.state === 'error') break;
      let data: unknown;
      try {
        data = JSON.parse(e.data);
      } catch {
        out.push(...this.fail('the upstream stream sent an event that is not JSON', 'api_error', 'SIL_PROXY_UPSTREAM'));
        break;
      }
      out.push(...this.handle(data, e.event));
    }
    return out;
  }
}
