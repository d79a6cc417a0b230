// How an API error is shown: a message in the page's language where the console knows the code,
// the validator's issues (file:line:column), and whether it is an edit conflict (409) that a
// reload resolves. Pure: ApiErrorView renders what these return.
import { lang, t } from '../i18n/index.ts';
import { ApiError } from './api.ts';

export interface Issue {
  file: string;
  line?: number;
  column?: number;
  message: string;
  hint?: string;
  code?: string;
  severity?: string;
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, { code: 'CLIENT', message: err instanceof Error ? err.message : String(err) });
}

export function messageOf(e: ApiError): string {
  if (e.status === 0 && e.code === 'NETWORK') return t('error.network');
  const key = `error.${e.code}`;
  const vars = { seconds: e.retryAfter ?? 1, minutes: Math.max(1, Math.ceil((e.retryAfter ?? 60) / 60)) };
  const text = t(key, vars);
  return text === key ? e.message : text;
}

/** The API's hint (English) — in Arabic only when the message itself is the API's too. */
export function hintOf(e: ApiError): string {
  if (e.status === 0 && e.code === 'NETWORK') return '';
  const translated = t(`error.${e.code}`) !== `error.${e.code}`;
  return lang() === 'en' || !translated ? e.hint : '';
}

export function issuesOf(e: ApiError): Issue[] {
  const issues = (e.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter((i): i is Issue => typeof i === 'object' && i !== null && typeof (i as Issue).message === 'string');
}

export function placeOf(i: Issue): string {
  return [i.file, i.line, i.column].filter((p) => p !== undefined && p !== '').join(':');
}

/** A 409 that a reload resolves: the config changed under the edit. */
export function isConflict(e: ApiError): boolean {
  return e.status === 409 && (e.code === 'SIL_GIT_CONFLICT' || e.code === 'SIL_GIT_REF_MOVED');
}

export function conflictFiles(e: ApiError): string[] {
  const files = (e.details as { files?: unknown } | undefined)?.files;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
}
