// `sil start` as the operating system sees it: a launcher and maybe a re-run hub process, PIDs,
// ports. For the tests of the start paths (fresh clone, lock, supervisors).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { systemProbe } from '../../server/config/process-probe.ts';
import { SIL_BIN } from './cli.ts';

export interface SilProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects after `ms` or when the process exits first. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (null after a signal), within `ms`. */
  exited(ms?: number): Promise<number | null>;
}

export function spawnSil(args: string[], opts: { bin?: string; nodeArgs?: string[]; env?: NodeJS.ProcessEnv; cwd?: string } = {}): SilProcess {
  // The flags decide, not a SIL_DATA / SIL_HOST / SIL_PORT of the environment the tests run in.
  const { SIL_DATA, SIL_HOST, SIL_PORT, ...env } = process.env;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.bin ?? SIL_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitFor(pattern, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        const check = () => {
          const m = pattern.exec(output);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${ms} ms:\n${output}`));
        }, ms);
        listeners.add(check);
        void exit.then((code) => {
          if (!listeners.has(check)) return;
          check();
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`exited with ${code} before ${pattern}:\n${output}`));
        });
        check();
      });
    },
    exited(ms = 15_000) {
      return Promise.race([exit, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${output}`)), ms).unref())]);
    },
  };
}

/** Polls `check` every 50 ms until it holds; false when `ms` pass first. */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const processRuns = (pid: number): boolean => systemProbe.find(pid) !== null;

/** Whether 127.0.0.1:port can be bound now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Kills a process this test started (by PID), if it still runs. */
export function killIfRunning(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined || !processRuns(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    // ended meanwhile
  }
}
