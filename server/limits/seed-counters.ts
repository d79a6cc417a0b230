// Counters seen in the shared store copied into this instance's memory store when the shared one
// goes away, so that a local fallback starts from the last known count (a daily quota at 990 of
// 1000 does not admit 1000 more per instance). A memory counter already higher is kept.
import type { CounterEntry } from './counter-store.ts';
import type { MemoryCounterStore } from './memory-counter-store.ts';

const levelAt = (e: CounterEntry, now: number) => (e.at === undefined || e.expiresAt <= e.at ? e.value : e.value * Math.max(0, Math.min(1, (e.expiresAt - now) / (e.expiresAt - e.at))));

export function seedCounters(memory: MemoryCounterStore, seen: readonly CounterEntry[], now: number): number {
  if (seen.length === 0) return 0;
  const mine = new Map<string, CounterEntry>();
  for (const e of memory.entries(now)) mine.set(e.key, e);
  const higher = seen.filter((e) => {
    const m = mine.get(e.key);
    return !m || levelAt(e, now) > levelAt(m, now);
  });
  return memory.load(higher, now);
}
