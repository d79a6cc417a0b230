import { describe, it, expect } from 'vitest';
import { isTimeZone, nextPeriodStart, periodStart, zoneOffsetMs } from '../../../server/core/time-zone.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('calendar periods in the owner\'s time zone', () => {
  it('knows IANA names and refuses others', () => {
    expect(isTimeZone('Asia/Riyadh')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('starts days at local midnight', () => {
    // 01:30 UTC on 6 Dec is 04:30 in Riyadh (+3) and 20:30 the day before in New York (-5).
    const t = at('2026-12-06T01:30:00Z');
    expect(iso(periodStart(t, 'day', 'UTC'))).toBe('2026-12-06T00:00:00.000Z');
    expect(iso(periodStart(t, 'day', 'Asia/Riyadh'))).toBe('2026-12-05T21:00:00.000Z');
    expect(iso(periodStart(t, 'day', 'America/New_York'))).toBe('2026-12-05T05:00:00.000Z');
    expect(iso(nextPeriodStart(t, 'day', 'America/New_York'))).toBe('2026-12-06T05:00:00.000Z');
  });

  it('handles daylight saving: the spring day is 23 hours long, the autumn day 25', () => {
    const spring = at('2026-03-29T12:00:00Z');
    expect(nextPeriodStart(spring, 'day', 'Europe/Berlin') - periodStart(spring, 'day', 'Europe/Berlin')).toBe(23 * 3_600_000);
    const autumn = at('2026-10-25T12:00:00Z');
    expect(nextPeriodStart(autumn, 'day', 'Europe/Berlin') - periodStart(autumn, 'day', 'Europe/Berlin')).toBe(25 * 3_600_000);
    expect(zoneOffsetMs(spring, 'Europe/Berlin')).toBe(2 * 3_600_000);
  });

  it('starts months on the 1st and rolls over the year', () => {
    const t = at('2026-12-31T22:30:00Z'); // already 1 January 2027 in Riyadh
    expect(iso(periodStart(t, 'month', 'UTC'))).toBe('2026-12-01T00:00:00.000Z');
    expect(iso(nextPeriodStart(t, 'month', 'UTC'))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(periodStart(t, 'month', 'Asia/Riyadh'))).toBe('2026-12-31T21:00:00.000Z');
    expect(iso(nextPeriodStart(t, 'month', 'Asia/Riyadh'))).toBe('2027-01-31T21:00:00.000Z');
  });

  it('cuts hours on half-hour zones at their own boundary', () => {
    const t = at('2026-12-06T10:10:00Z'); // 15:40 in Kolkata (+5:30)
    expect(iso(periodStart(t, 'hour', 'Asia/Kolkata'))).toBe('2026-12-06T09:30:00.000Z');
    expect(iso(nextPeriodStart(t, 'hour', 'Asia/Kolkata'))).toBe('2026-12-06T10:30:00.000Z');
    expect(iso(periodStart(t, 'hour', 'UTC'))).toBe('2026-12-06T10:00:00.000Z');
    expect(iso(periodStart(t, 'minute'))).toBe('2026-12-06T10:10:00.000Z');
  });

  it('every instant lies in its period, and periods follow each other without gaps over a year', () => {
    for (const tz of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      let start = periodStart(at('2026-01-01T00:00:00Z'), 'day', tz);
      for (let i = 0; i < 400; i++) {
        const next = nextPeriodStart(start, 'day', tz);
        expect(next - start).toBeGreaterThanOrEqual(22.5 * 3_600_000);
        expect(next - start).toBeLessThanOrEqual(25 * 3_600_000);
        expect(periodStart(next - 1, 'day', tz)).toBe(start);
        start = next;
      }
    }
  });
});
