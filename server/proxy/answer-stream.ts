// A provider's answer body that is passed on as it arrives (an SSE stream, a large or unframed
// answer). Lighter than a Node stream: the chunks go straight from undici's handler to one sink,
// and the sink's backpressure pauses the provider's connection. Chunks that arrive before the
// sink is attached wait in a short queue (the connection is paused once it holds HIGH_WATER).
import { Readable } from 'node:stream';

export interface ChunkSink {
  /** A chunk of the answer; false asks for a pause until AnswerStream.resume(). */
  data(chunk: Buffer): boolean;
  end(): void;
  /** The answer was cut (provider gone, total time limit): no more chunks will come. */
  error(err: Error): void;
}

/** What the upstream connection lets the stream do (undici's dispatch controller). */
export interface FlowControl {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

const HIGH_WATER = 64 * 1024;

export class AnswerStream {
  #sink: ChunkSink | null = null;
  #queue: Buffer[] = [];
  #queued = 0;
  #ended = false;
  #error: Error | null = null;
  #done = false;
  readonly #flow: FlowControl;

  constructor(flow: FlowControl) {
    this.#flow = flow;
  }

  // The provider's side (upstream.ts).

  push(chunk: Buffer): void {
    if (this.#done) return;
    if (this.#sink) {
      if (!this.#sink.data(chunk)) this.#flow.pause();
      return;
    }
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    if (this.#queued >= HIGH_WATER) this.#flow.pause();
  }

  end(): void {
    if (this.#done) return;
    if (this.#sink) {
      this.#done = true;
      this.#sink.end();
    } else this.#ended = true;
  }

  fail(err: Error): void {
    if (this.#done) return;
    if (this.#sink) {
      this.#done = true;
      this.#sink.error(err);
    } else this.#error = err;
  }

  // The caller's side.

  /** Sends everything (what has arrived, then the rest as it comes) to `sink`. Once only. */
  pipeTo(sink: ChunkSink): void {
    if (this.#sink) throw new Error('the answer stream already has a reader');
    this.#sink = sink;
    const queued = this.#queue;
    this.#queue = [];
    let paused = false;
    for (const chunk of queued) if (!sink.data(chunk)) paused = true;
    if (this.#error) {
      this.#done = true;
      sink.error(this.#error);
    } else if (this.#ended) {
      this.#done = true;
      sink.end();
    } else if (this.#queued >= HIGH_WATER && !paused) this.#flow.resume();
    else if (paused) this.#flow.pause();
    this.#queued = 0;
  }

  /** The sink cannot take more for now (it calls resume() when it can). */
  pause(): void {
    if (!this.#done) this.#flow.pause();
  }

  /** The sink can take more. */
  resume(): void {
    if (!this.#done) this.#flow.resume();
  }

  /** Stops the answer (a failed attempt, a caller that went away): the connection is freed. */
  destroy(reason?: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#queue = [];
    this.#flow.abort(reason ?? new Error('the answer was not read'));
  }

  /** A Node Readable of the answer, for readers that want one (protocol adapters). */
  toReadable(): Readable {
    const readable: Readable = new Readable({
      read: () => this.resume(),
      destroy: (err, cb) => {
        if (!readable.readableEnded) this.destroy(err ?? undefined);
        cb(err);
      },
    });
    this.pipeTo({ data: (c) => readable.push(c), end: () => readable.push(null), error: (e) => readable.destroy(e) });
    return readable;
  }
}
