import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { readFileSync, readdirSync, statSync, writeFileSync, unlinkSync, appendFileSync } from 'node:fs';
import { AuditLog, AUDIT_EVENT_TYPES, redactSecrets, type AuditEvent } from '../../../server/observe/audit-log.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { caught } from '../../helpers/caught.ts';

const tmp = tempDir('sil-audit-');
afterAll(() => tmp.cleanup());
let n = 0;
const freshDir = () => join(tmp.path, `d${++n}`, 'audit');

/** A clock that starts at `start` and moves one second per reading. */
function clock(start = '2025-05-01T10:00:00.000Z') {
  let t = Date.parse(start);
  return { now: () => new Date((t += 1000)), set: (iso: string) => (t = Date.parse(iso)) };
}

const failed = (i: number): AuditEvent => ({ type: 'login.failed', actor: 'anonymous', ip: '203.0.113.9', detail: { reason: 'bad password', attempt: i } });
const fileLines = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean);

describe('AuditLog', () => {
  it('appends chained entries to a 0600 file in a 0700 directory and keeps head.json on the last one', async () => {
    const dir = freshDir();
    const log = await AuditLog.open(dir, { now: clock().now });
    const a = await log.append({ type: 'setup.completed', actor: 'owner', ip: '127.0.0.1' });
    const b = await log.append(failed(1));
    expect(a).toMatchObject({ seq: 1, at: '2025-05-01T10:00:01.000Z', type: 'setup.completed', actor: 'owner', detail: {} });
    expect(b.prev).toBe(a.hash);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '2025-05-01.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'head.json')).mode & 0o777).toBe(0o600);
    expect(fileLines(dir, '2025-05-01.jsonl').map((l) => JSON.parse(l))).toEqual([a, b]);
    expect(JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8'))).toMatchObject({ seq: 2, hash: b.hash, file: '2025-05-01.jsonl' });
    expect((await log.verify()).report).toMatchObject({ ok: true, entries: 2, files: 1 });
  });

  it('rotates daily (UTC) and by size, chaining each file to the one before', async () => {
    const dir = freshDir();
    const c = clock('2025-05-01T23:59:58.000Z');
    const log = await AuditLog.open(dir, { now: c.now, maxFileBytes: 1000 });
    await log.append(failed(0));
    await log.append(failed(1)); // 2025-05-02T00:00:00Z
    for (let i = 2; i < 8; i++) await log.append(failed(i));
    c.set('2025-04-30T00:00:00.000Z'); // the clock went back: stays in the current file
    await log.append(failed(8));
    expect(readdirSync(dir).sort()).toEqual(['2025-05-01.jsonl', '2025-05-02.2.jsonl', '2025-05-02.3.jsonl', '2025-05-02.jsonl', 'head.json']);
    expect(fileLines(dir, '2025-05-02.2.jsonl')[0]).toMatch(/"seq":5,/);
    const { report, files } = await log.verify();
    expect(files).toEqual(['2025-05-01.jsonl', '2025-05-02.jsonl', '2025-05-02.2.jsonl', '2025-05-02.3.jsonl']);
    expect(report).toMatchObject({ ok: true, entries: 9, files: 4 });
  });

  it('keeps concurrent appends chained, in the order they were made', async () => {
    const dir = freshDir();
    const log = await AuditLog.open(dir, { now: clock().now });
    const entries = await Promise.all(Array.from({ length: 300 }, (_, i) => log.append(failed(i))));
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(entries.map((e) => e.detail.attempt)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect((await log.verify()).report).toMatchObject({ ok: true, entries: 300 });
    expect(log.tip).toEqual({ seq: 300, hash: entries[299].hash });
  });

  it('continues the chain after a restart, and records a lost anchor', async () => {
    const dir = freshDir();
    const c = clock();
    let log = await AuditLog.open(dir, { now: c.now });
    for (let i = 0; i < 3; i++) await log.append(failed(i));
    log = await AuditLog.open(dir, { now: c.now });
    expect((await log.append({ type: 'hub.started', actor: 'system' })).seq).toBe(4);
    unlinkSync(join(dir, 'head.json'));
    expect((await log.verify()).report.broken).toMatchObject({ file: 'head.json', problem: 'head' });
    log = await AuditLog.open(dir, { now: c.now });
    expect((await log.page({ limit: 1 })).entries[0]).toMatchObject({ seq: 5, type: 'audit.anchor.mismatch', actor: 'system', detail: { reason: 'head.json was missing', logSeq: 4 } });
    const { report } = await log.verify();
    expect(report).toMatchObject({ ok: true, entries: 5, warnings: [expect.stringMatching(/2025-05-01.jsonl:5: seq 5: when the hub opened the log, head.json did not match its end \(head.json was missing\)/)] });
  });

  it('keeps a tail removed while the hub was stopped visible after the restart', async () => {
    const dir = freshDir();
    const c = clock();
    let log = await AuditLog.open(dir, { now: c.now });
    for (let i = 0; i < 4; i++) await log.append(failed(i));
    const file = join(dir, '2025-05-01.jsonl');
    writeFileSync(file, fileLines(dir, '2025-05-01.jsonl').slice(0, 2).map((l) => `${l}\n`).join(''));
    log = await AuditLog.open(dir, { now: c.now });
    const { report } = await log.verify();
    expect(report.broken).toMatchObject({ line: 3, seq: 5, problem: 'removed', message: '2 entries missing (seq 3–4): the log jumps from seq 2 to seq 5' });
  });

  it('starts on a new line after a write cut short, and verify names the cut line', async () => {
    const dir = freshDir();
    const c = clock();
    let log = await AuditLog.open(dir, { now: c.now });
    await log.append(failed(0));
    appendFileSync(join(dir, '2025-05-01.jsonl'), '{"seq":2,"at":"2025-05-01T1');
    log = await AuditLog.open(dir, { now: c.now });
    expect((await log.append(failed(1))).seq).toBe(2);
    expect(fileLines(dir, '2025-05-01.jsonl')).toHaveLength(3);
    expect((await log.verify()).report.broken).toMatchObject({ line: 2, problem: 'malformed' });
  });

  it('pages newest first, by type, with a cursor', async () => {
    const log = await AuditLog.open(freshDir(), { now: clock('2025-05-01T23:59:50.000Z').now, maxFileBytes: 600 });
    for (let i = 0; i < 25; i++) await log.append(i % 5 === 0 ? { type: 'token.denied', actor: 'client:billing', detail: { i } } : failed(i));
    const p1 = await log.page({ limit: 10 });
    expect(p1.entries.map((e) => e.seq)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(p1.next).toBe(16);
    const p3 = await log.page({ limit: 10, before: 6 });
    expect(p3).toEqual({ entries: expect.any(Array), next: null });
    expect(p3.entries.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    const denied = await log.page({ type: 'token.denied', limit: 3 });
    expect(denied.entries.map((e) => e.seq)).toEqual([21, 16, 11]);
    expect((await log.page({ type: 'token.denied', before: denied.next ?? 0 })).entries.map((e) => e.seq)).toEqual([6, 1]);
    expect((await log.page({ type: 'logout' })).entries).toEqual([]);
  });

  it('redacts credential-looking values, truncates long ones, and refuses what can only be a mistake', async () => {
    const log = await AuditLog.open(freshDir(), { now: clock().now });
    const e = await log.append({
      type: 'token.denied',
      actor: 'client:billing',
      detail: { presented: 'sil_4Xb7Qp2mVn8RtY3kLw9ZsD1fGh6JcE0aB1c2d3', header: 'Bearer abc.def-ghijklmnop', note: 'key sk-proj-abcdefgh12345678 leaked', ua: 'x'.repeat(800), tokenHint: '…d3' },
    });
    expect(e.detail).toMatchObject({ presented: '[redacted]', header: '[redacted]', note: 'key [redacted] leaked', tokenHint: '…d3' });
    expect(String(e.detail.ua)).toHaveLength(500);
    expect(JSON.stringify(e)).not.toMatch(/sil_4X|sk-proj|abc\.def/);
    expect(redactSecrets('task-manager-pool basil_leaves2025 keyId=k1 sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBe('task-manager-pool basil_leaves2025 keyId=k1 sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
    expect(redactSecrets('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw and AGE-SECRET-KEY-1QQQQQQQQQQQQQQQ ok')).toBe('[redacted] and [redacted] ok');
    const refusals: Array<[AuditEvent, RegExp]> = [
      [{ type: 'login.hacked' as AuditEvent['type'], actor: 'owner' }, /unknown type "login.hacked"/],
      [{ type: 'logout', actor: 'root' as AuditEvent['actor'] }, /actor must be owner, system, anonymous or client:<name>/],
      [{ type: 'login.failed', actor: 'anonymous', detail: { password: 'hunter2' } }, /detail key "password" names a secret/],
      [{ type: 'login.failed', actor: 'anonymous', detail: { nested: { a: 1 } as unknown as string } }, /detail.nested must be a string, a finite number or a boolean/],
    ];
    for (const [event, message] of refusals) {
      const err = await caught(log.append(event));
      expect(err.code).toBe('SIL_AUDIT_EVENT');
      expect(err.message).toMatch(message);
    }
    expect(log.tip.seq).toBe(1);
    expect((await log.append({ type: 'login.failed', actor: 'anonymous', ip: 'not an ip! sil_4Xb7Qp2mVn8RtY3kLw9ZsD1fGh6JcE0aB1c2d3' })).ip).toBe('"not an ip! [redacted]"');
    expect((await log.append({ type: 'login.failed', actor: 'anonymous', ip: '' })).ip).toBeUndefined();
    expect(AUDIT_EVENT_TYPES).toContain('login.failed');
  });
});
