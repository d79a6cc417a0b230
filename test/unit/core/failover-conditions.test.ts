import { describe, it, expect } from 'vitest';
import { compileConditions, shouldFailOver, parseRetryAfter, parseHttpDate, MAX_RETRY_AFTER_MS } from '../../../server/core/failover-conditions.ts';

const now = Date.UTC(2026, 0, 10, 12, 0, 0);
const response = (status: number) => ({ kind: 'response' as const, status });

describe('failover conditions', () => {
  it('matches status classes and codes', () => {
    const m = compileConditions(['429', '5xx']);
    expect(shouldFailOver(response(500), m)).toBe(true);
    expect(shouldFailOver(response(503), m)).toBe(true);
    expect(shouldFailOver(response(599), m)).toBe(true);
    expect(shouldFailOver(response(429), m)).toBe(true);
    expect(shouldFailOver(response(428), m)).toBe(false);
    expect(shouldFailOver(response(404), m)).toBe(false);
    expect(shouldFailOver(response(200), m)).toBe(false);
    const codes = compileConditions(['502', '4xx']);
    expect(shouldFailOver(response(502), codes)).toBe(true);
    expect(shouldFailOver(response(500), codes)).toBe(false);
    expect(shouldFailOver(response(401), codes)).toBe(true);
  });

  it('matches timeouts of every phase and connect errors only when listed', () => {
    const all = compileConditions(['connect-error', 'timeout']);
    for (const phase of ['connect', 'first-byte', 'total'] as const) expect(shouldFailOver({ kind: 'timeout', phase }, all)).toBe(true);
    expect(shouldFailOver({ kind: 'connect-error' }, all)).toBe(true);
    expect(shouldFailOver(response(503), all)).toBe(false);
    const none = compileConditions(['5xx']);
    expect(shouldFailOver({ kind: 'timeout', phase: 'total' }, none)).toBe(false);
    expect(shouldFailOver({ kind: 'connect-error' }, none)).toBe(false);
  });

  it('an empty list never fails over; unknown entries are refused', () => {
    const m = compileConditions([]);
    expect(shouldFailOver(response(500), m)).toBe(false);
    expect(shouldFailOver({ kind: 'connect-error' }, m)).toBe(false);
    expect(() => compileConditions(['6xx'])).toThrow(/unknown failover condition "6xx"/);
    expect(() => compileConditions(['timeouts'])).toThrow(/unknown failover condition/);
    expect(() => compileConditions(['42'])).toThrow(/unknown failover condition/);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads the three HTTP date forms as GMT', () => {
    expect(parseRetryAfter('Sat, 10 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Saturday, 10-Jan-26 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Sat Jan 10 12:00:05 2026', now)).toBe(5_000);
    expect(parseRetryAfter('Sat Jan  1 00:00:00 2028', now)).toBeGreaterThan(0);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it('a date in the past is 0; long waits are capped at a day', () => {
    expect(parseRetryAfter('Fri, 09 Jan 2026 12:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Sat, 10 Jan 2099 12:00:00 GMT', now)).toBe(86_400_000);
  });

  it('missing or malformed values are undefined', () => {
    for (const v of [undefined, null, '', '  ', '-1', 'soon', '5s', '1e3', '0x10', 'Sat, 10 Jan 2026 12:00:30', 'Sat, 31 Feb 2026 12:00:30 GMT', 'Sat, 10 Foo 2026 12:00:30 GMT', '2026-01-10T12:00:30Z', 'Sat, 10 Jan 2026 25:00:00 GMT']) {
      expect(parseRetryAfter(v, now), String(v)).toBeUndefined();
    }
  });
});
