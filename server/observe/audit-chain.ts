// The runtime audit log's entry format and hash chain. Pure, no I/O (audit-log.ts does the files).
//
// One entry is one line of JSON:
//   {"seq":7,"at":"2025-05-01T10:00:00.000Z","type":"login.failed","actor":"anonymous","ip":"203.0.113.9",
//    "detail":{"reason":"bad password"},"prev":"<hash of seq 6>","hash":"<hex>"}
// `hash` is the hex SHA-256 of canonicalJson(entry without `hash`): JSON with no whitespace and the
// keys of every object sorted by UTF-16 code unit, so it covers seq, at, type, actor, ip, detail and
// prev. `prev` is the hash of the entry before (across files); the first entry's prev is GENESIS.
// `seq` counts from 1 with no gaps. Editing a line breaks its hash; removing or moving one breaks
// the seq order and the prev link of the entry after it; removing the tail is caught by the head
// anchor (head.json: the seq and hash of the last entry written), checked in audit-verify.ts.
import { createHash } from 'node:crypto';
import type { AuditActor, AuditDetailValue, AuditEvent } from './audit-event.ts';

export const GENESIS_HASH = '0'.repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;

export interface AuditEntry {
  seq: number;
  at: string;
  type: string;
  actor: AuditActor | string;
  ip?: string;
  detail: Record<string, AuditDetailValue>;
  prev: string;
  hash: string;
}

/** Where the chain ends: the last entry's seq and hash (seq 0 and GENESIS_HASH for an empty log). */
export interface ChainTip {
  seq: number;
  hash: string;
}

export const EMPTY_TIP: ChainTip = { seq: 0, hash: GENESIS_HASH };

/** What head.json holds: the tip after the last append, the file it is in, and when. */
export interface AuditHead extends ChainTip {
  file: string;
  at: string;
}

/** JSON with object keys sorted at every level and no whitespace; undefined members left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash an entry must carry: SHA-256 over its canonical form without `hash`. */
export function entryHash(entry: Omit<AuditEntry, 'hash'> | Record<string, unknown>): string {
  const { hash: _ignored, ...rest } = entry as Record<string, unknown>;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

/** The next entry after `tip` for an already sanitised event (see sanitizeEvent). */
export function nextEntry(tip: ChainTip, at: string, event: AuditEvent & { detail: Record<string, AuditDetailValue> }): AuditEntry {
  const body = {
    seq: tip.seq + 1,
    at,
    type: event.type,
    actor: event.actor,
    ...(event.ip === undefined ? {} : { ip: event.ip }),
    detail: event.detail,
    prev: tip.hash,
  };
  return { ...body, hash: entryHash(body) };
}

/** The line written for an entry (keys in reading order; the hash does not depend on it). */
export function formatLine(entry: AuditEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** One line parsed and shape-checked, or why it is not an entry. The hash is not checked here. */
export function parseEntry(line: string): { entry: AuditEntry } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return { error: `not valid JSON (${(err as Error).message})` };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: 'not a JSON object' };
  const e = v as Record<string, unknown>;
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 1) return { error: 'seq is not a positive integer' };
  for (const k of ['at', 'type', 'actor'] as const) if (typeof e[k] !== 'string') return { error: `${k} is not a string` };
  if (e.ip !== undefined && typeof e.ip !== 'string') return { error: 'ip is not a string' };
  if (e.detail === null || typeof e.detail !== 'object' || Array.isArray(e.detail)) return { error: 'detail is not an object' };
  if (!Object.values(e.detail as object).every(isScalar)) return { error: 'detail holds a value that is not a string, number or boolean' };
  if (typeof e.prev !== 'string' || !HEX64.test(e.prev)) return { error: 'prev is not a hex SHA-256' };
  if (typeof e.hash !== 'string' || !HEX64.test(e.hash)) return { error: 'hash is not a hex SHA-256' };
  return { entry: e as unknown as AuditEntry };
}

/** head.json parsed, or why it cannot be used. */
export function parseHead(text: string): { head: AuditHead } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { error: `head.json is not valid JSON (${(err as Error).message})` };
  }
  const h = v as Partial<AuditHead> | null;
  if (!h || typeof h !== 'object' || !Number.isSafeInteger(h.seq) || (h.seq as number) < 0 || typeof h.hash !== 'string' || !HEX64.test(h.hash)) {
    return { error: 'head.json does not hold a seq and a hex SHA-256 hash' };
  }
  return { head: { seq: h.seq as number, hash: h.hash, file: typeof h.file === 'string' ? h.file : '', at: typeof h.at === 'string' ? h.at : '' } };
}

/** The lines of a file's text: split on \n, a final empty piece (the trailing newline) dropped. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
