// The runtime audit log: appends events that are not config changes (logins, failed logins, token
// use denied, failovers, config rejected, ...) to data/audit/ as hash-chained JSON lines.
//
//   const audit = await AuditLog.open(join(dataDir, 'audit'));
//   await audit.append({ type: 'login.failed', actor: 'anonymous', ip, detail: { reason: 'bad password' } });
//
// Appends go through one in-process queue: entries never interleave, each batch (the events that
// arrived while the previous write was on its way) is one write and one fsync, and append()
// resolves once its entry is on disk and head.json names it. One process writes a directory.
// The format is in audit-chain.ts, what may be logged in audit-event.ts, the files in audit-files.ts.
import { join } from 'node:path';
import { sanitizeEvent, type AuditEvent, type AuditDetailValue } from './audit-event.ts';
import { EMPTY_TIP, formatLine, nextEntry, parseEntry, parseHead, splitLines, type AuditEntry, type ChainTip } from './audit-chain.ts';
import {
  appendDurably, auditFileName, ensureAuditDir, HEAD_FILE, listAuditFiles, readAuditPage, readTextOrNull, verifyAuditDir, writeHead,
  type AuditFileName, type AuditPage, type AuditPageQuery, type AuditVerification,
} from './audit-files.ts';

export { AUDIT_EVENT_TYPES, redactSecrets, isAuditEventType } from './audit-event.ts';
export type { AuditEvent, AuditEventType, AuditActor, AuditDetailValue } from './audit-event.ts';
export type { AuditEntry } from './audit-chain.ts';
export type { AuditPage, AuditPageQuery, AuditVerification } from './audit-files.ts';

export interface AuditLogOptions {
  now?: () => Date;
  /** A file that would grow past this starts the day's next file (default 16 MiB). */
  maxFileBytes?: number;
  /** Told when head.json cannot be updated (the entries themselves are written). */
  onError?: (err: Error) => void;
}

type Clean = AuditEvent & { detail: Record<string, AuditDetailValue> };
interface Pending { event: Clean; at: string; resolve: (e: AuditEntry) => void; reject: (err: unknown) => void }
interface Group { file: AuditFileName; text: string; bytes: number; done: Array<[Pending, AuditEntry]> }

const MAX_BATCH = 256;

export class AuditLog {
  readonly dir: string;
  readonly #now: () => Date;
  readonly #maxFileBytes: number;
  readonly #onError: (err: Error) => void;
  #tip: ChainTip = EMPTY_TIP;
  #file: AuditFileName | null = null;
  #size = 0;
  /** The last file does not end with a newline (a write cut short): start on a new line. */
  #torn = false;
  #pending: Pending[] = [];
  #draining: Promise<void> | null = null;

  private constructor(dir: string, opts: AuditLogOptions) {
    this.dir = dir;
    this.#now = opts.now ?? (() => new Date());
    this.#maxFileBytes = opts.maxFileBytes ?? 16 * 1024 * 1024;
    this.#onError = opts.onError ?? ((err) => process.emitWarning(`sil audit log: ${err.message}`));
  }

  /** Opens (creating it 0700) the directory and finds the end of the chain. */
  static async open(dir: string, opts: AuditLogOptions = {}): Promise<AuditLog> {
    await ensureAuditDir(dir);
    const log = new AuditLog(dir, opts);
    await log.#load();
    return log;
  }

  /** The seq and hash of the last entry written. */
  get tip(): ChainTip {
    return this.#tip;
  }

  /** Queues an event; resolves with its entry once it is on disk. Refuses malformed events (SIL_AUDIT_EVENT). */
  append(event: AuditEvent): Promise<AuditEntry> {
    let clean: Clean;
    try {
      clean = sanitizeEvent(event);
    } catch (err) {
      return Promise.reject(err);
    }
    const at = this.#now().toISOString();
    return new Promise((resolve, reject) => {
      this.#pending.push({ event: clean, at, resolve, reject });
      this.#draining ??= this.#drain();
    });
  }

  /** Waits until every queued event is written. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /** Entries newest first (see readAuditPage). */
  async page(q: AuditPageQuery = {}): Promise<AuditPage> {
    await this.flush();
    return readAuditPage(this.dir, q);
  }

  async verify(): Promise<AuditVerification> {
    await this.flush();
    return verifyAuditDir(this.dir);
  }

