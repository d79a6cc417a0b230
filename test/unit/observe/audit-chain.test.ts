import { describe, it, expect } from 'vitest';
import { canonicalJson, entryHash, EMPTY_TIP, formatLine, GENESIS_HASH, nextEntry, type AuditEntry } from '../../../server/observe/audit-chain.ts';
import { verifyChain, type AuditFileText } from '../../../server/observe/audit-verify.ts';
import { sanitizeEvent } from '../../../server/observe/audit-event.ts';

/** n entries, `perFile` to a file, and head.json's text. */
function log(n: number, perFile = n): { files: AuditFileText[]; head: string; entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  let tip = EMPTY_TIP;
  for (let i = 0; i < n; i++) {
    const e = nextEntry(tip, new Date(Date.UTC(2025, 4, 1 + Math.floor(i / perFile), 10, 0, i)).toISOString(), sanitizeEvent({ type: 'login.failed', actor: 'anonymous', ip: '203.0.113.9', detail: { reason: 'bad password', n: i } }));
    entries.push(e);
    tip = e;
  }
  const files: AuditFileText[] = [];
  for (let i = 0; i < n; i += perFile) files.push({ name: `2025-05-0${1 + i / perFile}.jsonl`, text: entries.slice(i, i + perFile).map(formatLine).join('') });
  const last = entries.at(-1);
  return { files, head: JSON.stringify({ seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH, file: files.at(-1)?.name ?? '', at: '' }), entries };
}

const lines = (f: AuditFileText) => f.text.split('\n').filter(Boolean);
const withLines = (f: AuditFileText, ls: string[]): AuditFileText => ({ name: f.name, text: ls.map((l) => `${l}\n`).join('') });

