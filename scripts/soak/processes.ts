// Every process the soak starts, so that each is stopped at the end, on an error and on Ctrl-C,
// by its PID and never by name: SIGTERM, then SIGKILL after a grace period. Their output goes to
// a log file each. Also: RSS from /proc, free ports, bounded commands.
import { spawn, execFile, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

export interface Tracked { name: string; child: ChildProcess; log: string; exited: Promise<void> }

export class Processes {
  readonly #live = new Set<Tracked>();
  readonly #commands = new Set<ChildProcess>();

  /** Starts `cmd`; its stdout and stderr go to `log` (appended). */
  spawn(name: string, cmd: string, args: string[], opts: { log: string; ipc?: boolean; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void }): Tracked {
    const stdio: StdioOptions = ['ignore', 'pipe', 'pipe', ...(opts.ipc ? ['ipc' as const] : [])];
    const child = spawn(cmd, args, { stdio, env: opts.env ?? process.env });
    const out = createWriteStream(opts.log, { flags: 'a' });
    let partial = '';
    const onData = (c: Buffer) => {
      out.write(c);
      if (!opts.onLine) return;
      const text = partial + c.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) opts.onLine(l);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<void>((ok) => {
      child.once('exit', () => ok());
      child.once('error', () => ok());
    });
    const t: Tracked = { name, child, log: opts.log, exited };
    this.#live.add(t);
    void exited.then(() => {
      this.#live.delete(t);
      out.end();
    });
    return t;
  }

  running(t: Tracked): boolean {
    return this.#live.has(t) && t.child.exitCode === null && t.child.signalCode === null;
  }

  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves when it has exited. */
  async stop(t: Tracked, graceMs = 15_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running(t)) return;
    t.child.kill(signal);
    const timer = setTimeout(() => t.child.kill('SIGKILL'), graceMs);
    await t.exited;
    clearTimeout(timer);
  }

  async stopAll(graceMs = 15_000): Promise<void> {
    for (const c of this.#commands) c.kill('SIGKILL');
    await Promise.all([...this.#live].map((t) => this.stop(t, graceMs)));
  }


  /** Runs a command to its end (at most `timeoutMs`, then killed); rejects with its output when it fails. Stopped with the rest. */
  run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs: number; input?: string; env?: NodeJS.ProcessEnv }): Promise<string> {
    return new Promise((ok, fail) => {
      const child = execFile(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
        this.#commands.delete(child);
        if (err) fail(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stdout}${stderr}`.trim()));
        else ok(`${stdout}${stderr}`.trim());
      });
      this.#commands.add(child);
      // A command that exits without reading its stdin must not make the write fail the soak (EPIPE).
      child.stdin?.on('error', () => {});
      child.stdin?.end(opts.input ?? '');
    });
  }

  /** For the last moment (process 'exit'): SIGKILL whatever still runs. */
  killAllNow(): void {
    for (const t of this.#live) if (t.child.exitCode === null && t.child.signalCode === null) t.child.kill('SIGKILL');
    for (const c of this.#commands) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }

  names(): string[] {
    return [...this.#live].map((t) => `${t.name} (pid ${t.child.pid})`);
  }
}

/** Waits (at most `ms`) for a line of the process's output matching `pattern`. */
export function lineMatching(t: Tracked, pattern: RegExp, ms: number, seen: () => string): Promise<RegExpExecArray> {
  return new Promise((ok, fail) => {
    const deadline = Date.now() + ms;
    const check = () => {
      const m = pattern.exec(seen());
      if (m) return ok(m);
      if (t.child.exitCode !== null || t.child.signalCode !== null) return fail(new Error(`${t.name} exited (${t.child.exitCode ?? t.child.signalCode}) before printing ${pattern}; see ${t.log}:\n${tail(t.log)}`));
      if (Date.now() > deadline) return fail(new Error(`${t.name} did not print ${pattern} within ${ms / 1000} s; see ${t.log}:\n${tail(t.log)}`));
      setTimeout(check, 50);
    };
    check();
  });
}

/** The last lines of a log file. */
export function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resident set size of a process in MB (Linux /proc); null when it cannot be read. */
export function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export { freePort } from '../bench/children.ts';

