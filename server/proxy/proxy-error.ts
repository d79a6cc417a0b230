// Errors the proxy answers: on the unified door in the OpenAI error shape, with sil's stable
// code; on /bind/ as sil's own error JSON. Never more than the catalog says is safe.
import type { Context } from 'koa';
import { ERRORS, SilError, type ErrorCode } from '../errors.ts';
import type { Door } from './proxy-state.ts';
import { writeAnswer } from './respond.ts';

export function proxyError(code: ErrorCode, message?: string, hint?: string): SilError {
  return new SilError(code, message, { hint });
}

/** Capitalised and ending with a full stop (sil's messages are lower-case clauses). */
function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return `${t[0].toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

/**
 * The unified door's one `message` (OpenAI clients show only that field): the error, then the
 * hint as its own sentence — the same two texts /bind/ answers as `message` and `hint`.
 */
export function unifiedMessage(message: string, hint: string): string {
  const m = sentence(message);
  const h = sentence(hint);
  return h ? `${m} Hint: ${h}` : m;
}

const TYPE: Partial<Record<number, string>> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'invalid_request_error', 429: 'rate_limit_error' };

export function sendError(ctx: Context, door: Door, err: unknown, requestId: string): void {
  const e = err instanceof SilError ? err : new SilError('SIL_INTERNAL', undefined, { cause: err });
  const shown = e.toJSON();
  if (ctx.res.headersSent) {
    // The answer had begun: nothing can be said any more; the caller sees the connection end.
    ctx.res.destroy();
    return;
  }
  const status = e.expose ? e.status : ERRORS.SIL_INTERNAL.status;
  const body = door === 'unified'
    ? { error: { message: unifiedMessage(shown.message, shown.hint), type: TYPE[status] ?? 'api_error', code: shown.code, param: null } }
    : { error: shown };
  writeAnswer(ctx, status, { 'content-type': 'application/json; charset=utf-8', 'x-sil-request-id': requestId }, JSON.stringify(body));
}
