import { describe, it, expect } from 'vitest';
import { uptime, uptimes, type Transition } from '../../../../server/observe/health/uptime.ts';

const H = 3_600_000;
const t = (at: number, to: Transition['to']): Transition => ({ provider: 'p', at, from: null, to, reason: '' });

describe('uptime', () => {
  const now = 100 * 24 * H;
  it('is null without history in the window', () => {
    expect(uptime([], now, 24 * H)).toBeNull();
    expect(uptime([t(now + 1, 'active')], now, 24 * H)).toBeNull();
  });

  it('counts active and degraded as up, error as down, over the time the history covers', () => {
    // 12 h known: 6 h active, 3 h error, 3 h degraded.
    const h = [t(now - 12 * H, 'active'), t(now - 6 * H, 'error'), t(now - 3 * H, 'degraded')];
    expect(uptime(h, now, 24 * H)).toBeCloseTo(0.75);
    // A transition before the window still holds at its start.
    expect(uptime(h, now, 4 * H)).toBeCloseTo(0.75);
    expect(uptime(h, now, 2 * H)).toBe(1);
  });

  it('leaves disabled time out', () => {
    const h = [t(now - 10 * H, 'error'), t(now - 9 * H, 'disabled'), t(now - 1 * H, 'active')];
    expect(uptime(h, now, 24 * H)).toBeCloseTo(0.5);
    expect(uptime([t(now - H, 'disabled')], now, 24 * H)).toBeNull();
  });

  it('gives the three windows', () => {
    const h = [t(now - 10 * 24 * H, 'error'), t(now - 24 * H, 'active')];
    const u = uptimes(h, now);
    expect(u['24h']).toBe(1);
    expect(u['7d']).toBeCloseTo(1 / 7);
    expect(u['30d']).toBeCloseTo(0.1);
  });
});
