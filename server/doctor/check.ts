// One line of `sil doctor`: what was checked, how it stands, and what to do about it.

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Short and stable: node, git, ownership, modes, age-identity, signing-key, hook, config, owner, hub, clock, redis, remote, disk, listen. */
  id: string;
  status: CheckStatus;
  /** What was found. */
  message: string;
  /** What to do (for warn and fail). */
  fix?: string;
}

export const ok = (id: string, message: string): CheckResult => ({ id, status: 'ok', message });
export const skip = (id: string, message: string): CheckResult => ({ id, status: 'skip', message });
export const warn = (id: string, message: string, fix: string): CheckResult => ({ id, status: 'warn', message, fix });
export const fail = (id: string, message: string, fix: string): CheckResult => ({ id, status: 'fail', message, fix });

const LABEL: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** `ok   node        v24.1.0` / `FAIL hook        … — fix: …` */
export function formatCheck(r: CheckResult): string {
  return `${LABEL[r.status]} ${r.id.padEnd(12)} ${r.message}${r.fix ? ` — fix: ${r.fix}` : ''}`;
}

export function summary(results: readonly CheckResult[]): { line: string; exitCode: number } {
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  const failed = count('fail');
  return {
    line: `${results.length} checks: ${count('ok')} ok, ${count('warn')} warn, ${failed} FAIL, ${count('skip')} skipped`,
    exitCode: failed > 0 ? 1 : 0,
  };
}
