// Child processes of bench:proxy: started with a ready handshake, stopped for sure, and read
// from /proc (RSS, CPU time) while they run.
import { fork, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import type { ChildMessage } from './messages.ts';

export const children: ChildProcess[] = [];

/** The last `limit` characters a child printed, for error messages. */
export function tail(child: ChildProcess, limit = 4000): () => string {
  let text = '';
  const keep = (c: Buffer) => {
    text = (text + c.toString('utf8')).slice(-limit);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

export type Ready = Extract<ChildMessage, { type: 'ready' }>;

/** Forks `script` (a file of scripts/bench/) and waits for its ready message. */
export async function forkChild(script: URL, args: string[], execArgv: string[] = [], timeoutMs = 60_000): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(script, args, { execPath: process.execPath, execArgv: [...process.execArgv, ...execArgv], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  children.push(child);
  const output = tail(child);
  const name = script.pathname.split('/').pop();
  const ready = await new Promise<Ready>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name}: not ready after ${timeoutMs} ms\n${output()}`)), timeoutMs);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        ok(m);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${name}: exited (${code ?? signal}) before it was ready\n${output()}`));
    });
  });
  return { child, ready };
}

/** Asks a child one question over IPC and waits (at most 2 s) for the answer of type `answer`. */
export function ask<T extends ChildMessage['type']>(child: ChildProcess, question: string, answer: T): Promise<Extract<ChildMessage, { type: T }> | null> {
  return new Promise((ok) => {
    const timer = setTimeout(() => done(null), 2000);
    const onMsg = (m: ChildMessage) => {
      if (m.type === answer) done(m as Extract<ChildMessage, { type: T }>);
    };
    const done = (v: Extract<ChildMessage, { type: T }> | null) => {
      clearTimeout(timer);
      child.removeListener('message', onMsg);
      ok(v);
    };
    child.on('message', onMsg);
    child.send({ type: question });
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in MB, from /proc (Linux); NaN where that cannot be read. */
export function rssMb(pid: number | undefined): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

let clockTicks = 0;
/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); NaN where that cannot be read. */
export function cpuMs(pid: number | undefined): number {
  try {
    if (!clockTicks) clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return NaN;
  }
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs: number }): Promise<{ ok: boolean; out: string }> {
  return new Promise((ok) => {
    execFile(cmd, args, { cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      ok({ ok: !err, out: `${err ? `${err.message}\n` : ''}${stdout}${stderr}`.trim() });
    });
  });
}
