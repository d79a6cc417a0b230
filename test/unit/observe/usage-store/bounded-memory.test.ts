import { describe, it, expect, afterEach } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openUsageStore, type DiskUsageStore } from '../../../../server/observe/usage-store/usage-store.ts';
import type { RequestOutcome } from '../../../../server/observe/usage-recorder.ts';
import type { RollupRow } from '../../../../server/observe/usage-store/types.ts';
import { tempDir } from '../../../helpers/tmp.ts';

const S = Date.UTC(2026, 2, 10, 0, 0, 0);
const MIN = 60_000;
const HOUR = 3_600_000;
const COMBOS = 4;
const outcome = (at: number, c: number): RequestOutcome => ({ requestId: 'r', at, client: `c${c}`, binding: 'chat', door: 'unified', provider: 'p', model: 'm', keyId: 'k', status: 200, latencyMs: 10 + c, attempts: 1, failovers: 0, attemptRecords: [], answered: true });
const total = (rows: RollupRow[]) => rows.reduce((n, r) => n + r.requests, 0);

describe('usage store memory: only files that may change stay resident', () => {
  const tmp = tempDir('sil-usage-bounded-');
  const dir = join(tmp.path, 'usage');
  let clock = S;
  const logs: string[] = [];
  const stores: DiskUsageStore[] = [];
  const open = async (cacheBytes?: number) => {
    const s = await openUsageStore({ dir, snapshot: () => null, flushMs: 0, now: () => clock, log: (l) => logs.push(l), ...(cacheBytes ? { cacheBytes } : {}) });
    stores.push(s);
    return s;
  };
  /** 48 h of traffic, COMBOS requests every minute, flushed every hour: 48 minute files. */
  const feed48h = async (s: DiskUsageStore) => {
    for (let m = 0; m < 48 * 60; m++) {
      clock = S + m * MIN;
      for (let c = 0; c < COMBOS; c++) s.recorder.outcome(outcome(clock, c));
      if (m % 60 === 59) await s.flush();
    }
    clock = S + 48 * HOUR;
    await s.flush();
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
    logs.length = 0;
    clock = S;
  });

  it('after 48 h of minute traffic and a reopen holds only the current files, and answers old ones from disk as before', async () => {
    const s = await open();
    await feed48h(s);
    expect(readdirSync(join(dir, 'minute'))).toHaveLength(48);
    // the last hour's minute file (its hour just ended), today's hour file, this month's day file
    expect(s.residentFiles()).toBe(3);
    const before = { minute: await s.rows('minute', 0, clock), hour: await s.rows('hour', 0, clock), day: await s.rows('day', 0, clock) };
    expect(before.minute).toHaveLength(48 * 60 * COMBOS);
    expect(total(before.minute)).toBe(48 * 60 * COMBOS);
    expect(before.hour.map((r) => r.requests)).toEqual(new Array(48 * COMBOS).fill(60));
    expect(before.day.map((r) => [r.t, r.requests])).toEqual([S, S + 24 * HOUR].flatMap((t) => new Array(COMBOS).fill([t, 24 * 60])));
    await s.close();

    const again = await open();
    expect(again.residentFiles()).toBe(3);
    expect(again.cacheStats()).toMatchObject({ files: 0, bytes: 0 });
    expect(await again.rows('minute', 0, clock)).toEqual(before.minute);
    expect(await again.rows('hour', 0, clock)).toEqual(before.hour);
    expect(await again.rows('day', 0, clock)).toEqual(before.day);
    const filtered = await again.rows('minute', S + 10 * HOUR, S + 11 * HOUR, { client: 'c1' });
    expect(filtered.map((r) => [r.t, r.requests, r.latencySumMs])).toEqual(Array.from({ length: 60 }, (_, i) => [S + 10 * HOUR + i * MIN, 1, 11]));
    // the queries read files into the cache, within its bound; nothing became resident
    expect(again.residentFiles()).toBe(3);
    expect(again.cacheStats().files).toBeGreaterThan(40);
    expect(logs).toEqual([]);
  });

  it('evicts the least recently used files past the cache bound, and reads them again when asked', async () => {
    const s = await open(100_000);
    await feed48h(s);
    const stats = s.cacheStats();
    expect(stats.maxBytes).toBe(100_000);
    expect(stats.bytes).toBeLessThanOrEqual(100_000);
    expect(stats.files).toBeGreaterThan(0);
    expect(stats.files).toBeLessThan(48);
    expect(total(await s.rows('minute', 0, clock))).toBe(48 * 60 * COMBOS);
    expect(s.cacheStats().bytes).toBeLessThanOrEqual(100_000);
    // the first hour was evicted by the 47 read after it, and is read again from disk
    expect(total(await s.rows('minute', S, S + HOUR))).toBe(60 * COMBOS);
    expect(total(await s.rows('minute', 0, clock))).toBe(48 * 60 * COMBOS);
    expect(s.residentFiles()).toBe(3);
  });

  it('adds late counts to a file no longer resident (read back, written, let go again)', async () => {
    const s = await open();
    await feed48h(s);
    const old = S + 5 * HOUR + 30 * MIN;
    s.addScore({ client: 'c0', binding: 'chat', provider: 'p', keyId: 'k', fingerprint: '', model: 'm', currency: 'USD' }, 0.5, old);
    s.recorder.outcome(outcome(old, 0));
    // before the flush: the pending counts are added to the file's row in the answer
    const pendingRow = (await s.rows('minute', old, old + MIN, { client: 'c0' }))[0];
    expect(pendingRow).toMatchObject({ requests: 2, scoreSum: 0.5, scoreCount: 1 });
    await s.flush();
    expect(s.residentFiles()).toBe(3);
    expect((await s.rows('minute', old, old + MIN, { client: 'c0' }))[0]).toEqual(pendingRow);
    expect((await s.rows('hour', S + 5 * HOUR, S + 6 * HOUR, { client: 'c0' }))[0]).toMatchObject({ requests: 61, scoreCount: 1 });
    await s.close();
    const again = await open();
    expect((await again.rows('minute', old, old + MIN, { client: 'c0' }))[0]).toEqual(pendingRow);
    expect((await again.rows('day', 0, clock, { client: 'c0' })).map((r) => r.requests)).toEqual([24 * 60 + 1, 24 * 60]);
  });

  it('counts each request once when a flush runs while a query reads files', async () => {
    const s = await open();
    await feed48h(s);
    for (let c = 0; c < COMBOS; c++) s.recorder.outcome(outcome(clock, c));
    const reading = s.rows('minute', 0, clock + MIN);
    const flushing = s.flush();
    const [rows] = await Promise.all([reading, flushing]);
    expect(total(rows)).toBe(48 * 60 * COMBOS + COMBOS);
    expect(total(await s.rows('minute', 0, clock + MIN))).toBe(48 * 60 * COMBOS + COMBOS);
  });

  it('deletes expired files by name at start without reading them, and answers nothing past retention', async () => {
    const s = await open();
    await feed48h(s);
    await s.close();
    clock = S + 60 * HOUR + 30 * MIN;
    const again = await open();
    // minute files of hours that ended more than 48 h ago are gone; the one holding the cutoff stays
    expect(readdirSync(join(dir, 'minute'))).toHaveLength(48 - 12);
    const rows = await again.rows('minute', 0, clock);
    expect(rows[0].t).toBe(clock - 48 * HOUR);
    expect(total(rows)).toBe((36 * 60 - 30) * COMBOS);
    // no traffic for 12 h: only this month's day file may still change
    expect(again.residentFiles()).toBe(1);
  });
});
