// Checks a runtime audit log's hash chain and names the first broken entry. Pure, no I/O: it is
// given the files' text in chain order and head.json's text (null when it is missing).
import { EMPTY_TIP, entryHash, parseEntry, parseHead, splitLines, type AuditEntry, type ChainTip } from './audit-chain.ts';

export interface AuditFileText {
  name: string;
  text: string;
}

/**
 * edited: the line's content does not match its hash. removed: seqs are missing (a line or a whole
 * file). reordered / duplicated: a seq comes out of order or twice. chain: seq is right but prev
 * does not link to the entry before (that entry was replaced, hash and all). truncated: the log
 * ends before the entry head.json records. head: head.json is missing, unreadable, or disagrees.
 */
export type AuditProblem = 'malformed' | 'edited' | 'removed' | 'reordered' | 'duplicated' | 'chain' | 'truncated' | 'head';

export interface BrokenEntry {
  file: string;
  /** 1-based line in `file`; for a truncated tail, the line where the first missing entry was. */
  line: number;
  seq?: number;
  problem: AuditProblem;
  message: string;
}

export interface ChainReport {
  ok: boolean;
  /** Entries checked and found in order (all of them when ok). */
  entries: number;
  files: number;
  tip: ChainTip;
  broken?: BrokenEntry;
  /** Not breaks, but worth a look: head.json lagging, anchor mismatches the hub recorded. */
  warnings: string[];
}

interface Located {
  file: string;
  line: number;
  parsed: { entry: AuditEntry } | { error: string };
}

const plural = (n: number, word: 'entry') => `${n} ${n === 1 ? word : 'entries'}`;

export function verifyChain(files: readonly AuditFileText[], headText: string | null): ChainReport {
  const lines: Located[] = [];
  for (const f of files) splitLines(f.text).forEach((text, i) => lines.push({ file: f.name, line: i + 1, parsed: parseEntry(text) }));
  const present = new Set<number>();
  for (const l of lines) if ('entry' in l.parsed) present.add(l.parsed.entry.seq);

  const head = headText === null ? null : parseHead(headText);
  const warnings: string[] = [];
  const seen = new Map<number, string>();
  let tip = EMPTY_TIP;
  let last: Located | undefined;
  const report = (broken?: BrokenEntry): ChainReport => ({ ok: !broken, entries: tip.seq, files: files.length, tip, broken, warnings });

  for (const l of lines) {
    const at = `${l.file}:${l.line}`;
    const broken = (problem: AuditProblem, message: string, seq?: number) => report({ file: l.file, line: l.line, seq, problem, message });
    if ('error' in l.parsed) return broken('malformed', `the line is not an audit entry: ${l.parsed.error}`);
    const e = l.parsed.entry;
    if (entryHash(e) !== e.hash) return broken('edited', `seq ${e.seq}: the entry does not match its hash: the line was edited`, e.seq);
    const want = tip.seq + 1;
    if (e.seq < want) {
      const first = seen.get(e.seq);
      return first
        ? broken('duplicated', `seq ${e.seq} appears a second time (first at ${first})`, e.seq)
        : broken('reordered', `seq ${e.seq} comes after seq ${tip.seq}: lines were moved`, e.seq);
    }
    if (e.seq > want) {
      if (present.has(want)) return broken('reordered', `seq ${e.seq} comes before seq ${want}: lines were moved`, e.seq);
      const gap = e.seq - want;
      const where = tip.seq === 0 ? `the log starts at seq ${e.seq}` : `the log jumps from seq ${tip.seq} to seq ${e.seq}`;
      const why = l.line === 1 && last && last.file !== l.file ? ` (was a file before ${l.file} removed?)` : '';
      return broken('removed', `${plural(gap, 'entry')} missing (seq ${want}${gap > 1 ? `–${e.seq - 1}` : ''}): ${where}${why}`, e.seq);
    }
    if (e.prev !== tip.hash) {
      const before = tip.seq === 0 ? 'the genesis value' : `the hash of seq ${tip.seq} (${last?.file}:${last?.line})`;
      return broken('chain', `seq ${e.seq}: prev is not ${before}: an entry was replaced or the chain rewritten`, e.seq);
    }
    if (head && 'head' in head && head.head.seq === e.seq && head.head.hash !== e.hash) {
      return broken('head', `seq ${e.seq} does not match the hash head.json records for it: the end of the log was rewritten`, e.seq);
    }
    if (e.type === 'audit.anchor.mismatch') warnings.push(`${at}: seq ${e.seq}: when the hub opened the log, head.json did not match its end (${String(e.detail.reason ?? 'no reason given')})`);
    seen.set(e.seq, at);
    tip = { seq: e.seq, hash: e.hash };
    last = l;
  }

  if (head === null) {
    if (tip.seq === 0) return report();
    return report({ file: 'head.json', line: 0, problem: 'head', message: 'head.json is missing: lines removed from the end of the log cannot be detected (restore it from a backup, or compare with an off-machine copy)' });
  }
  if ('error' in head) return report({ file: 'head.json', line: 1, problem: 'head', message: head.error });
  const h = head.head;
  if (h.seq > tip.seq) {
    const missing = h.seq - tip.seq;
    const file = last?.file ?? (h.file || '(no file)');
    const message = tip.seq === 0
      ? `the log is empty but head.json records seq ${h.seq}: every entry was removed`
      : `the log ends at seq ${tip.seq} but head.json records seq ${h.seq}: the last ${plural(missing, 'entry')} ${missing === 1 ? 'was' : 'were'} removed`;
    return report({ file, line: (last?.line ?? 0) + 1, seq: tip.seq + 1, problem: 'truncated', message });
  }
  if (h.seq < tip.seq) warnings.push(`head.json is ${plural(tip.seq - h.seq, 'entry')} behind the log (the hub stopped between writing an entry and updating head.json?)`);
  return report();
}
