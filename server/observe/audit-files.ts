// The runtime audit log on disk: file names and rotation order, durable appends, the atomically
// written head anchor, and the read-only views (verify, pages) the CLI and the API share.
//
// data/audit/YYYY-MM-DD.jsonl     entries, one JSON line each; the day (UTC) the file was started
// data/audit/YYYY-MM-DD.N.jsonl   the Nth file of that day (N ≥ 2) once one passes the size limit
// data/audit/head.json            {"seq","hash","file","at"} of the last entry written
// The directory is 0700, the files 0600. Files are in chain order when sorted by (day, N).
import { mkdir, chmod, readdir, readFile, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEntry, splitLines, type AuditEntry, type AuditHead } from './audit-chain.ts';
import { verifyChain, type AuditFileText, type ChainReport } from './audit-verify.ts';

export const HEAD_FILE = 'head.json';
const FILE_NAME = /^(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d{0,5}))?\.jsonl$/;

export interface AuditFileName {
  name: string;
  day: string;
  part: number;
}

export function auditFileName(day: string, part = 1): string {
  return part === 1 ? `${day}.jsonl` : `${day}.${part}.jsonl`;
}

export function parseAuditFileName(name: string): AuditFileName | null {
  const m = FILE_NAME.exec(name);
  return m ? { name, day: m[1], part: m[2] ? Number(m[2]) : 1 } : null;
}

/** The audit files of a directory in chain order ([] when the directory does not exist). */
export async function listAuditFiles(dir: string): Promise<AuditFileName[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map(parseAuditFileName)
    .filter((f): f is AuditFileName => f !== null)
    .sort((a, b) => (a.day === b.day ? a.part - b.part : a.day < b.day ? -1 : 1));
}

export async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function ensureAuditDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** Appends text to a file (created 0600) and waits until it is on disk. */
export async function appendDurably(path: string, text: string): Promise<void> {
  const fh = await open(path, 'a', 0o600);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** Replaces head.json atomically: a synced temporary file renamed over it, then the directory synced. */
export async function writeHead(dir: string, head: AuditHead): Promise<void> {
  const tmp = join(dir, `${HEAD_FILE}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(head)}\n`, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, HEAD_FILE));
  const d = await open(dir, 'r').catch(() => null); // directory fsync: not on every platform
  if (!d) return;
  try {
    await d.sync();
  } catch {
    // best effort
  } finally {
    await d.close();
  }
}

export interface AuditVerification {
  report: ChainReport;
  files: string[];
}

/** Checks the whole log of a directory without changing anything. */
export async function verifyAuditDir(dir: string): Promise<AuditVerification> {
  // head.json first: a hub appending meanwhile can then only make it lag (a warning), never run
  // ahead of the lines read (which would look like a removed tail).
  const headText = await readTextOrNull(join(dir, HEAD_FILE));
  const files = await listAuditFiles(dir);
  const texts: AuditFileText[] = [];
  for (const f of files) texts.push({ name: f.name, text: (await readTextOrNull(join(dir, f.name))) ?? '' });
  return { report: verifyChain(texts, headText), files: files.map((f) => f.name) };
}

export interface AuditPageQuery {
  /** Only entries with a seq below this (the `next` of the previous page). */
  before?: number;
  limit?: number;
  type?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: number | null;
}

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 50;

/** Entries newest first, filtered by type, below `before`. Lines that are not entries are skipped. */
export async function readAuditPage(dir: string, q: AuditPageQuery = {}): Promise<AuditPage> {
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? DEFAULT_PAGE) || DEFAULT_PAGE, 1), MAX_PAGE);
  const files = await listAuditFiles(dir);
  const found: AuditEntry[] = [];
  for (let i = files.length - 1; i >= 0 && found.length <= limit; i--) {
    const lines = splitLines((await readTextOrNull(join(dir, files[i].name))) ?? '');
    for (let j = lines.length - 1; j >= 0 && found.length <= limit; j--) {
      const p = parseEntry(lines[j]);
      if (!('entry' in p)) continue;
      if (q.before !== undefined && p.entry.seq >= q.before) continue;
      if (q.type !== undefined && p.entry.type !== q.type) continue;
      found.push(p.entry);
    }
  }
  const entries = found.slice(0, limit);
  return { entries, next: found.length > limit ? entries[entries.length - 1].seq : null };
}
