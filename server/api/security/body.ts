// Request bodies of the owner API: small JSON documents. `readJsonBody` reads one, bounded;
// `apiBodyLimit` refuses any /api request that declares a larger body before a route runs (a
// route that forgets the limit is still covered for bodies with a Content-Length).
//
// Usage in a route:  const input = await readJsonBody(ctx);          // 1 MiB default
//                    const input = await readJsonBody(ctx, 64 * 1024);
import type { Context, Next } from 'koa';
import { SilError } from '../../errors.ts';
import { isApiPath } from './paths.ts';

export const DEFAULT_API_BODY_LIMIT = 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function tooLarge(limit: number, size?: number): SilError {
  return new SilError('SIL_BODY_TOO_LARGE', size === undefined ? `the body is larger than ${limit} bytes` : `the body is ${size} bytes; the limit is ${limit}`);
}

/** Refuses a declared body over `limit` (and ends the connection, so the body is not read). */
function checkDeclared(ctx: Context, limit: number): void {
  const declared = ctx.get('content-length');
  if (declared && Number(declared) > limit) {
    ctx.set('Connection', 'close');
    throw tooLarge(limit, Number(declared));
  }
}

/**
 * The request body parsed as JSON. 413 SIL_BODY_TOO_LARGE over `limit` bytes (declared or read),
 * 415 SIL_BODY_MEDIA_TYPE unless Content-Type is application/json (or +json), 400
 * SIL_BODY_INVALID for an empty body, bad UTF-8 or bad JSON. Reads the body once; a second call
 * returns the same value.
 */
export async function readJsonBody(ctx: Context, limit = DEFAULT_API_BODY_LIMIT): Promise<unknown> {
  if ('silJsonBody' in ctx.state) return ctx.state.silJsonBody;
  checkDeclared(ctx, limit);
  if (!JSON_TYPE.test(ctx.get('content-type'))) throw new SilError('SIL_BODY_MEDIA_TYPE', `Content-Type is "${ctx.get('content-type') || '(none)'}"; application/json expected`);
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    const req = ctx.req;
    if (req.readableEnded) return resolve();
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        ctx.set('Connection', 'close');
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve());
    req.once('error', reject);
  });
  if (size === 0) throw new SilError('SIL_BODY_INVALID', 'the body is empty; send a JSON document');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new SilError('SIL_BODY_INVALID', 'the body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault: it could be part of a secret.
    throw new SilError('SIL_BODY_INVALID', 'the body is not valid JSON');
  }
  ctx.state.silJsonBody = value;
  return value;
}

/** readJsonBody, refusing anything but a JSON object (400 SIL_BODY_INVALID). */
export async function readJsonObject(ctx: Context, limit = DEFAULT_API_BODY_LIMIT): Promise<Record<string, unknown>> {
  const value = await readJsonBody(ctx, limit);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new SilError('SIL_BODY_INVALID', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** Refuses /api requests whose Content-Length exceeds `limit`, before any route runs. */
const BUNDLE_PATHS: ReadonlySet<string> = new Set(['/api/import', '/api/import/preview']);

export function apiBodyLimit(limit = DEFAULT_API_BODY_LIMIT) {
  return async function limitApiBody(ctx: Context, next: Next): Promise<void> {
    // Imports carry whole config bundles and enforce their own, larger limit (bundle-body.ts).
    if (isApiPath(ctx.path) && !BUNDLE_PATHS.has(ctx.path)) checkDeclared(ctx, limit);
    await next();
  };
}
