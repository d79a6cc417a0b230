// What a failed command prints on stderr: the error and its code, every validator issue it
// carries (one `path:line:column: message [CODE] hint: ...` line each, the form editors and CI
// parse), then what to do.
import { ERRORS, SilError } from '../errors.ts';
import { formatIssue, type ConfigIssue } from '../config/issues.ts';

/** The validator issues in an error's details (the writer's SIL_CONFIG_INVALID puts them there). */
export function issuesOf(err: SilError): ConfigIssue[] {
  const issues = (err.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter((i): i is ConfigIssue =>
    typeof i === 'object' && i !== null && typeof i.file === 'string' && typeof i.line === 'number'
    && typeof i.column === 'number' && typeof i.message === 'string' && typeof i.code === 'string' && Object.hasOwn(ERRORS, i.code));
}

export function errorLines(err: unknown): string[] {
  if (!(err instanceof SilError)) return [`sil: ${(err as Error)?.stack ?? String(err)}`];
  return [`sil: ${err.message} [${err.code}]`, ...issuesOf(err).map(formatIssue), `hint: ${err.hint}`];
}
