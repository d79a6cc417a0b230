// What the Google mocks (google-gemini.ts, google-cloud.ts; helper H2) share: Google APIs' error shape,
// `{"error": {"code", "message", "status", "details": [...]}}` (cloud.google.com/apis/design/errors;
// google.rpc.ErrorInfo / RetryInfo details).
import type { MockAnswer } from '../../helpers/catalog/provider-mock.ts';

export interface GoogleErrorBody { error: { code: number; message: string; status: string; details?: Record<string, unknown>[] } }

export function googleErrorBody(code: number, status: string, message: string, details?: Record<string, unknown>[]): GoogleErrorBody {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

export function googleError(code: number, status: string, message: string, details?: Record<string, unknown>[], headers?: Record<string, string>): MockAnswer {
  return { status: code, headers: { 'content-type': 'application/json; charset=UTF-8', ...headers }, body: JSON.stringify(googleErrorBody(code, status, message, details)) };
}

export const errorInfo = (reason: string, service: string, metadata: Record<string, string> = {}) => ({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service, ...metadata } });

export const retryInfo = (seconds: number) => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s` });
