// Reads the body of an import: a YAML or JSON bundle of up to 10 MiB (larger than the JSON
// bodies of the other routes), with a clear 413. A body parser mounted in front may already
// have read the body: its result is used then.
import type { Context } from 'koa';
import { SilError } from '../../errors.ts';
import { isMapping, MAX_BUNDLE_BYTES } from './bundle.ts';

type ParsedRequest = { body?: unknown; rawBody?: unknown };

function tooLarge(ctx: Context, limit: number): SilError {
  // The rest of the body is not read: close the connection after answering.
  ctx.set('Connection', 'close');
  return new SilError('SIL_BUNDLE_TOO_LARGE', `the bundle is larger than ${limit} bytes (${Math.round(limit / 1024 / 1024)} MiB)`);
}

/** The body as text (UTF-8), or the value a body parser in front already made of it. */
export async function readBundleBody(ctx: Context, limit = MAX_BUNDLE_BYTES): Promise<{ text: string } | { value: unknown }> {
  const req = ctx.request as unknown as ParsedRequest;
  const early = typeof req.rawBody === 'string' ? req.rawBody : typeof req.body === 'string' ? req.body : undefined;
  if (early !== undefined) {
    if (Buffer.byteLength(early) > limit) throw tooLarge(ctx, limit);
    return { text: early };
  }
  if (req.body !== undefined && !(isMapping(req.body) && Object.keys(req.body).length === 0)) return { value: req.body };
  if (Number(ctx.get('content-length') || 0) > limit) throw tooLarge(ctx, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(ctx, limit);
    chunks.push(chunk);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) };
  } catch {
    throw new SilError('SIL_BUNDLE_FORMAT', 'the body is not valid UTF-8');
  }
}
