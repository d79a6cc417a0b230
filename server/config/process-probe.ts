// Whether a process is running, and which one it is: the lock of the data directory names its
// holder by PID, and a PID can outlive its process (a crash) or be reused by another one later.
import { existsSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  /** The process start time in clock ticks since boot (Linux /proc/<pid>/stat, field 22), when known. */
  startTicks?: string;
}

export interface ProcessProbe {
  /** The process with this PID, or null when none runs (a zombie counts as gone). */
  find(pid: number): ProcessInfo | null;
}

/** Field 3 (state) and 22 (starttime) of /proc/<pid>/stat; the name in field 2 may hold spaces and ")". */
export function parseProcStat(text: string): { state: string; startTicks: string } | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return fields.length > 19 ? { state: fields[0], startTicks: fields[19] } : null;
}

const HAS_PROC = existsSync('/proc/self/stat');

/** null: no such process; undefined: not known here (no /proc, as on macOS). */
function procStat(pid: number): { state: string; startTicks: string } | null | undefined {
  if (!HAS_PROC) return undefined;
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) ?? undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : undefined;
  }
}

/** The running system: /proc on Linux, kill(pid, 0) elsewhere (no start time there). */
export const systemProbe: ProcessProbe = {
  find(pid) {
    const stat = procStat(pid);
    if (stat === null) return null;
    if (stat) return stat.state === 'Z' || stat.state === 'X' ? null : { startTicks: stat.startTicks };
    try {
      process.kill(pid, 0);
      return {};
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM' ? {} : null;
    }
  },
};
