// A Node child process that reports in JSON lines on stdout (test/helpers/children/): wait for a
// line with a bounded wait, read its memory from /proc, stop it by closing its stdin (then
// SIGKILL by its PID if it does not exit in time).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface LineChild {
  pid: number;
  stderr(): string;
  /** The next line (from now on, or already received and not yet taken) that `match` accepts. */
  line<T>(match: (l: Record<string, unknown>) => boolean, timeoutMs: number): Promise<T>;
  stop(timeoutMs?: number): Promise<void>;
}

/** `maxOpenFiles` sets the child's open-files limit, soft and hard (bash's ulimit, then exec: the PID stays the child's). */
export function startChild(script: string, args: string[], opts: { maxOpenFiles?: number } = {}): LineChild {
  const path = fileURLToPath(new URL(`./children/${script}`, import.meta.url));
  const command = opts.maxOpenFiles === undefined
    ? [process.execPath, path, ...args]
    : ['bash', '-c', `ulimit -n ${opts.maxOpenFiles} && exec "$0" "$@"`, process.execPath, path, ...args];
  const child: ChildProcess = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let pending = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-20_000)));
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    pending += c;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Record<string, unknown>);
    for (const w of waiters) w();
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.once('exit', () => {
    for (const w of waiters) w();
  });
  return {
    pid: child.pid!,
    stderr: () => stderr,
    line<T>(match: (l: Record<string, unknown>) => boolean, timeoutMs: number): Promise<T> {
      return new Promise<T>((ok, fail) => {
        const check = () => {
          const i = lines.findIndex(match);
          if (i >= 0) {
            done();
            ok(lines.splice(0, i + 1)[i] as T);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            fail(new Error(`${script} exited (${child.exitCode ?? child.signalCode}) before the expected line; stderr:\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          fail(new Error(`${script} sent no expected line within ${timeoutMs} ms; stderr:\n${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop(timeoutMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident memory of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/** Open sockets of a process (Linux /proc): its connections and listening sockets. */
export function socketCountOf(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // Closed while listed.
    }
  }
  return n;
}
