// A provider's answer body as the upstream client hands it over: read whole when that is cheaper
// (a small answer, or a JSON answer of unknown length that turns out small), else as a stream
// passed on as it arrives (answer-stream.ts).
import type { AnswerStream } from './answer-stream.ts';
import { contentTypeOf, isJsonDocument, isJsonStream, isSse } from './media-type.ts';

export type UpstreamBody =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'stream'; stream: AnswerStream };

/**
 * Answers up to this size are read whole before they are handed over: one buffer, one write to
 * the caller with a Content-Length. A JSON answer without Content-Length (chunked) is collected
 * up to this size too and becomes a stream only if it grows past it.
 */
export const SMALL_ANSWER = 256 * 1024;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * How an answer with these headers is read: 'whole' (its length is known and small),
 * 'collect' (JSON of unknown length: read whole unless it grows past SMALL_ANSWER) or 'stream'.
 */
export function readingOf(headers: Headers): 'whole' | 'collect' | 'stream' {
  const type = contentTypeOf(headers);
  // Streams by nature are passed on as they come, whatever their size.
  if (isSse(type) || isJsonStream(type)) return 'stream';
  const lengthHeader = headers['content-length'];
  if (lengthHeader !== undefined) return Number(lengthHeader) <= SMALL_ANSWER ? 'whole' : 'stream';
  return isJsonDocument(type) ? 'collect' : 'stream';
}

/** Throws the answer away (a failed attempt): a stream is stopped, which frees its connection. */
export function discardBody(body: UpstreamBody): void {
  if (body.kind === 'stream') body.stream.destroy();
}

/** The whole body as text, at most `max` characters of it. */
export async function bodyText(body: UpstreamBody, max: number): Promise<string> {
  if (body.kind === 'bytes') return body.bytes.toString('utf8', 0, Math.min(body.bytes.length, max));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body.stream.toReadable()) {
    if (size < max) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length > max ? text.slice(0, max) : text;
}

/** The body as chunks, for translating streams. */
export async function* bodyChunks(body: UpstreamBody): AsyncGenerator<Uint8Array> {
  if (body.kind === 'bytes') {
    yield body.bytes;
    return;
  }
  for await (const chunk of body.stream.toReadable()) yield chunk as Uint8Array;
}
