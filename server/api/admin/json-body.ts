// Reads a JSON request body for the admin API: at most 1 MiB, application/json, one JSON object.
// Errors never repeat the body (it may hold a secret).
import type { IncomingMessage } from 'node:http';
import { SilError } from '../../errors.ts';

export const MAX_JSON_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/** True when the request announces a body (a length above 0, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length.trim() !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** The raw bytes, refusing more than `limit`; stops reading (and pauses the stream) when over. */
export function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.pause();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new SilError('SIL_BODY_INVALID', 'the request body could not be read', { cause: err }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(limit: number): SilError {
  return new SilError('SIL_BODY_TOO_LARGE', `the request body is larger than ${limit} bytes`);
}

/** Parses bytes as one JSON object; an empty body is `{}`. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SilError('SIL_BODY_INVALID', 'the request body is not valid UTF-8');
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input: never echo it, it may be a secret.
    throw new SilError('SIL_BODY_INVALID');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SilError('SIL_BODY_INVALID', 'the request body must be a JSON object', { hint: 'send an object like {"base": "<commit>", ...}' });
  }
  return value as Record<string, unknown>;
}

/** The request's JSON object body, or `{}` when it has none. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_JSON_BYTES): Promise<Record<string, unknown>> {
  if (!hasBody(req)) return {};
  const type = req.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(type)) {
    req.pause();
    throw new SilError('SIL_BODY_MEDIA_TYPE', type ? `the request body is ${type.split(';')[0]}, not JSON` : undefined);
  }
  return parseJsonObject(await readLimited(req, limit));
}
