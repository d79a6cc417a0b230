// Streams a provider's answer to the caller while reading what it used: the JSON body of a
// plain answer (bounded), or the last `usage` of an SSE stream. A stream cut after the first
// byte ends with an explicit SSE error event, never as a clean end.
import { Transform, type Readable } from 'node:stream';

const MAX_JSON = 16 * 1024 * 1024;

export interface MeteredBody {
  stream: Readable;
  /** Resolves when the answer has been passed on: the parsed JSON body or last SSE usage object. */
  done: Promise<{ json?: unknown; cut: boolean }>;
}

export function meterBody(upstream: Readable, contentType: string): MeteredBody {
  const sse = contentType.includes('text/event-stream');
  const json = contentType.includes('json');
  const chunks: Buffer[] = [];
  let size = 0;
  let pending = '';
  let lastUsage: unknown;
  let resolve!: (v: { json?: unknown; cut: boolean }) => void;
  const done = new Promise<{ json?: unknown; cut: boolean }>((r) => (resolve = r));

  const scanSse = (text: string) => {
    pending += text;
    const events = pending.split('\n\n');
    pending = events.pop() ?? '';
    for (const event of events) {
      for (const line of event.split('\n')) {
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (!data.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(data) as Record<string, unknown>;
          if (parsed.usage) lastUsage = parsed;
        } catch {
          // Not JSON: passed on untouched.
        }
      }
    }
  };

  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (sse) scanSse(chunk.toString('utf8'));
      else if (json && size + chunk.length <= MAX_JSON) chunks.push(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      let parsed: unknown;
      if (sse) parsed = lastUsage;
      else if (json && size <= MAX_JSON) {
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          parsed = undefined;
        }
      }
      resolve({ json: parsed, cut: false });
      cb();
    },
  });

  upstream.on('error', () => {
    if (sse) meter.end('event: error\ndata: {"error":{"message":"the provider\'s stream was cut off","type":"api_error","code":"SIL_PROXY_STREAM_CUT"}}\n\n');
    else meter.destroy(new Error('the provider\'s answer was cut off'));
    resolve({ json: sse ? lastUsage : undefined, cut: true });
  });
  // A caller that went away stops the provider's answer too (the connection is freed).
  meter.once('close', () => {
    if (!upstream.readableEnded) upstream.destroy();
  });
  upstream.pipe(meter);
  return { stream: meter, done };
}
