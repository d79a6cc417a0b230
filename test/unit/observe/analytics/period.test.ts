import { describe, it, expect } from 'vitest';
import { customStep, parsePeriod, pointIndex } from '../../../../server/observe/analytics/period.ts';
import { SilError } from '../../../../server/errors.ts';
import { T0 } from './fake-usage.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NOW = T0 + 90_000; // 12:01:30

function refused(query: Record<string, string>, param: string): void {
  let err: unknown;
  try {
    parsePeriod(query, NOW, 'UTC');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SilError);
  expect((err as SilError).code).toBe('SIL_ANALYTICS_QUERY');
  expect((err as SilError).message.startsWith(`${param}:`), (err as SilError).message).toBe(true);
}

describe('analytics period', () => {
  it('1h: 60 minute points ending with the minute now is in', () => {
    const p = parsePeriod({ period: '1h' }, NOW, 'UTC');
    expect(p).toMatchObject({ period: '1h', step: 'minute', stepMs: MIN, to: T0 + 2 * MIN, from: T0 + 2 * MIN - HOUR, filter: {} });
    expect(p.starts).toHaveLength(60);
    expect(p.starts[59]).toBe(T0 + MIN);
  });

  it('24h (the default): 288 points of 5 minutes from minute rollups', () => {
    const p = parsePeriod({}, NOW, 'UTC');
    expect(p).toMatchObject({ period: '24h', step: 'minute', stepMs: 5 * MIN, to: T0 + 5 * MIN, from: T0 + 5 * MIN - DAY });
    expect(p.starts).toHaveLength(288);
  });

  it('7d: 168 hour points; 30d: 30 days starting at midnight in the time zone', () => {
    const week = parsePeriod({ period: '7d' }, NOW, 'UTC');
    expect(week).toMatchObject({ step: 'hour', stepMs: HOUR, to: T0 + HOUR });
    expect(week.starts).toHaveLength(168);
    const month = parsePeriod({ period: '30d' }, NOW, 'Asia/Riyadh');
    expect(month).toMatchObject({ step: 'day', stepMs: DAY, timeZone: 'Asia/Riyadh' });
    expect(month.starts).toHaveLength(30);
    // Midnight in Riyadh (UTC+3) is 21:00 UTC the day before.
    expect(new Date(month.starts[29]).toISOString()).toBe('2026-05-09T21:00:00.000Z');
    expect(new Date(month.to).toISOString()).toBe('2026-05-10T21:00:00.000Z');
  });

  it('day points follow a daylight-saving change (23- and 25-hour days)', () => {
    const p = parsePeriod({ period: 'custom', from: '2026-03-01T00:00:00+01:00', to: '2026-04-10T00:00:00+02:00' }, Date.UTC(2026, 5, 1), 'Europe/Berlin');
    expect(p.step).toBe('day');
    const widths = new Set(p.starts.slice(1).map((t, i) => t - p.starts[i]));
    expect([...widths].sort()).toEqual([23 * HOUR, 24 * HOUR].sort());
    expect(p.starts).toHaveLength(40);
  });

  it('custom: the step by length and by what the rollups still hold, aligned to whole steps', () => {
    const p = parsePeriod({ period: 'custom', from: '2026-05-10T10:00:30Z', to: '2026-05-10T11:59:10Z' }, NOW, 'UTC');
    expect(p).toMatchObject({ step: 'minute', stepMs: MIN, from: Date.UTC(2026, 4, 10, 10, 0), to: Date.UTC(2026, 4, 10, 12, 0) });
    expect(p.starts).toHaveLength(120);
    expect(customStep(NOW - 10 * HOUR, NOW, NOW)).toEqual({ step: 'minute', stepMs: 5 * MIN });
    expect(customStep(NOW - 3 * DAY, NOW - 3 * DAY + HOUR, NOW)).toEqual({ step: 'hour', stepMs: HOUR }); // minute rollups are gone
    expect(customStep(NOW - 10 * DAY, NOW, NOW)).toEqual({ step: 'hour', stepMs: HOUR });
    expect(customStep(NOW - 20 * DAY, NOW, NOW)).toEqual({ step: 'day', stepMs: DAY });
    expect(customStep(NOW - 100 * DAY, NOW - 99 * DAY, NOW)).toEqual({ step: 'day', stepMs: DAY }); // hour rollups are gone
    expect(parsePeriod({ period: 'custom', from: '2026-05-01', to: '2026-05-03' }, NOW, 'UTC')).toMatchObject({ step: 'hour', from: Date.UTC(2026, 4, 1), to: Date.UTC(2026, 4, 3) });
  });

  it('keeps the filters', () => {
    expect(parsePeriod({ period: '1h', binding: 'chat', provider: 'a', client: 'web', model: 'gpt-4o', other: 'x' }, NOW, 'UTC').filter).toEqual({ binding: 'chat', provider: 'a', client: 'web', model: 'gpt-4o' });
    expect(parsePeriod({ period: '1h', binding: '' }, NOW, 'UTC').filter).toEqual({});
  });

  it('refuses bad input, naming the parameter', () => {
    refused({ period: '2h' }, 'period');
    refused({ period: '1h', from: '2026-05-10T00:00:00Z' }, 'period');
    refused({ period: 'custom' }, 'from');
    refused({ period: 'custom', from: '2026-05-10T00:00:00Z' }, 'to');
    refused({ period: 'custom', from: '2026-05-10T10:00:00', to: '2026-05-10T11:00:00Z' }, 'from'); // no zone
    refused({ period: 'custom', from: 'yesterday', to: '2026-05-10T11:00:00Z' }, 'from');
    refused({ period: 'custom', from: '2026-02-30T10:00:00Z', to: '2026-05-10T11:00:00Z' }, 'from');
    refused({ period: 'custom', from: '2026-05-10T11:00:00Z', to: '2026-05-10T10:00:00Z' }, 'from');
    refused({ period: 'custom', from: '2023-01-01T00:00:00Z', to: '2023-02-01T00:00:00Z' }, 'from');
    refused({ period: 'custom', from: '2026-06-01T00:00:00Z', to: '2026-06-02T00:00:00Z' }, 'from');
    refused({ period: '1h', model: 'x'.repeat(201) }, 'model');
  });

  it('finds the point a time falls in', () => {
    const starts = [100, 200, 300];
    expect([50, 100, 199, 200, 299, 300, 10_000].map((t) => pointIndex(starts, t))).toEqual([-1, 0, 0, 1, 1, 2, 2]);
    expect(pointIndex([], 5)).toBe(-1);
  });
});
