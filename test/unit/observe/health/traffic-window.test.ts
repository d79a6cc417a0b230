import { describe, it, expect } from 'vitest';
import { TrafficWindow, attemptFailed } from '../../../../server/observe/health/traffic-window.ts';
import type { RequestOutcome } from '../../../../server/observe/usage-recorder.ts';

const outcome = (at: number, attempts: { status?: number; outcome: string; keyId?: string }[]): RequestOutcome => ({
  requestId: 'r', at, client: 'c', binding: 'b', door: 'unified', status: 200, latencyMs: 1, attempts: attempts.length, failovers: 0, answered: true,
  attemptRecords: attempts.map((a) => ({ provider: 'p', service: 's', keyId: a.keyId ?? 'k1', outcome: a.outcome, ms: 1, ...(a.status !== undefined ? { status: a.status } : {}) })),
});

describe('traffic window', () => {
  it('counts 5xx, 401/403, timeouts and connect errors as failures', () => {
    expect(attemptFailed('503', 503)).toBe(true);
    expect(attemptFailed('401', 401)).toBe(true);
    expect(attemptFailed('429', 429)).toBe(false);
    expect(attemptFailed('200', 200)).toBe(false);
    expect(attemptFailed('timeout (first-byte)', undefined)).toBe(true);
    expect(attemptFailed('connect-error', undefined)).toBe(true);
  });

  it('counts attempts per provider and key and forgets what left the window', () => {
    const w = new TrafficWindow(1000); // 10 × 1 s
    w.outcome(outcome(500, [{ status: 503, outcome: '503' }, { status: 200, outcome: '200', keyId: 'k2' }]));
    w.outcome(outcome(1500, [{ status: 200, outcome: '200' }]));
    expect(w.provider('p', 2000)).toEqual({ requests: 3, errors: 1 });
    expect(w.key('p', 'k1', 2000)).toEqual({ requests: 2, errors: 1 });
    expect(w.key('p', 'k2', 2000)).toEqual({ requests: 1, errors: 0 });
    expect(w.provider('p', 10_500)).toEqual({ requests: 1, errors: 0 });
    expect(w.provider('p', 20_000)).toEqual({ requests: 0, errors: 0 });
    expect(w.provider('other', 2000)).toEqual({ requests: 0, errors: 0 });
  });
});
