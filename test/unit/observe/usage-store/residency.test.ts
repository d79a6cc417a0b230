import { describe, it, expect } from 'vitest';
import { LATE_MS, mayChange, targetsOf } from '../../../../server/observe/usage-store/residency.ts';
import { RollupCache } from '../../../../server/observe/usage-store/rollup-cache.ts';
import { FrozenRollup } from '../../../../server/observe/usage-store/frozen-rollup.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D = Date.UTC(2026, 0, 31);

describe('which files stay resident', () => {
  it('the current file, and the previous one while late counts may still reach it', () => {
    const grace = LATE_MS + 5_000;
    const hour = D + 13 * HOUR;
    expect(mayChange('minute', hour, hour + 30 * 60_000, grace)).toBe(true);
    expect(mayChange('minute', hour, hour + HOUR + 5 * 60_000, grace)).toBe(true);
    expect(mayChange('minute', hour, hour + HOUR + 60_000 + grace, grace)).toBe(false);
    expect(mayChange('minute', hour + HOUR, hour, grace)).toBe(false); // not begun
  });

  it("keeps a UTC day's hour file while an hour row of a half-hour zone spans midnight (Asia/Kolkata)", () => {
    // 23:30–00:30 UTC is one hour in Kolkata (+5:30): its row is in the file of the day it starts
    const [, [g, t, start]] = targetsOf(D + DAY + 20 * 60_000, 'Asia/Kolkata');
    expect([g, t, start]).toEqual(['hour', D + 23.5 * HOUR, D]);
    expect(mayChange('hour', D, D + DAY + 20 * 60_000, LATE_MS)).toBe(true);
    expect(mayChange('hour', D, D + DAY + HOUR + LATE_MS, LATE_MS)).toBe(false);
  });

  it("keeps a month's day file while the last day of a zone east of UTC runs into the next month (Asia/Riyadh)", () => {
    // Riyadh is UTC+3: each local day starts at 21:00 UTC the day before, so the row of 1 February
    // starts on 31 January (UTC) and lives in January's file, which goes on changing until 1 February 21:00 UTC
    const [, , [g, t, start]] = targetsOf(D + 20 * HOUR, 'Asia/Riyadh');
    expect([g, t, start]).toEqual(['day', D - 3 * HOUR, Date.UTC(2026, 0, 1)]);
    const feb1 = Date.UTC(2026, 1, 1);
    const [, , [, t2, start2]] = targetsOf(feb1 + 10 * HOUR, 'Asia/Riyadh');
    expect([t2, start2]).toEqual([feb1 - 3 * HOUR, Date.UTC(2026, 0, 1)]);
    expect(mayChange('day', Date.UTC(2026, 0, 1), feb1 + 10 * HOUR, LATE_MS)).toBe(true);
    expect(mayChange('day', Date.UTC(2026, 0, 1), feb1 + 25 * HOUR + LATE_MS, LATE_MS)).toBe(false);
  });
});

describe('the query cache', () => {
  const file = (start: number, rows: number) => new FrozenRollup({ v: 1, dims: [['c', 'b', 'p', 'k', '', 'm', 'USD']], rows: Array.from({ length: rows }, (_, i) => [start + i * 60_000, 0, 1, 1, 0, 0, 0, 1, 0, 10, 0, 0, 0, 0, 0, 4, 1]) }, start, start + HOUR);

  it('is bounded in bytes, least recently used out; a file bigger than the bound is not kept', () => {
    const a = file(0, 60);
    const cache = new RollupCache(a.bytes * 2 + 10);
    cache.set('minute', a);
    cache.set('minute', file(HOUR, 60));
    expect(cache.size).toBe(2);
    expect(cache.get('minute', 0)).toBe(a); // now the most recently used
    cache.set('minute', file(2 * HOUR, 60));
    expect(cache.size).toBe(2);
    expect(cache.get('minute', HOUR)).toBeUndefined();
    expect(cache.get('minute', 0)).toBe(a);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
    cache.set('minute', file(3 * HOUR, 600));
    expect(cache.get('minute', 3 * HOUR)).toBeUndefined();
    cache.delete('minute', 0);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(file(2 * HOUR, 60).bytes);
  });

  it('answers the rows of [from, to) in time order, filtered', () => {
    const f = file(0, 60);
    const seen: number[] = [];
    f.collect(10 * 60_000, 12 * 60_000, undefined, (_k, r) => seen.push(r.t));
    f.collect(0, HOUR, { client: 'other' }, (_k, r) => seen.push(r.t));
    expect(seen).toEqual([10 * 60_000, 11 * 60_000]);
    expect(f.rowCount).toBe(60);
    expect(f.lastT).toBe(59 * 60_000);
    expect(f.toData().rows[3]).toEqual([3 * 60_000, 0, 1, 1, 0, 0, 0, 1, 0, 10, 0, 0, 0, 0, 0, 4, 1]);
  });
});
