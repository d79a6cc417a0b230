// A problem found in a config file, with the place it is at and what to do about it.
import { ERRORS, type ErrorCode } from '../errors.ts';

export interface ConfigIssue {
  /** Repository-relative path, e.g. bindings/chat.yaml. */
  file: string;
  line: number;
  column: number;
  code: ErrorCode;
  message: string;
  hint: string;
  severity: 'error' | 'warning';
}

export function issue(
  file: string,
  at: { line: number; column: number },
  code: ErrorCode,
  message: string,
  hint: string = ERRORS[code].hint,
  severity: 'error' | 'warning' = 'error',
): ConfigIssue {
  return { file, line: at.line, column: at.column, code, message, hint, severity };
}

/** One line: `path:line:column: message [CODE] hint: ...` (the form editors and CI parse). */
export function formatIssue(i: ConfigIssue): string {
  const level = i.severity === 'warning' ? 'warning: ' : '';
  return `${i.file}:${i.line}:${i.column}: ${level}${i.message} [${i.code}] hint: ${i.hint}`;
}

export function byPlace(a: ConfigIssue, b: ConfigIssue): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}
