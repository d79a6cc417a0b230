// The soak's table and verdict, and its command line.
import { describe, it, expect } from 'vitest';
import { IntervalStats } from '../../../scripts/soak/stats.ts';
import { mmss, rssGrowth, summaryRow, tableHeader, tableRow, verdict, type Row } from '../../../scripts/soak/table.ts';
import { parseSoakOptions } from '../../../scripts/soak/options.ts';

function stats(ok: number[], errors = 0, lost = 0): IntervalStats {
  const s = new IntervalStats();
  for (const ms of ok) s.add('ok', ms);
  for (let i = 0; i < errors; i++) s.add('error', 0, 'chat 502');
  for (let i = 0; i < lost; i++) s.add('lost', 0, 'stream cut (no [DONE])');
  return s;
}

const row = (endSeconds: number, s: IntervalStats, rss: [number | null, number | null][], chaos: string[] = []): Row => ({ endSeconds, stats: s, rss: rss.map(([pid, mb]) => ({ pid, mb })), chaos });

describe('soak table', () => {
  it('writes a Markdown header and rows: time, counts, percentiles, RSS per instance, chaos', () => {
    expect(tableHeader(['a', 'b'])).toBe('| time | requests | ok | errors | lost | p50 ms | p95 ms | p99 ms | RSS a MB | RSS b MB | chaos |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    const r = row(90, stats([2.25, 3, 4, 120], 1, 1), [[11, 210.4], [null, null]], ['restart b (01:12)']);
    expect(tableRow(r)).toBe('| 01:30 | 6 | 4 | 1 | 1 | 3.0 | 120 | 120 | 210 | down | restart b (01:12) |');
    expect(tableRow(row(30, new IntervalStats(), [[11, 200], [12, 201]]))).toBe('| 00:30 | 0 | 0 | 0 | 0 | – | – | – | 200 | 201 |  |');
  });

  it('sums every interval in the summary row, with each instance\'s highest RSS', () => {
    const rows = [row(30, stats([1, 2]), [[11, 200], [12, 190]], ['config push 1 (00:10)']), row(60, stats([3], 0, 1), [[11, 230], [null, null]], ['restart b (00:40)', 'redis restart (00:50)'])];
    const total = new IntervalStats();
    for (const r of rows) total.merge(r.stats);
    expect(summaryRow(rows, total)).toBe('| **all** | 4 | 3 | 0 | 1 | 2.0 | 3.0 | 3.0 | max 230 | max 190 | 3 events |');
  });

  it('formats elapsed time as mm:ss, past an hour too', () => {
    expect(mmss(0)).toBe('00:00');
    expect(mmss(59.9)).toBe('00:59');
    expect(mmss(1800)).toBe('30:00');
    expect(mmss(2 * 3600 + 5)).toBe('120:05');
  });
});

describe('soak verdict', () => {
  it('RSS growth: from the second sample to the last of one process', () => {
    const s = (pid: number | null, mb: number | null) => ({ pid, mb });
    expect(rssGrowth([s(1, 150), s(1, 200), s(1, 210), s(1, 220)])).toEqual({ from: 200, to: 220, percent: 10, restarted: false });
    // Restarted early: the new process has the longest life and is judged on its own.
    const g = rssGrowth([s(1, 200), s(null, null), s(2, 120), s(2, 180), s(2, 190), s(2, 189)])!;
    expect([g.from, g.to, g.restarted]).toEqual([180, 189, true]);
    // Restarted late: the first process's life is longer.
    expect(rssGrowth([s(1, 150), s(1, 200), s(1, 202), s(1, 204), s(2, 120)])).toMatchObject({ from: 200, to: 204, restarted: false });
    // Restarted half-way: the process running now.
    expect(rssGrowth([s(1, 205), s(1, 206), s(2, 223), s(2, 226)])).toEqual({ from: 223, to: 226, percent: expect.closeTo(1.345, 2), restarted: true });
    expect(rssGrowth([s(1, 150)])).toBeNull();
  });

  it('passes with nothing lost and flat memory; fails on a lost request, a shed one, or growth over 10 %', () => {
    const flat = [row(30, stats([1]), [[1, 150]]), row(60, stats([1]), [[1, 200]]), row(90, stats([1]), [[1, 215]])];
    const total = (rows: Row[]) => rows.reduce((t, r) => (t.merge(r.stats), t), new IntervalStats());
    const ok = verdict(flat, total(flat), ['a']);
    expect(ok.pass).toBe(true);
    expect(ok.lines[0]).toMatch(/^PASS {2}lost = 0 of 3 requests/);
    expect(ok.lines[1]).toBe('PASS  RSS from the second interval to the last (flat: at most +10 %): a 200 → 215 MB (+7.5 %)');

    const lost = [...flat, row(120, stats([], 0, 1), [[1, 215]])];
    const v = verdict(lost, total(lost), ['a']);
    expect(v.pass).toBe(false);
    expect(v.lines[0]).toContain('FAIL  lost = 1 of 4 requests');
    expect(v.lines[0]).toContain('stream cut (no [DONE]) ×1');

    const shedTotal = total(flat);
    shedTotal.shed = 2;
    expect(verdict(flat, shedTotal, ['a']).pass).toBe(false);

    const growing = [row(30, stats([1]), [[1, 150]]), row(60, stats([1]), [[1, 200]]), row(90, stats([1]), [[1, 221]])];
    const g = verdict(growing, total(growing), ['a']);
    expect(g.pass).toBe(false);
    expect(g.lines[1]).toContain('FAIL');
    expect(g.lines[1]).toContain('+10.5 %');
  });
});

describe('soak options', () => {
  it('defaults: 60 s rows, 50 requests/s, 2 instances, nginx', () => {
    expect(parseSoakOptions(['--minutes', '30'])).toEqual({ minutes: 30, intervalSeconds: 60, rate: 50, instances: 2, nginx: true, out: null, keep: false });
    expect(parseSoakOptions(['--minutes', '3', '--interval-seconds', '30', '--rate', '20', '--instances', '3', '--no-nginx', '--out', 'x.md'])).toEqual({ minutes: 3, intervalSeconds: 30, rate: 20, instances: 3, nginx: false, out: 'x.md', keep: false });
  });

  it('refuses what would not end or makes no sense, and says what to give', () => {
    expect(() => parseSoakOptions([])).toThrow(/--minutes is required/);
    expect(() => parseSoakOptions(['--minutes', '0'])).toThrow(/--minutes "0": give a number from 1 to 2880/);
    expect(() => parseSoakOptions(['--minutes', '3000'])).toThrow(/from 1 to 2880/);
    expect(() => parseSoakOptions(['--minutes', '1', '--interval-seconds', '90'])).toThrow(/longer than the run/);
    expect(() => parseSoakOptions(['--minutes', '5', '--instances', '9'])).toThrow(/--instances "9": give a whole number from 1 to 4/);
    expect(() => parseSoakOptions(['--minutes', '5', '--rate', 'fast'])).toThrow(/--rate "fast"/);
    expect(() => parseSoakOptions(['--minutes', '5', '--bogus'])).toThrow(/Unknown option '--bogus'/);
  });
});
