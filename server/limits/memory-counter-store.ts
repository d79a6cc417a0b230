// The in-memory counter store: exact within one process (Node runs one request's admission to the
// end before the next), synchronous, a Map lookup per op. Expired windows and drained buckets are
// dropped when met and by prune(); dump()/load() are for the persistence file (counter-file.ts).
import type { CheckResult, CounterEntry, CounterOp, CounterStore } from './counter-store.ts';
import { levelAt } from './token-bucket.ts';

interface Slot {
  bucket: boolean;
  value: number;
  /** Window: its end. Bucket: when it has drained to empty. */
  expiresAt: number;
  /** Bucket: the instant of `value`. */
  at: number;
}

export class MemoryCounterStore implements CounterStore {
  readonly #slots = new Map<string, Slot>();
  /** Bumped on every change, so the file writer knows whether there is anything to write. */
  version = 0;

  #current(op: CounterOp, now: number): number {
    const s = this.#slots.get(op.key);
    if (!s) return 0;
    if (op.type === 'window') return !s.bucket && s.expiresAt > now ? s.value : 0;
    return s.bucket ? levelAt(s.value, s.at, op, now) : 0;
  }

  checkAndAdd(ops: readonly CounterOp[], now: number): CheckResult {
    const used = new Array<number>(ops.length);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      const u = this.#current(op, now);
      used[i] = u;
      const fits = op.type === 'window'
        ? (op.amount === 0 ? u < op.max : u + op.amount <= op.max)
        : u + op.amount <= op.capacity + 1e-9;
      if (!fits) return { refused: i, used };
    }
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if (op.amount === 0) continue;
      used[i] += op.amount;
      const s = this.#slots.get(op.key);
      const bucket = op.type === 'bucket';
      if (s && s.bucket === bucket) {
        s.value = used[i];
        s.at = now;
        s.expiresAt = bucket ? now + used[i] / op.refillPerMs : op.expiresAt;
      } else {
        this.#slots.set(op.key, { bucket, value: used[i], expiresAt: bucket ? now + used[i] / op.refillPerMs : op.expiresAt, at: now });
      }
    }
    this.version++;
    return { refused: -1, used };
  }

  add(key: string, amount: number, expiresAt: number, now: number): number {
    if (expiresAt <= now) return 0; // a window that has ended: nothing left to settle
    let s = this.#slots.get(key);
    if (s && (s.bucket || s.expiresAt <= now)) s = undefined;
    const value = Math.max(0, (s?.value ?? 0) + amount);
    if (s) s.value = value;
    else if (value > 0) this.#slots.set(key, { bucket: false, value, expiresAt, at: 0 });
    this.version++;
    return value;
  }

  *entries(now: number): Iterable<CounterEntry> {
    for (const [key, s] of this.#slots) {
      if (s.expiresAt <= now) continue;
      yield s.bucket ? { key, value: s.value, at: s.at, expiresAt: s.expiresAt } : { key, value: s.value, expiresAt: s.expiresAt };
    }
  }

  /** Drops ended windows and drained buckets. */
  prune(now: number): void {
    for (const [key, s] of this.#slots) if (s.expiresAt <= now) this.#slots.delete(key);
  }

  /** Every live counter, for the file. */
  dump(now: number): CounterEntry[] {
    this.prune(now);
    return [...this.entries(now)];
  }

  /** Counters from the file; expired windows are left out. */
  load(entries: readonly CounterEntry[], now: number): number {
    let n = 0;
    for (const e of entries) {
      if (typeof e?.key !== 'string' || !Number.isFinite(e.value) || e.value <= 0) continue;
      if (typeof e.expiresAt !== 'number' || !(e.expiresAt > now)) continue;
      const bucket = typeof e.at === 'number' && Number.isFinite(e.at);
      this.#slots.set(e.key, { bucket, value: e.value, expiresAt: e.expiresAt, at: bucket ? e.at! : 0 });
      n++;
    }
    return n;
  }
}
