// Undoes a provider's Content-Encoding for reading what an answer used — never for what the
// caller gets: the caller receives the provider's bytes as they came, with their encoding.
// Small bodies are decoded at once (a few microseconds; small gzip bodies together, once per turn
// of the event loop: gzip-batch.ts), larger ones in libuv's thread pool.
import { brotliDecompress, brotliDecompressSync, createBrotliDecompress, createGunzip, createInflate, gunzip, gunzipSync, inflate, inflateSync } from 'node:zlib';
import type { Transform } from 'node:stream';
import { GzipBatch } from './gzip-batch.ts';
import * as zlib from 'node:zlib';

const SYNC_BELOW = 64 * 1024;
/** At most this much decoded text is read for usage: a bound on what a compressed answer can expand to. */
export const MAX_DECODED = 16 * 1024 * 1024;

type Sync = (b: Buffer, o: zlib.ZlibOptions | zlib.BrotliOptions) => Buffer;
type Async = (b: Buffer, o: zlib.ZlibOptions | zlib.BrotliOptions, cb: (err: Error | null, out: Buffer) => void) => void;
interface Codec { sync: Sync; async: Async; stream: (o: zlib.ZlibOptions | zlib.BrotliOptions) => Transform }

// zstd arrived in Node 23.8 / 22.15; where it is missing, zstd answers are passed on unread.
const z = zlib as unknown as Record<string, unknown>;
const zstd: Codec | undefined = typeof z.zstdDecompressSync === 'function' ? { sync: z.zstdDecompressSync as Sync, async: z.zstdDecompress as Async, stream: z.createZstdDecompress as Codec['stream'] } : undefined;

const CODECS: Record<string, Codec | undefined> = {
  gzip: { sync: gunzipSync as Sync, async: gunzip as Async, stream: createGunzip },
  'x-gzip': { sync: gunzipSync as Sync, async: gunzip as Async, stream: createGunzip },
  deflate: { sync: inflateSync as Sync, async: inflate as Async, stream: createInflate },
  br: { sync: brotliDecompressSync as Sync, async: brotliDecompress as Async, stream: createBrotliDecompress },
  zstd,
};

/** The encodings of a Content-Encoding header, in the order they were applied; [] for identity. */
export function encodingsOf(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const list = (Array.isArray(header) ? header.join(',') : header).split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && s !== 'identity');
  return list;
}

/** Whether every encoding in the list can be undone here. */
export function canDecode(encodings: readonly string[]): boolean {
  return encodings.every((e) => CODECS[e] !== undefined);
}

const OPTIONS = { maxOutputLength: MAX_DECODED };

const gzipBatch = new GzipBatch(MAX_DECODED);
const isGzip = (encodings: readonly string[]) => encodings.length === 1 && (encodings[0] === 'gzip' || encodings[0] === 'x-gzip');

/**
 * The decoded bytes (undefined when an encoding is unknown or the data is corrupt or too large).
 * Small gzip bodies, the common case, are decoded in a batch at the end of the event loop's turn.
 */
export function decodeBody(bytes: Buffer, encodings: readonly string[]): Buffer | Promise<Buffer | undefined> | undefined {
  if (!canDecode(encodings)) return undefined;
  if (bytes.length < SYNC_BELOW && isGzip(encodings)) return gzipBatch.decode(bytes);
  if (bytes.length < SYNC_BELOW) {
    try {
      let out = bytes;
      for (let i = encodings.length - 1; i >= 0; i--) out = CODECS[encodings[i]]!.sync(out, OPTIONS);
      return out;
    } catch {
      return undefined;
    }
  }
  return (async () => {
    let out = bytes;
    for (let i = encodings.length - 1; i >= 0; i--) {
      const codec = CODECS[encodings[i]]!;
      const next = await new Promise<Buffer | undefined>((ok) => codec.async(out, OPTIONS, (err, r) => ok(err ? undefined : r)));
      if (!next) return undefined;
      out = next;
    }
    return out;
  })();
}

/**
 * A decoder for a streamed answer: `write` the provider's chunks, get decoded chunks in
 * `onData`, and `end` resolves when all were decoded (false when the data was corrupt).
 */
export function streamDecoder(encodings: readonly string[], onData: (chunk: Buffer) => void): { write(chunk: Buffer): void; end(): Promise<boolean> } | undefined {
  const stages = encodings.length === 0 ? undefined : decoderStages(encodings);
  if (!stages) return undefined;
  for (let i = 0; i < stages.length - 1; i++) stages[i].pipe(stages[i + 1]);
  const last = stages[stages.length - 1];
  let failed = false;
  for (const s of stages) s.on('error', () => (failed = true));
  last.on('data', onData);
  const done = new Promise<boolean>((ok) => {
    last.once('end', () => ok(!failed));
    for (const s of stages) s.once('error', () => ok(false));
  });
  return {
    write: (chunk) => {
      if (!failed) stages[0].write(chunk);
    },
    end: () => {
      stages[0].end();
      return done;
    },
  };
}

/** Node streams that undo `encodings` in order, for readers that want a stream (adapters); undefined when one is unknown. */
export function decoderStages(encodings: readonly string[]): Transform[] | undefined {
  if (!canDecode(encodings)) return undefined;
  return [...encodings].reverse().map((e) => CODECS[e]!.stream(OPTIONS));
}
