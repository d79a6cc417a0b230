// Passes a streamed answer to the caller as it arrives: each chunk is written to the socket (and
// shown to the meter), the socket's backpressure pauses the provider, and a caller that goes
// away stops the provider's answer. A stream cut after the first byte ends with an explicit SSE
// error event, never as a clean end; a cut non-SSE answer ends the connection (the caller sees
// it incomplete rather than short).
import type { ServerResponse } from 'node:http';
import type { AnswerStream } from './answer-stream.ts';
import type { AnswerMeter } from './answer-meter.ts';

/** The SSE event that ends a stream the provider cut off or that passed the total time limit. */
export function streamCutEvent(reason: Error): string {
  const message = reason.name === 'TimeoutError' ? "the provider's stream passed the binding's total time limit (failover.timeoutMs) and was cut off" : "the provider's stream was cut off";
  return `event: error\ndata: ${JSON.stringify({ error: { message, type: 'api_error', code: 'SIL_PROXY_STREAM_CUT' } })}\n\n`;
}

/** Chunks at least this large are written as they come, not gathered into a burst (no copy). */
const DIRECT_WRITE = 16 * 1024;

/** Writes the head and relays `stream`; resolves, once the answer has ended or was cut, with what the meter read (undefined without one). */
export function relayAnswer(res: ServerResponse, status: number, headers: Record<string, string | string[]>, stream: AnswerStream, meter: AnswerMeter | null, sse: boolean): Promise<unknown> {
  res.writeHead(status, headers);
  return new Promise<unknown>((resolve) => {
    let waitingForDrain = false;
    let finished = false;
    const onDrain = () => {
      waitingForDrain = false;
      stream.resume();
    };
    const settle = async () => {
      if (finished) return;
      finished = true;
      res.removeListener('close', onClose);
      let used: unknown;
      try {
        used = meter ? await meter.finish() : undefined;
      } catch {
        used = undefined;
      }
      resolve(used);
    };
    const onClose = () => {
      if (finished) return;
      stream.destroy(new Error('the caller went away'));
      void settle();
    };
    res.on('close', onClose);
    const write = (out: Buffer) => {
      if (!res.write(out) && !waitingForDrain) {
        waitingForDrain = true;
        stream.pause();
        res.once('drain', onDrain);
      }
    };
    // Small chunks that arrive in one burst (one socket read often holds many SSE events) go out
    // as one write, framed once, at the end of the burst; nothing waits longer than that.
    let burst: Buffer[] = [];
    let burstBytes = 0;
    const flush = () => {
      if (burst.length === 0) return;
      const out = burst.length === 1 ? burst[0] : Buffer.concat(burst, burstBytes);
      burst = [];
      burstBytes = 0;
      if (!res.destroyed) write(out);
    };
    stream.pipeTo({
      data(chunk) {
        meter?.tap(chunk);
        if (chunk.length >= DIRECT_WRITE) {
          flush();
          write(chunk);
        } else {
          if (burst.length === 0) queueMicrotask(flush);
          burst.push(chunk);
          burstBytes += chunk.length;
        }
        return true;
      },
      end() {
        flush();
        res.end();
        void settle();
      },
      error(err) {
        flush();
        if (sse) res.end(streamCutEvent(err));
        else res.destroy();
        void settle();
      },
    });
  });
}
