// Writes the proxy's answer straight to the socket (Koa's own response handling is skipped on
// the hot path: it costs more than the rest of a small answer). Bytes get a Content-Length;
// streams are piped, and a caller that goes away stops the stream.
import type { Context } from 'koa';
import { pipeline, type Readable } from 'node:stream';

export type AnswerHeaders = Record<string, string | string[]>;

const NO_BODY = new Set([204, 304]);

export function writeAnswer(ctx: Context, status: number, headers: AnswerHeaders, body: Buffer | Uint8Array | string | Readable): void {
  ctx.respond = false;
  const res = ctx.res;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    if (NO_BODY.has(status)) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    // A HEAD answer carries the length of the body it does not send.
    headers['content-length'] ??= String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    res.writeHead(status, headers);
    res.end(body);
    return;
  }
  res.writeHead(status, headers);
  pipeline(body, res, () => undefined);
}
