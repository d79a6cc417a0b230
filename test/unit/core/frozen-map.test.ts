import { describe, it, expect } from 'vitest';
import { FrozenMap } from '../../../server/core/frozen-map.ts';

describe('FrozenMap', () => {
  it('reads like a Map and refuses every change', () => {
    const m = new FrozenMap([['a', 1], ['b', 2]]);
    expect([...m.keys()]).toEqual(['a', 'b']);
    expect(m.get('b')).toBe(2);
    expect(() => m.set('c', 3)).toThrow(/read-only/);
    expect(() => m.delete('a')).toThrow(/read-only/);
    expect(() => m.clear()).toThrow(/read-only/);
    expect(m.size).toBe(2);
  });
});
