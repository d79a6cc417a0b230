import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openUsageStore, type DiskUsageStore } from '../../../../server/observe/usage-store/usage-store.ts';
import type { RequestOutcome, UsageRecord } from '../../../../server/observe/usage-recorder.ts';
import type { ConfigSnapshot } from '../../../../server/config/snapshot.ts';
import { tempDir } from '../../../helpers/tmp.ts';
import { fakeSnapshot } from './fake-snapshot.ts';

const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const HOUR = 3_600_000;
const DAY = 86_400_000;
const outcome = (o: Partial<RequestOutcome> = {}): RequestOutcome => ({ requestId: 'r', at: T0, client: 'web', binding: 'chat', door: 'unified', provider: 'openai', model: 'gpt-4o', keyId: 'k1', status: 200, latencyMs: 40, attempts: 1, failovers: 0, attemptRecords: [], answered: true, ...o });
const record = (r: Partial<UsageRecord> = {}): UsageRecord => ({ requestId: 'r', at: T0, client: 'web', binding: 'chat', provider: 'openai', model: 'gpt-4o', keyId: 'k1', status: 200, latencyMs: 40, attempts: 1, usage: { inputTokens: 10, outputTokens: 4 }, cost: 0.25, currency: 'USD', ...r });

describe('usage store', () => {
  const tmp = tempDir('sil-usage-store-');
  const dir = join(tmp.path, 'usage');
  let clock = T0;
  let snap: ConfigSnapshot = fakeSnapshot({ openai: { keys: { k1: 'sha256:aaaaaaaaaaaa...1111' } } });
  const logs: string[] = [];
  const stores: DiskUsageStore[] = [];
  const open = async (maxDims?: number) => {
    const s = await openUsageStore({ dir, snapshot: () => snap, flushMs: 0, now: () => clock, log: (l) => logs.push(l), ...(maxDims ? { maxDims } : {}) });
    stores.push(s);
    return s;
  };
  const traffic = (s: DiskUsageStore, at: number, n = 1) => {
    for (let i = 0; i < n; i++) {
      s.recorder.outcome(outcome({ at }));
      s.recorder.record(record({ at }));
    }
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
    logs.length = 0;
    clock = T0;
    snap = fakeSnapshot({ openai: { keys: { k1: 'sha256:aaaaaaaaaaaa...1111' } } });
  });

  it('answers rows from memory before a flush, the same rows after it, and again after a restart', async () => {
    const s = await open();
    traffic(s, T0 + 1_000, 3);
    traffic(s, T0 + 61_000, 2);
    traffic(s, T0 + HOUR + 5, 1);
    const before = await s.rows('minute', T0, T0 + DAY);
    expect(before.map((r) => [r.t, r.requests, r.inputTokens, r.cost])).toEqual([[T0, 3, 30, 0.75], [T0 + 60_000, 2, 20, 0.5], [T0 + HOUR, 1, 10, 0.25]]);
    expect(before[0]).toMatchObject({ client: 'web', binding: 'chat', provider: 'openai', keyId: 'k1', fingerprint: 'sha256:aaaaaaaaaaaa...1111', model: 'gpt-4o', currency: 'USD', ok: 3, attempts: 3 });
    await s.flush();
    expect((await s.rows('minute', T0, T0 + DAY))).toEqual(before);
    expect((await s.rows('hour', 0, T0 + DAY)).map((r) => [r.t, r.requests])).toEqual([[T0, 5], [T0 + HOUR, 1]]);
    expect((await s.rows('day', 0, T0 + DAY)).map((r) => [r.t, r.requests, r.outputTokens])).toEqual([[Date.UTC(2026, 0, 15), 6, 24]]);
    // more in memory adds to the flushed rows, not beside them
    traffic(s, T0 + 2_000, 1);
    expect((await s.rows('minute', T0, T0 + 60_000)).map((r) => r.requests)).toEqual([4]);
    expect((await s.rows('day', 0, T0 + DAY)).map((r) => r.requests)).toEqual([7]);
    await s.close();
    expect(readdirSync(join(dir, 'minute')).sort()).toEqual(['2026-01-15T10.json', '2026-01-15T11.json']);
    expect(readdirSync(join(dir, 'hour'))).toEqual(['2026-01-15.json']);
    expect(readdirSync(join(dir, 'day'))).toEqual(['2026-01.json']);
    const again = await open();
    expect((await again.rows('minute', T0, T0 + DAY)).map((r) => r.requests)).toEqual([4, 2, 1]);
    expect((await again.rows('day', 0, T0 + DAY))[0]).toMatchObject({ requests: 7, inputTokens: 70, cost: 7 * 0.25, latencySumMs: 7 * 40 });
  });

  it('filters by dims and keeps the query window [from, to)', async () => {
    const s = await open();
    traffic(s, T0, 1);
    s.recorder.outcome(outcome({ client: 'batch', at: T0 + 120_000 }));
    await s.flush();
    s.recorder.outcome(outcome({ client: 'batch', at: T0 + 180_000 }));
    expect((await s.rows('minute', T0, T0 + HOUR, { client: 'batch' })).map((r) => r.t)).toEqual([T0 + 120_000, T0 + 180_000]);
    expect((await s.rows('minute', T0 + 60_000, T0 + 180_000)).map((r) => r.t)).toEqual([T0 + 120_000]);
    expect((await s.rows('minute', T0, T0 + HOUR, { client: 'none' }))).toEqual([]);
  });

  it("cuts hour and day rows in sil.yaml's time zone (Asia/Kolkata: midnight is 18:30 UTC)", async () => {
    snap = fakeSnapshot({ openai: {} }, 'Asia/Kolkata');
    const s = await open();
    expect(s.timeZone()).toBe('Asia/Kolkata');
    const beforeMidnight = Date.UTC(2026, 0, 15, 18, 29, 30);
    const afterMidnight = Date.UTC(2026, 0, 15, 18, 30, 10);
    traffic(s, beforeMidnight, 2);
    traffic(s, afterMidnight, 3);
    const days = [Date.UTC(2026, 0, 14, 18, 30), Date.UTC(2026, 0, 15, 18, 30)];
    expect((await s.rows('day', 0, T0 + 2 * DAY)).map((r) => [r.t, r.requests])).toEqual([[days[0], 2], [days[1], 3]]);
    await s.flush();
    expect((await s.rows('day', 0, T0 + 2 * DAY)).map((r) => [r.t, r.requests])).toEqual([[days[0], 2], [days[1], 3]]);
    expect((await s.rows('hour', 0, T0 + 2 * DAY)).map((r) => [r.t, r.requests])).toEqual([[Date.UTC(2026, 0, 15, 17, 30), 2], [Date.UTC(2026, 0, 15, 18, 30), 3]]);
    expect((await s.rows('minute', 0, T0 + 2 * DAY)).map((r) => [r.t, r.requests])).toEqual([[Date.UTC(2026, 0, 15, 18, 29), 2], [Date.UTC(2026, 0, 15, 18, 30), 3]]);
  });

  it('drops minute rows after 48 h, hour rows after 90 days, day rows after 2 years, deleting whole files', async () => {
    const s = await open();
    traffic(s, T0, 1);
    traffic(s, T0 + 3 * HOUR, 1);
    await s.flush();
    clock = T0 + 48 * HOUR + 30 * 60_000;
    await s.flush();
    expect((await s.rows('minute', 0, clock)).map((r) => r.t)).toEqual([T0 + 3 * HOUR]);
    expect(readdirSync(join(dir, 'minute'))).toEqual(['2026-01-15T13.json']);
    expect((await s.rows('hour', 0, clock))).toHaveLength(2);
    clock = T0 + 91 * DAY;
    await s.flush();
    expect(readdirSync(join(dir, 'minute'))).toEqual([]);
    expect(readdirSync(join(dir, 'hour'))).toEqual([]);
    expect((await s.rows('day', 0, clock)).map((r) => r.requests)).toEqual([2]);
    clock = T0 + 732 * DAY;
    await s.flush();
    expect(readdirSync(join(dir, 'day'))).toEqual([]);
    expect((await s.rows('day', 0, clock))).toEqual([]);
  });

  it('on start, deletes expired files and leftovers of a write, and moves a corrupt file aside with a log line (at start, or when a query first reads it)', async () => {
    const s = await open();
    traffic(s, T0, 1);
    traffic(s, T0 + HOUR, 1);
    await s.close();
    writeFileSync(join(dir, 'minute', '2026-01-15T11.json'), '{"v":1,"dims":[["web"');
    writeFileSync(join(dir, 'minute', '.2026-01-15T10.json.tmp'), '{"v":1');
    writeFileSync(join(dir, 'minute', '2025-01-01T00.json'), '{"v":1,"dims":[],"rows":[]}');
    writeFileSync(join(dir, 'hour', '2026-01-15.json'), '{"v":1,"dims":[],"rows":[[1,0,1,1,0,0,0,1,0,40,10,4,0.25,0,0]]}');
    const again = await open();
    // the current hour's day file is resident, so read (and found corrupt) at start
    expect(readdirSync(join(dir, 'hour')).filter((n) => n.startsWith('2026-01-15.json.corrupt-'))).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/2026-01-15\.json is not a valid usage file \(.+\); moved aside .*\(found at start\)/);
    // the next hour's minute file is not resident: read, and found corrupt, by the first query over it
    expect(readdirSync(join(dir, 'minute')).sort()).toEqual(['2026-01-15T10.json', '2026-01-15T11.json']);
    expect((await again.rows('minute', 0, T0 + DAY)).map((r) => r.t)).toEqual([T0]);
    const minute = readdirSync(join(dir, 'minute')).sort();
    expect(minute.filter((n) => !n.includes('.corrupt-'))).toEqual(['2026-01-15T10.json']);
    expect(minute.filter((n) => n.startsWith('2026-01-15T11.json.corrupt-'))).toHaveLength(1);
    expect(logs.filter((l) => l.includes('is not a valid usage file'))).toHaveLength(2);
    expect(logs.join('\n')).toMatch(/2026-01-15T11\.json is not a valid usage file \(.+\); moved aside .*\(found by a query, which went on without them\)/);
    expect((await again.rows('minute', 0, T0 + DAY)).map((r) => r.t)).toEqual([T0]);
    expect(logs.filter((l) => l.includes('is not a valid usage file'))).toHaveLength(2);
    expect((await again.rows('day', 0, T0 + DAY)).map((r) => r.requests)).toEqual([2]);
  });

  it('keeps the counts of a failed write in memory and writes them at the next flush', async () => {
    const s = await open();
    traffic(s, T0, 2);
    const minuteDir = join(dir, 'minute');
    rmSync(minuteDir, { recursive: true });
    writeFileSync(minuteDir, 'not a folder');
    await s.flush();
    expect(logs.join('\n')).toMatch(/cannot write .*2026-01-15T10\.json: .*written at the next flush/);
    expect((await s.rows('minute', 0, T0 + DAY)).map((r) => r.requests)).toEqual([2]);
    rmSync(minuteDir);
    mkdirSync(minuteDir);
    traffic(s, T0, 1);
    await s.flush();
    const data = JSON.parse(readFileSync(join(minuteDir, '2026-01-15T10.json'), 'utf8')) as { rows: number[][] };
    expect(data.rows.map((r) => [r[0], r[2]])).toEqual([[T0, 3]]);
    expect(existsSync(join(dir, 'day', '2026-01.json'))).toBe(true);
  });

  it('writes compact rows and only the files that changed', async () => {
    const s = await open();
    traffic(s, T0, 1);
    await s.flush();
    const file = join(dir, 'minute', '2026-01-15T10.json');
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual({ v: 1, dims: [['web', 'chat', 'openai', 'k1', 'sha256:aaaaaaaaaaaa...1111', 'gpt-4o', 'USD']], rows: [[T0, 0, 1, 1, 0, 0, 0, 1, 0, 40, 10, 4, 0.25, 0, 0, 6, 1]] });
    writeFileSync(file, text.replace('"v":1', '"v":1 '));
    traffic(s, T0 + 2 * HOUR, 1);
    await s.flush();
    expect(readFileSync(file, 'utf8')).toContain('"v":1 ');
  });

  it('bounds the dims of hour and day rows as of minute ones', async () => {
    const s = await open(2);
    for (let i = 0; i < 20; i++) s.recorder.outcome(outcome({ at: T0 + i * 60_000, model: `m${i}` }));
    await s.flush();
    const hour = await s.rows('hour', 0, T0 + DAY);
    expect(hour.length).toBeLessThanOrEqual(2 * 2 + 1);
    expect(hour.reduce((n, r) => n + r.requests, 0)).toBe(20);
  });

  it('answers 30 days of hour rows for 36 combinations well under 100 ms', async () => {
    const s = await open();
    const start = T0 - 30 * DAY;
    for (let h = 0; h < 30 * 24; h++) {
      for (let c = 0; c < 36; c++) s.recorder.outcome(outcome({ at: start + h * HOUR, client: `c${c % 6}`, model: `m${Math.floor(c / 6)}` }));
      if (h % 24 === 23) await s.flush();
    }
    await s.flush();
    traffic(s, T0, 1);
    // The best of 5: the cost of the query, not the noise of a machine busy with other tests.
    let ms = Infinity;
    let rows = await s.rows('hour', start, T0 + HOUR);
    for (let i = 0; i < 5; i++) {
      const began = performance.now();
      rows = (await s.rows('hour', start, T0 + HOUR));
      ms = Math.min(ms, performance.now() - began);
    }
    expect(rows.length).toBe(30 * 24 * 36 + 1);
    expect(ms).toBeLessThan(100);
  });
});
