// Errors the proxy answers: on the unified door in the OpenAI error shape, with sil's stable
// code; on /bind/ as sil's own error JSON. Never more than the catalog says is safe.
import type { Context } from 'koa';
import { ERRORS, SilError, type ErrorCode } from '../errors.ts';
import type { Door } from './proxy-state.ts';

export function proxyError(code: ErrorCode, message?: string, hint?: string): SilError {
  return new SilError(code, message, { hint });
}

const TYPE: Partial<Record<number, string>> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'invalid_request_error', 429: 'rate_limit_error' };

export function sendError(ctx: Context, door: Door, err: unknown, requestId: string): void {
  const e = err instanceof SilError ? err : new SilError('SIL_INTERNAL', undefined, { cause: err });
  const shown = e.toJSON();
  ctx.status = e.expose ? e.status : ERRORS.SIL_INTERNAL.status;
  ctx.set('x-sil-request-id', requestId);
  ctx.body = door === 'unified'
    ? { error: { message: `${shown.message} ${shown.hint}`.trim(), type: TYPE[ctx.status] ?? 'api_error', code: shown.code, param: null } }
    : { error: shown };
}
