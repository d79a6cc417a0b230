// Reads the facts of the data directory's files for checks-files.ts: a bounded walk with each
// entry's mode and owner, the running hub's uid, and user names from /etc/passwd.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileFact, FilesFacts } from './checks-files.ts';

/** Enough for any config history; past it the listing is marked truncated. */
const MAX_ENTRIES = 50_000;

async function walk(dataDir: string): Promise<{ entries: FileFact[]; truncated: boolean }> {
  const entries: FileFact[] = [];
  const queue = ['.'];
  for (let next = 0; next < queue.length; next++) {
    const rel = queue[next];
    let info;
    try {
      info = await lstat(rel === '.' ? dataDir : join(dataDir, rel));
    } catch {
      continue; // gone meanwhile (or dataDir missing: no entries)
    }
    entries.push({ rel, mode: info.mode & 0o7777, uid: info.uid, isDir: info.isDirectory() });
    if (entries.length >= MAX_ENTRIES) return { entries, truncated: true };
    if (info.isDirectory()) {
      const names = await readdir(rel === '.' ? dataDir : join(dataDir, rel)).catch(() => [] as string[]);
      for (const n of names.sort()) queue.push(rel === '.' ? n : `${rel}/${n}`);
    }
  }
  return { entries, truncated: false };
}

/** The real uid of a process (Linux), null when unknown. */
export async function processUid(pid: number): Promise<number | null> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const uid = text ? /^Uid:\s+(\d+)/m.exec(text)?.[1] : undefined;
  return uid === undefined ? null : Number(uid);
}

async function userNames(): Promise<(uid: number) => string> {
  const names = new Map<number, string>();
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  for (const line of passwd.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && !names.has(Number(uid))) names.set(Number(uid), name);
  }
  return (uid) => names.get(uid) ?? `uid ${uid}`;
}

export async function gatherFiles(dataDir: string, hubPid: number | null): Promise<FilesFacts> {
  const [{ entries, truncated }, hubUid, nameOf] = await Promise.all([walk(dataDir), hubPid === null ? null : processUid(hubPid), userNames()]);
  return { dataDir, entries, truncated, hubUid, nameOf };
}