  async #load(): Promise<void> {
    const files = await listAuditFiles(this.dir);
    let fileTip = EMPTY_TIP;
    let lastEntries: AuditEntry[] = [];
    for (let i = files.length - 1; i >= 0; i--) {
      const text = (await readTextOrNull(join(this.dir, files[i].name))) ?? '';
      const entries = splitLines(text).map(parseEntry).flatMap((p) => ('entry' in p ? [p.entry] : []));
      if (i === files.length - 1) {
        [this.#file, this.#size, this.#torn, lastEntries] = [files[i], Buffer.byteLength(text), text !== '' && !text.endsWith('\n'), entries];
      }
      const last = entries.at(-1);
      if (last) {
        fileTip = { seq: last.seq, hash: last.hash };
        break;
      }
    }
    this.#tip = fileTip;
    const headText = await readTextOrNull(join(this.dir, HEAD_FILE));
    const parsed = headText === null ? null : parseHead(headText);
    let reason: string | null = null;
    if (!parsed || 'error' in parsed) {
      // Nothing to chain from but the files: the next entry records that the anchor was lost.
      if (fileTip.seq > 0 || parsed) reason = parsed ? `head.json was unreadable: ${parsed.error}` : 'head.json was missing';
    } else {
      const h = parsed.head;
      const atHead = h.seq === fileTip.seq ? fileTip : lastEntries.find((e) => e.seq === h.seq);
      if (h.seq > fileTip.seq) reason = `the log ended at seq ${fileTip.seq} but head.json recorded seq ${h.seq}`;
      else if (atHead && atHead.hash !== h.hash) reason = `seq ${h.seq} in the log did not match head.json`;
      // Chain from the anchor, not from the changed files, so that verify keeps reporting the break.
      if (reason) this.#tip = { seq: h.seq, hash: h.hash };
      else if (h.seq < fileTip.seq && this.#file) await writeHead(this.dir, { ...fileTip, file: this.#file.name, at: this.#now().toISOString() });
    }
    if (reason) await this.append({ type: 'audit.anchor.mismatch', actor: 'system', detail: { reason, logSeq: fileTip.seq } });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length) await this.#writeBatch(this.#pending.splice(0, MAX_BATCH));
    } finally {
      this.#draining = null;
    }
  }

  /** The file an entry goes to: a new one on a later day (UTC) or past the size limit. */
  #target(file: AuditFileName | null, size: number, at: string, bytes: number): AuditFileName {
    const day = at.slice(0, 10);
    if (!file || day > file.day) return { name: auditFileName(day), day, part: 1 };
    if (size > 0 && size + bytes > this.#maxFileBytes) return { name: auditFileName(file.day, file.part + 1), day: file.day, part: file.part + 1 };
    return file;
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    const groups: Group[] = [];
    let [tip, file, size] = [this.#tip, this.#file, this.#size];
    for (const p of batch) {
      const entry = nextEntry(tip, p.at, p.event);
      const line = formatLine(entry);
      const target = this.#target(file, size, p.at, Buffer.byteLength(line));
      if (target !== file) [file, size] = [target, 0];
      let g = groups.at(-1);
      if (!g || g.file !== target) {
        const prefix = this.#torn && target === this.#file && groups.length === 0 ? '\n' : '';
        groups.push((g = { file: target, text: prefix, bytes: prefix.length, done: [] }));
      }
      g.text += line;
      g.bytes += Buffer.byteLength(line);
      g.done.push([p, entry]);
      size += Buffer.byteLength(line);
      tip = { seq: entry.seq, hash: entry.hash };
    }
    const written: Group[] = [];
    for (const [i, g] of groups.entries()) {
      try {
        await appendDurably(join(this.dir, g.file.name), g.text);
      } catch (err) {
        // Later entries chain on these: none of them is written.
        for (const rest of groups.slice(i)) for (const [p] of rest.done) p.reject(err);
        break;
      }
      if (g.file !== this.#file) [this.#file, this.#size] = [g.file, 0];
      this.#torn = false;
      this.#size += g.bytes;
      const [, last] = g.done[g.done.length - 1];
      this.#tip = { seq: last.seq, hash: last.hash };
      written.push(g);
    }
    if (written.length === 0 || !this.#file) return;
    try {
      await writeHead(this.dir, { ...this.#tip, file: this.#file.name, at: this.#now().toISOString() });
    } catch (err) {
      this.#onError(err as Error);
    }
    for (const g of written) for (const [p, entry] of g.done) p.resolve(entry);
  }
}
