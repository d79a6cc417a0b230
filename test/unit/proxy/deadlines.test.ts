// One timer per time limit: deadlines fire in order, removed ones never fire, and nothing is kept.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { Deadlines } from '../../../server/proxy/deadlines.ts';

afterEach(() => vi.useRealTimers());

describe('deadlines', () => {
  it('fire once their time has passed, in order, and removed ones never', () => {
    vi.useFakeTimers();
    const d = new Deadlines(() => Date.now());
    const fired: string[] = [];
    d.add(100, () => fired.push('a'));
    const b = d.add(100, () => fired.push('b'));
    vi.advanceTimersByTime(50);
    d.add(100, () => fired.push('c'));
    d.add(30, () => fired.push('short'));
    d.remove(b);
    d.remove(b);
    vi.advanceTimersByTime(40);
    expect(fired).toEqual(['short']);
    vi.advanceTimersByTime(20);
    expect(fired).toEqual(['short', 'a']);
    vi.advanceTimersByTime(60);
    expect(fired).toEqual(['short', 'a', 'c']);
    d.stop();
  });

  it('keep one timer per distinct limit however many requests wait', () => {
    vi.useFakeTimers();
    const d = new Deadlines(() => Date.now());
    const all = Array.from({ length: 1000 }, () => d.add(5000, () => undefined));
    expect(vi.getTimerCount()).toBe(1);
    d.add(100, () => undefined);
    expect(vi.getTimerCount()).toBe(2);
    for (const x of all) d.remove(x);
    d.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('let go of removed deadlines at once (head and tail relinked)', () => {
    vi.useFakeTimers();
    const d = new Deadlines(() => Date.now());
    const fired: number[] = [];
    const xs = [0, 1, 2, 3].map((i) => d.add(10, () => fired.push(i)));
    d.remove(xs[0]);
    d.remove(xs[3]);
    d.remove(xs[1]);
    expect(xs[1].next).toBeNull();
    vi.advanceTimersByTime(20);
    expect(fired).toEqual([2]);
    d.stop();
  });
});
