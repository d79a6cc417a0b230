// One hub per data directory. `sil start` holds DIR/hub.lock while it runs (and `sil init` while
// it writes): a small JSON file naming the holder (PID, process start time, host, command, URL).
// A second start on the directory refuses, naming that PID. A holder that ended without removing
// the file (kill -9, a crash, a reboot) leaves a stale lock: its PID no longer runs, or now
// belongs to another process (another start time), and the next start takes it over.
//
// The file is created with link(2) from a complete temporary file, so it never exists half
// written. Taking over a stale lock happens under a second short-lived file (hub.lock.takeover),
// so that two starts that both found the same stale lock cannot both take it.
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SilError } from '../errors.ts';
import { systemProbe, type ProcessProbe } from './process-probe.ts';

export const LOCK_FILE = 'hub.lock';

export interface LockHolder {
  pid: number;
  /** The process start time (Linux); tells a reused PID from the holder. */
  startTicks?: string;
  host: string;
  command: string;
  startedAt: string;
  url?: string;
}

export interface DataLock {
  path: string;
  holder: LockHolder;
  /** Adds the hub's address, shown to a second start. */
  update(fields: { url: string }): void;
  /** Removes the file if it is still this process's; safe to call twice. */
  release(): void;
}

export interface LockOptions {
  /** What takes the lock, e.g. `sil start`. */
  command: string;
  /** The hint of the error when another process holds it. */
  hint?: (holder: LockHolder, path: string) => string;
  probe?: ProcessProbe;
}

export function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as LockHolder;
    return Number.isInteger(value?.pid) && value.pid > 0 ? value : null;
  } catch {
    return null;
  }
}

/** Whether the holder still runs: its PID is alive and, where start times are known, the same process. */
export function holderRuns(holder: LockHolder, probe: ProcessProbe): boolean {
  const found = probe.find(holder.pid);
  if (!found) return false;
  return holder.startTicks === undefined || found.startTicks === undefined || holder.startTicks === found.startTicks;
}

export function describeHolder(h: LockHolder): string {
  return `PID ${h.pid} (${h.command} on ${h.host} since ${h.startedAt}${h.url ? `, ${h.url}` : ''})`;
}

const defaultHint = (h: LockHolder, path: string) =>
  `one hub per data directory: stop that one first (kill ${h.pid}), or give this one another --data. The lock is ${path}; once PID ${h.pid} has ended, the next start takes it over.`;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SilError('SIL_DATA_DIR', `cannot create ${to}: ${(err as Error).message}`, { cause: err });
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const removeQuietly = (path: string) => {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
};

/** Replaces the stale lock whose text is `staleText` with `ours`; false when someone else moved first. */
function takeOver(path: string, staleText: string, ours: string): boolean {
  const guard = `${path}.takeover`;
  if (!tryLink(ours, guard)) {
    // Another start is taking over. A guard left by one that died in these few milliseconds is
    // removed after 10 s.
    try {
      if (Date.now() - statSync(guard).mtimeMs > 10_000) removeQuietly(guard);
    } catch {
      // gone meanwhile
    }
    sleep(50);
    return false;
  }
  try {
    if (read(path) !== staleText) return false;
    removeQuietly(path);
    return tryLink(ours, path);
  } finally {
    removeQuietly(guard);
  }
}

/** Takes DIR/hub.lock (creating DIR), or throws SIL_DATA_DIR naming the process that holds it. */
export function acquireDataLock(dataDir: string, opts: LockOptions): DataLock {
  const probe = opts.probe ?? systemProbe;
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, startTicks: probe.find(process.pid)?.startTicks, host: hostname(), command: opts.command, startedAt: new Date().toISOString() };
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(holder)}\n`);
  try {
    let taken = false;
    for (let attempt = 0; attempt < 100 && !taken; attempt++) {
      if (tryLink(temp, path)) taken = true;
      else {
        const text = read(path);
        if (text === null) continue; // released meanwhile
        const current = parseHolder(text);
        if (current && holderRuns(current, probe)) {
          throw new SilError('SIL_DATA_DIR', `${dataDir} is in use by another sil process: ${describeHolder(current)}`, { hint: (opts.hint ?? defaultHint)(current, path) });
        }
        taken = takeOver(path, text, temp);
      }
    }
    if (!taken) throw new SilError('SIL_DATA_DIR', `cannot take ${path}: it keeps changing`, { hint: 'another sil process is starting on this data directory; try again' });
  } finally {
    removeQuietly(temp);
  }
  return lockHandle(path, holder);
}

function lockHandle(path: string, holder: LockHolder): DataLock {
  const mine = (text: string | null) => {
    const h = text === null ? null : parseHolder(text);
    return h !== null && h.pid === holder.pid && h.startTicks === holder.startTicks;
  };
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    try {
      if (mine(read(path))) unlinkSync(path);
    } catch {
      // nothing left to do on the way out
    }
  };
  // Also when the process ends on an error path that skips the caller's release.
  process.on('exit', release);
  return {
    path,
    holder,
    update(fields) {
      if (released) return;
      Object.assign(holder, fields);
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify(holder)}\n`);
      renameSync(temp, path);
    },
    release,
  };
}
