import { describe, it, expect } from 'vitest';
import { delayBeforeAttempt, MAX_BACKOFF_MS } from '../../../server/core/backoff.ts';
import { seededRandom } from './fixtures.ts';

const delay = (d: ReturnType<typeof delayBeforeAttempt>): number => {
  if (!('delayMs' in d)) throw new Error('expected a delay');
  return d.delayMs;
};

describe('delayBeforeAttempt', () => {
  it('the first attempt and a zero backoff never wait', () => {
    expect(delayBeforeAttempt(0, { backoffMs: 500, random: () => 0.99 })).toEqual({ delayMs: 0 });
    expect(delayBeforeAttempt(3, { backoffMs: 0, random: () => 0.99 })).toEqual({ delayMs: 0 });
  });

  it('full jitter stays in [0, min(10 s, base * 2^(n-1)))', () => {
    const random = seededRandom(7);
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(MAX_BACKOFF_MS, 200 * 2 ** (attempt - 1));
      let max = 0;
      for (let i = 0; i < 500; i++) {
        const d = delay(delayBeforeAttempt(attempt, { backoffMs: 200, random }));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
        max = Math.max(max, d);
      }
      expect(max).toBeGreaterThan(ceiling * 0.9);
    }
    expect(delay(delayBeforeAttempt(1, { backoffMs: 200, random: () => 0 }))).toBe(0);
    expect(delay(delayBeforeAttempt(2, { backoffMs: 200, random: () => 0.5 }))).toBe(200);
    expect(delay(delayBeforeAttempt(60, { backoffMs: 60_000, random: () => 0.999999 }))).toBe(MAX_BACKOFF_MS - 1);
  });

  it('honours a Retry-After up to maxRetryAfterMs (default 2 s), waiting at least that long', () => {
    expect(delayBeforeAttempt(1, { backoffMs: 0, retryAfterMs: 1500, random: () => 0.5 })).toEqual({ delayMs: 1500 });
    expect(delayBeforeAttempt(1, { backoffMs: 0, retryAfterMs: 2000, random: () => 0.5 })).toEqual({ delayMs: 2000 });
    expect(delayBeforeAttempt(4, { backoffMs: 1000, retryAfterMs: 100, random: () => 0.5 })).toEqual({ delayMs: 4000 });
    expect(delayBeforeAttempt(1, { backoffMs: 0, retryAfterMs: 30_000, maxRetryAfterMs: 60_000, random: () => 0 })).toEqual({ delayMs: 30_000 });
    expect(delayBeforeAttempt(1, { backoffMs: 0, retryAfterMs: 0, random: () => 0 })).toEqual({ delayMs: 0 });
  });

  it('a longer Retry-After skips the target at once', () => {
    expect(delayBeforeAttempt(1, { backoffMs: 100, retryAfterMs: 2001, random: () => 0.5 })).toEqual({ skipTarget: true });
    expect(delayBeforeAttempt(1, { backoffMs: 100, retryAfterMs: 500, maxRetryAfterMs: 0, random: () => 0.5 })).toEqual({ skipTarget: true });
    expect(delayBeforeAttempt(1, { backoffMs: 100, retryAfterMs: 86_400_000, maxRetryAfterMs: 60_000, random: () => 0.5 })).toEqual({ skipTarget: true });
  });
});