describe('audit chain format', () => {
  it('hashes a canonical form that does not depend on key order or whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: 'x', c: [true, null] }, u: undefined })).toBe('{"a":{"c":[true,null],"d":"x"},"b":1}');
    const { entries } = log(2);
    const [first, second] = entries;
    expect(first).toMatchObject({ seq: 1, prev: GENESIS_HASH });
    expect(second.prev).toBe(first.hash);
    const reordered = JSON.parse(JSON.stringify({ hash: first.hash, detail: first.detail, prev: first.prev, actor: first.actor, type: first.type, at: first.at, seq: first.seq, ip: first.ip }));
    expect(entryHash(reordered)).toBe(first.hash);
    expect(formatLine(first)).toMatch(/^\{"seq":1,"at":"2025-05-01T10:00:00.000Z","type":"login.failed","actor":"anonymous","ip":"203.0.113.9","detail":\{"n":0,"reason":"bad password"\},"prev":"0{64}","hash":"[0-9a-f]{64}"\}\n$/);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain across files, and an empty log', () => {
    const { files, head } = log(9, 3);
    expect(verifyChain(files, head)).toMatchObject({ ok: true, entries: 9, files: 3, warnings: [] });
    expect(verifyChain([], null)).toMatchObject({ ok: true, entries: 0 });
  });

  it('names an edited line', () => {
    const { files, head } = log(5);
    const ls = lines(files[0]);
    ls[2] = ls[2].replace('bad password', 'good password');
    const r = verifyChain([withLines(files[0], ls)], head);
    expect(r).toMatchObject({ ok: false, entries: 2, broken: { file: '2025-05-01.jsonl', line: 3, seq: 3, problem: 'edited' } });
    expect(r.broken?.message).toMatch(/does not match its hash: the line was edited/);
  });

  it('names the entry after a removed line', () => {
    const { files, head } = log(5);
    const ls = lines(files[0]);
    ls.splice(2, 1);
    expect(verifyChain([withLines(files[0], ls)], head).broken).toMatchObject({ line: 3, seq: 4, problem: 'removed', message: '1 entry missing (seq 3): the log jumps from seq 2 to seq 4' });
    const noFirst = lines(files[0]).slice(1);
    expect(verifyChain([withLines(files[0], noFirst)], head).broken).toMatchObject({ line: 1, seq: 2, problem: 'removed', message: '1 entry missing (seq 1): the log starts at seq 2' });
  });

  it('names a removed tail through head.json, and a missing head.json', () => {
    const { files, head } = log(5);
    const ls = lines(files[0]).slice(0, 3);
    const r = verifyChain([withLines(files[0], ls)], head);
    expect(r.broken).toMatchObject({ file: '2025-05-01.jsonl', line: 4, seq: 4, problem: 'truncated' });
    expect(r.broken?.message).toBe('the log ends at seq 3 but head.json records seq 5: the last 2 entries were removed');
    expect(verifyChain([], head).broken).toMatchObject({ problem: 'truncated', message: 'the log is empty but head.json records seq 5: every entry was removed' });
    expect(verifyChain(files, null).broken).toMatchObject({ file: 'head.json', problem: 'head' });
    expect(verifyChain(files, '{oops').broken).toMatchObject({ file: 'head.json', problem: 'head', message: expect.stringMatching(/not valid JSON/) });
  });

  it('names swapped lines as reordered, and a repeated line as duplicated', () => {
    const { files, head } = log(5);
    const ls = lines(files[0]);
    [ls[1], ls[2]] = [ls[2], ls[1]];
    expect(verifyChain([withLines(files[0], ls)], head).broken).toMatchObject({ line: 2, seq: 3, problem: 'reordered', message: 'seq 3 comes before seq 2: lines were moved' });
    const dup = lines(files[0]);
    dup.splice(3, 0, dup[1]);
    expect(verifyChain([withLines(files[0], dup)], head).broken).toMatchObject({ line: 4, seq: 2, problem: 'duplicated', message: 'seq 2 appears a second time (first at 2025-05-01.jsonl:2)' });
  });

  it('names a malformed line and an entry whose prev does not link', () => {
    const { files, head, entries } = log(4);
    const ls = lines(files[0]);
    ls[1] = ls[1].slice(0, 40);
    expect(verifyChain([withLines(files[0], ls)], head).broken).toMatchObject({ line: 2, problem: 'malformed', message: expect.stringMatching(/^the line is not an audit entry: not valid JSON/) });
    // Seq 2 replaced by a well-formed entry with its own correct hash: seq 3's prev no longer links.
    const forged = nextEntry({ seq: 1, hash: entries[0].hash }, entries[1].at, sanitizeEvent({ type: 'login.succeeded', actor: 'owner' }));
    const ls2 = lines(files[0]);
    ls2[1] = formatLine(forged).trim();
    expect(verifyChain([withLines(files[0], ls2)], head).broken).toMatchObject({ line: 3, seq: 3, problem: 'chain', message: 'seq 3: prev is not the hash of seq 2 (2025-05-01.jsonl:2): an entry was replaced or the chain rewritten' });
  });

  it('names the first entry of the next file when a file in the middle of a rotation is removed', () => {
    const { files, head } = log(9, 3);
    const r = verifyChain([files[0], files[2]], head);
    expect(r.broken).toMatchObject({ file: '2025-05-03.jsonl', line: 1, seq: 7, problem: 'removed' });
    expect(r.broken?.message).toBe('3 entries missing (seq 4–6): the log jumps from seq 3 to seq 7 (was a file before 2025-05-03.jsonl removed?)');
  });

  it('catches a rewritten tail through head.json, and warns when head.json lags behind', () => {
    const { files, entries } = log(4);
    const staleHead = JSON.stringify({ seq: 4, hash: 'f'.repeat(64) });
    expect(verifyChain(files, staleHead).broken).toMatchObject({ line: 4, seq: 4, problem: 'head' });
    const lagging = JSON.stringify({ seq: 3, hash: entries[2].hash });
    expect(verifyChain(files, lagging)).toMatchObject({ ok: true, warnings: [expect.stringMatching(/head.json is 1 entry behind/)] });
  });
});
