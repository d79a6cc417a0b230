// What a request's ops get while the shared counter store cannot be reached, each by its
// failMode: `closed` refuses the request (SIL_LIMIT_STORE_UNAVAILABLE), `local` counts in this
// instance's memory store (all or nothing among those ops, as always), `open` admits without
// counting. A closed op refuses before anything is counted. Pure apart from the memory store.
import type { CheckResult, CounterOp, FailMode } from './counter-store.ts';
import type { MemoryCounterStore } from './memory-counter-store.ts';

export function fallbackCheck(ops: readonly CounterOp[], now: number, memory: MemoryCounterStore, defaultMode: FailMode): CheckResult {
  const used = new Array<number>(ops.length);
  let localOps: CounterOp[] | null = null;
  let localIndex: number[] | null = null;
  for (let i = 0; i < ops.length; i++) {
    const mode = ops[i].failMode ?? defaultMode;
    if (mode === 'closed') return { refused: i, used, unavailable: true };
    if (mode === 'local') {
      (localOps ??= []).push(ops[i]);
      (localIndex ??= []).push(i);
    }
  }
  if (!localOps || !localIndex) return { refused: -1, used };
  const r = memory.checkAndAdd(localOps, now);
  for (let j = 0; j < localIndex.length; j++) if (r.used[j] !== undefined) used[localIndex[j]] = r.used[j];
  return { refused: r.refused < 0 ? -1 : localIndex[r.refused], used, local: true };
}
