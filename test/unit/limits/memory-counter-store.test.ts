import { describe, it, expect } from 'vitest';
import { MemoryCounterStore } from '../../../server/limits/memory-counter-store.ts';
import type { CounterOp } from '../../../server/limits/counter-store.ts';

const bucket = (key: string, capacity: number, perMs = 0.001): CounterOp => ({ type: 'bucket', key, amount: 1, capacity, refillPerMs: perMs });
const win = (key: string, amount: number, max: number, expiresAt = 10_000): CounterOp => ({ type: 'window', key, amount, max, expiresAt });

describe('in-memory counter store', () => {
  it('adds every op or none', () => {
    const s = new MemoryCounterStore();
    expect(s.checkAndAdd([bucket('r', 2), win('q', 1, 1)], 0)).toEqual({ refused: -1, used: [1, 1] });
    // The quota is used up: the bucket is not charged either.
    expect(s.checkAndAdd([bucket('r', 2), win('q', 1, 1)], 0)).toMatchObject({ refused: 1 });
    expect(s.checkAndAdd([bucket('r', 2)], 0)).toEqual({ refused: -1, used: [2] });
    expect(s.checkAndAdd([bucket('r', 2)], 0)).toMatchObject({ refused: 0, used: [2] });
  });

  it('drains buckets with time and ends windows at their end', () => {
    const s = new MemoryCounterStore();
    s.checkAndAdd([bucket('r', 1), win('q', 5, 5, 100)], 0);
    expect(s.checkAndAdd([bucket('r', 1)], 500).refused).toBe(0);
    expect(s.checkAndAdd([bucket('r', 1)], 1_000).refused).toBe(-1);
    expect(s.checkAndAdd([win('q', 5, 5, 200)], 99).refused).toBe(0);
    expect(s.checkAndAdd([win('q', 5, 5, 200)], 100).refused).toBe(-1);
  });

  it('checks a zero amount as "below the limit" (a budget)', () => {
    const s = new MemoryCounterStore();
    expect(s.checkAndAdd([win('b', 0, 1)], 0).refused).toBe(-1);
    s.add('b', 0.6, 10_000, 0);
    expect(s.checkAndAdd([win('b', 0, 1)], 0).refused).toBe(-1);
    s.add('b', 0.4, 10_000, 0);
    expect(s.checkAndAdd([win('b', 0, 1)], 0)).toEqual({ refused: 0, used: [1] });
  });

  it('settles without a limit, never below zero, and not into an ended window', () => {
    const s = new MemoryCounterStore();
    s.checkAndAdd([win('t', 100, 150)], 0);
    expect(s.add('t', -70, 10_000, 1)).toBe(30);
    expect(s.add('t', 200, 10_000, 1)).toBe(230);
    expect(s.add('t', -1_000, 10_000, 1)).toBe(0);
    expect(s.add('old', 5, 10, 20)).toBe(0);
    expect([...s.entries(20)].map((e) => e.key)).not.toContain('old');
  });

  it('dumps live counters and loads them back, dropping what has ended', () => {
    const s = new MemoryCounterStore();
    s.checkAndAdd([bucket('r', 3), win('q', 2, 9, 5_000), win('gone', 1, 9, 50)], 0);
    const dumped = s.dump(100);
    expect(dumped.map((e) => e.key).sort()).toEqual(['q', 'r']);
    const t = new MemoryCounterStore();
    expect(t.load([...dumped, { key: 'stale', value: 3, expiresAt: 10 }, { key: 'bad', value: Number.NaN, expiresAt: 9e15 }] as never, 200)).toBe(2);
    expect(t.checkAndAdd([win('q', 7, 9, 5_000)], 200)).toEqual({ refused: -1, used: [9] });
    // The bucket level 1 at 0 has drained 0.2 by 200 ms.
    expect(t.checkAndAdd([bucket('r', 3)], 200).used[0]).toBeCloseTo(1.8);
  });

  it('counts a version per change, for the file writer', () => {
    const s = new MemoryCounterStore();
    const v = s.version;
    s.checkAndAdd([bucket('r', 1)], 0);
    expect(s.version).toBe(v + 1);
    s.checkAndAdd([bucket('r', 1)], 0); // refused: nothing changed
    expect(s.version).toBe(v + 1);
  });
});
