import { describe, it, expect } from 'vitest';
import { LoginThrottle, throttleKey } from '../../../../server/api/owner/throttle.ts';

const MIN = 60_000;

/** Fails `n` times from `ip`, each as soon as the throttle allows; returns the time after. */
function failRepeatedly(t: LoginThrottle, ip: string, n: number, start: number): number {
  let now = start;
  for (let i = 0; i < n; i++) {
    const d = t.check(ip, now);
    if (!d.allowed) now += d.retryAfterMs;
    expect(t.check(ip, now)).toEqual({ allowed: true });
    t.fail(ip, now);
  }
  return now;
}

describe('login throttle', () => {
  it('delays attempts exponentially from the second failure', () => {
    const t = new LoginThrottle();
    const t0 = 1_000_000;
    t.fail('10.0.0.1', t0);
    expect(t.check('10.0.0.1', t0)).toEqual({ allowed: true });
    t.fail('10.0.0.1', t0);
    expect(t.check('10.0.0.1', t0)).toMatchObject({ allowed: false, reason: 'throttled', retryAfterMs: 1000 });
    expect(t.check('10.0.0.1', t0 + 1000)).toEqual({ allowed: true });
    t.fail('10.0.0.1', t0 + 1000);
    expect(t.check('10.0.0.1', t0 + 1000)).toMatchObject({ reason: 'throttled', retryAfterMs: 2000 });
    t.fail('10.0.0.1', t0 + 3000);
    expect(t.check('10.0.0.1', t0 + 3000)).toMatchObject({ reason: 'throttled', retryAfterMs: 4000 });
    // other clients are not affected
    expect(t.check('10.0.0.2', t0)).toEqual({ allowed: true });
  });

  it('locks a client for 15 minutes at the 5th failure, then lets it try again', () => {
    const t = new LoginThrottle();
    const t0 = 1_000_000;
    let now = failRepeatedly(t, '10.0.0.1', 4, t0);
    now += 10_000;
    expect(t.fail('10.0.0.1', now)).toEqual({ locked: true, scope: 'client', retryAfterMs: 15 * MIN });
    expect(t.check('10.0.0.1', now + 14 * MIN)).toMatchObject({ allowed: false, reason: 'locked', scope: 'client', retryAfterMs: MIN });
    expect(t.check('10.0.0.1', now + 15 * MIN)).toEqual({ allowed: true });
  });

  it('doubles the lock of a client locked again within a day', () => {
    const t = new LoginThrottle();
    let now = failRepeatedly(t, '10.0.0.1', 5, 0);
    now += 15 * MIN;
    now = failRepeatedly(t, '10.0.0.1', 4, now);
    expect(t.fail('10.0.0.1', now + 60_000)).toMatchObject({ locked: true, retryAfterMs: 30 * MIN });
  });

  it('forgets failures after the window', () => {
    const t = new LoginThrottle();
    const now = failRepeatedly(t, '10.0.0.1', 4, 0);
    expect(t.fail('10.0.0.1', now + 16 * MIN)).toEqual({ locked: false });
    expect(t.check('10.0.0.1', now + 16 * MIN)).toEqual({ allowed: true });
  });

  it('locks the account for everyone after 20 failures from many clients', () => {
    const t = new LoginThrottle();
    let result;
    for (let i = 0; i < 20; i++) result = t.fail(`10.0.1.${i}`, 1000 + i);
    expect(result).toEqual({ locked: true, scope: 'global', retryAfterMs: 15 * MIN });
    expect(t.check('192.0.2.1', 2000)).toMatchObject({ allowed: false, reason: 'locked', scope: 'global' });
    expect(t.check('192.0.2.1', 1019 + 15 * MIN)).toEqual({ allowed: true });
  });

  it('clears a client after a successful login', () => {
    const t = new LoginThrottle();
    failRepeatedly(t, '10.0.0.1', 3, 0);
    t.succeed('10.0.0.1');
    expect(t.check('10.0.0.1', 3000)).toEqual({ allowed: true });
  });

  it('counts an IPv6 /64 as one client', () => {
    expect(throttleKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('::ffff:10.0.0.1')).toBe('10.0.0.1');
    const t = new LoginThrottle();
    failRepeatedly(t, '2001:db8:1:2::1', 5, 0);
    expect(t.check('2001:db8:1:2:ffff::9', 10_000)).toMatchObject({ allowed: false, reason: 'locked' });
    expect(t.check('2001:db8:1:3::1', 10_000)).toEqual({ allowed: true });
  });

  it('survives a round trip through JSON (a restart keeps the lock)', () => {
    const t = new LoginThrottle();
    const now = failRepeatedly(t, '10.0.0.1', 5, 0);
    const again = new LoginThrottle({}, JSON.parse(JSON.stringify(t)));
    expect(again.check('10.0.0.1', now + MIN)).toMatchObject({ allowed: false, reason: 'locked' });
    expect(new LoginThrottle({}, { records: 'junk' }).check('10.0.0.1', 0)).toEqual({ allowed: true });
  });
});
