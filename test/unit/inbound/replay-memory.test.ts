import { describe, expect, it } from 'vitest';
import { ReplayMemory } from '../../../server/inbound/replay-memory.ts';

describe('ReplayMemory', () => {
  it('remembers until the given time, keeps no id in clear and is bounded', () => {
    const m = new ReplayMemory({ max: 3 });
    const k = ReplayMemory.keyOf('stripe-main', 'id:evt_1');
    expect(k).not.toContain('evt_1');
    m.remember(k, 2000, 0);
    expect(m.has(k, 1999)).toBe(true);
    expect(m.has(k, 2000)).toBe(false);
    for (let i = 0; i < 5; i++) m.remember(`k${i}`, 10_000, 0);
    expect(m.size).toBe(3);
    expect(m.has('k0', 1)).toBe(false);
    expect(m.has('k4', 1)).toBe(true);
  });

  it('dumps and loads only live entries', () => {
    const m = new ReplayMemory();
    m.remember('a', 100, 0);
    m.remember('b', 5000, 0);
    const n = new ReplayMemory();
    n.load(m.dump(200), 200);
    expect(n.has('a', 200)).toBe(false);
    expect(n.has('b', 200)).toBe(true);
  });
});
