// A provider's answer body as the upstream client hands it over: small JSON answers already read
// whole (no stream machinery per request), anything else as a stream the caller reads.
import type { Readable } from 'node:stream';

export type UpstreamBody =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'stream'; stream: Readable };

/** JSON answers up to this size (known from Content-Length) are read whole before the answer is handed over. */
export const SMALL_ANSWER = 256 * 1024;

/** Whether an answer with these headers is read whole. */
export function readsWhole(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const type = headers['content-type'];
  const length = Number(headers['content-length'] ?? NaN);
  return typeof type === 'string' && type.includes('json') && length <= SMALL_ANSWER;
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
  for await (const chunk of body.stream) {
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
  for await (const chunk of body.stream) yield chunk as Uint8Array;
}
