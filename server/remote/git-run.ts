// Native git for remote sync: every call has a timeout (the whole process group is killed when
// it runs out, so an ssh or https helper cannot outlive it), never asks on a terminal, answers in
// English (sync reads some of git's messages), and returns its output instead of throwing.
import { spawn } from 'node:child_process';
import { withoutCredentials } from './remote-settings.ts';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface GitCall {
  gitDir?: string;
  cwd?: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the call like its timeout (the hub is closing). */
  signal?: AbortSignal;
}

/** The environment of a git call that no one can answer: no prompts, SSH in batch mode. */
export function nonInteractiveEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C', LANGUAGE: 'C' };
  // GIT_ASKPASS stays: on servers it is a script that prints a token, not a prompt.
  if (!env.GIT_SSH_COMMAND && !env.GIT_SSH) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  return env;
}

export function runGit(args: string[], call: GitCall): Promise<GitResult> {
  const fullArgs = call.gitDir ? ['--git-dir', call.gitDir, ...args] : args;
  return new Promise((resolve) => {
    const child = spawn('git', fullArgs, { cwd: call.cwd, env: nonInteractiveEnv(call.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, call.timeoutMs);
    call.signal?.addEventListener('abort', killGroup, { once: true });
    if (call.signal?.aborted) killGroup();
    const done = (code: number, spawnError?: Error) => {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', killGroup);
      const stderr = Buffer.concat(err).toString('utf8') + (spawnError ? spawnError.message : '');
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr, timedOut });
    };
    child.on('error', (e) => done(-1, e));
    child.on('close', (code) => done(code ?? -1));
  });
}

/** A failed call in one line for logs, alerts and the status: git's last words, without credentials. */
export function describeFailure(what: string, r: GitResult, timeoutMs: number): string {
  if (r.timedOut) return `${what} timed out after ${timeoutMs / 1000} s`;
  const lines = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('hint:'));
  const text = lines.slice(-3).join(' | ') || `git exited with ${r.code}`;
  return `${what} failed: ${withoutCredentials(text).slice(0, 500)}`;
}
