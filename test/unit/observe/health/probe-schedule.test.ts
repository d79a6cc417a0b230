import { describe, it, expect } from 'vitest';
import { intervalMs, nextDelay, rateFloorMs, withJitter, JITTER } from '../../../../server/observe/health/probe-schedule.ts';

describe('probe schedule', () => {
  it('takes the instance interval, else the template\'s, else 60 s', () => {
    expect(intervalMs({ healthCheck: { kind: 'request', intervalSeconds: 120 }, instanceHealthCheck: { intervalSeconds: 30 } }, undefined)).toBe(30_000);
    expect(intervalMs({ healthCheck: { kind: 'request', intervalSeconds: 120 } }, undefined)).toBe(120_000);
    expect(intervalMs({ healthCheck: { kind: 'request' } }, undefined)).toBe(60_000);
  });

  it('never probes faster than a tenth of the policy\'s rate, even with an override', () => {
    expect(rateFloorMs({ name: 'p', rateLimit: { requests: 10, per: 'minute' } })).toBe(60_000);
    expect(rateFloorMs(undefined)).toBe(0);
    expect(intervalMs({ healthCheck: { kind: 'request', intervalSeconds: 10 } }, { name: 'p', rateLimit: { requests: 1, per: 'hour' } })).toBe(36_000_000);
    expect(intervalMs({ healthCheck: { kind: 'request' } }, { name: 'p', rateLimit: { requests: 100, per: 'second' } }, 50)).toBe(100);
  });

  it('jitter stays within ±10 %', () => {
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      const d = withJitter(10_000, r);
      expect(d).toBeGreaterThanOrEqual(10_000 * (1 - JITTER));
      expect(d).toBeLessThanOrEqual(10_000 * (1 + JITTER));
    }
    expect(withJitter(10_000, 0)).toBe(9000);
    expect(withJitter(10_000, 0.5)).toBe(10_000);
  });

  it('confirms a failure after a quarter of the interval, not below the floor; honours retry-after up to an hour', () => {
    expect(nextDelay({ intervalMs: 60_000, floorMs: 0, failed: true, random: 0.5 })).toBe(15_000);
    expect(nextDelay({ intervalMs: 60_000, floorMs: 40_000, failed: true, random: 0.5 })).toBe(40_000);
    expect(nextDelay({ intervalMs: 60_000, floorMs: 0, failed: true, retryAfterMs: 120_000, random: 0.5 })).toBe(120_000);
    expect(nextDelay({ intervalMs: 60_000, floorMs: 0, failed: false, retryAfterMs: 99 * 3_600_000, random: 0.5 })).toBe(3_600_000);
  });

});
