import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE_SECONDS, delayBeforeAttempt, scheduleOf } from '../../../server/webhooks/schedule.ts';

describe('retry schedule', () => {
  it('is the issue\'s: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(DEFAULT_SCHEDULE_SECONDS).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => delayBeforeAttempt(DEFAULT_SCHEDULE_SECONDS, n, mid))).toEqual([0, 5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000]);
    expect(delayBeforeAttempt(DEFAULT_SCHEDULE_SECONDS, 9, mid)).toBeNull();
  });

  it('jitter stays within ±10 %', () => {
    for (const r of [0, 0.25, 0.999999]) {
      const d = delayBeforeAttempt(DEFAULT_SCHEDULE_SECONDS, 3, () => r)!;
      expect(d).toBeGreaterThanOrEqual(270_000);
      expect(d).toBeLessThanOrEqual(330_000);
    }
    expect(delayBeforeAttempt(DEFAULT_SCHEDULE_SECONDS, 3, () => 0)).toBe(270_000);
  });

  it('a subscription\'s scheduleSeconds are the retries after the immediate attempt', () => {
    expect(scheduleOf({ scheduleSeconds: [2, 60] })).toEqual([0, 2, 60]);
    expect(scheduleOf({})).toBe(DEFAULT_SCHEDULE_SECONDS);
    expect(scheduleOf(undefined)).toBe(DEFAULT_SCHEDULE_SECONDS);
  });
});
