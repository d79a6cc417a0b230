// One rollup file that may still change (a resident file, usage-store.ts): the rows of the
// buckets starting in [start, end) of one granularity, compact (a dims table and number arrays,
// as on disk). Adds counts, drops rows past retention, answers queries, and turns into the JSON
// the file holds. Pure: no I/O. Files that no longer change are held as FrozenRollup.
import { addToCompact, fromCompact, isCompactRow, rollupRowOf, toCompact, type CompactRow } from './counters.ts';
import { dimsKey, fromCompactDims, isCompactDims, matchesFilter, placeDims, toCompactDims, type CompactDims } from './dims.ts';
import type { RollupRow, UsageCounters, UsageDims } from './types.ts';

/** What a file holds on disk (`v` is the format's version). */
export interface RollupFileData { v: 1; dims: CompactDims[]; rows: CompactRow[] }

export class RollupFile {
  readonly start: number;
  readonly end: number;
  /** Changed since it was last written. */
  dirty = false;
  #dims: UsageDims[] = [];
  #keys: string[] = [];
  #index = new Map<string, number>();
  /** bucket start → dims index → row */
  #buckets = new Map<number, Map<number, CompactRow>>();

  constructor(start: number, end: number) {
    this.start = start;
    this.end = end;
  }

  /** The file's JSON checked row by row; throws a message saying what is wrong. */
  static fromData(data: unknown, start: number, end: number): RollupFile {
    const d = data as Partial<RollupFileData> | null;
    if (!d || typeof d !== 'object' || d.v !== 1 || !Array.isArray(d.dims) || !Array.isArray(d.rows)) throw new Error('not a usage rollup file (expected {"v":1,"dims":[...],"rows":[...]})');
    const file = new RollupFile(start, end);
    // A hand-edited table may name the same dims twice: both map to one entry.
    const internal = d.dims.map((dims, i) => {
      if (!isCompactDims(dims)) throw new Error(`dims ${i} is not a list of 7 strings`);
      return file.#indexOf(fromCompactDims(dims));
    });
    d.rows.forEach((row, i) => {
      if (!isCompactRow(row, internal.length)) throw new Error(`row ${i} is not a usage row`);
      if (row[0] < start || row[0] >= end) throw new Error(`row ${i} starts at ${new Date(row[0]).toISOString()}, outside the file's period`);
      const bucket = file.#bucketOf(row[0]);
      const di = internal[row[1]];
      const had = bucket.get(di);
      const own = row.slice();
      own[1] = di;
      bucket.set(di, had ? addToCompact(had, fromCompact(own)) : own);
    });
    return file;
  }

  get isEmpty(): boolean {
    return this.#buckets.size === 0;
  }

  /** Adds counts to bucket `t` (in [start, end)); a full bucket folds new dims (dims.ts). */
  add(t: number, dims: UsageDims, c: UsageCounters, maxDims: number): void {
    const bucket = this.#bucketOf(t);
    const placed = placeDims(dims, bucket.size, maxDims, (k) => {
      const i = this.#index.get(k);
      return i !== undefined && bucket.has(i);
    });
    const d = this.#indexOf(placed.dims, placed.key);
    const row = bucket.get(d);
    bucket.set(d, row ? addToCompact(row, c) : toCompact(t, d, c));
    this.dirty = true;
  }

  /** Drops the buckets starting before `cutoff`; true when any was. */
  prune(cutoff: number): boolean {
    let dropped = false;
    for (const t of this.#buckets.keys()) {
      if (t < cutoff) {
        this.#buckets.delete(t);
        dropped = true;
      }
    }
    if (dropped) this.dirty = true;
    return dropped;
  }

  /** The start of the last bucket it holds (NaN when empty). */
  get lastT(): number {
    let last = Number.NaN;
    for (const t of this.#buckets.keys()) if (!(t <= last)) last = t;
    return last;
  }

  /** Each row of a bucket starting in [from, to) whose dims match `filter`, in time order, with its dims key. */
  collect(from: number, to: number, filter: Partial<UsageDims> | undefined, fn: (key: string, row: RollupRow) => void): void {
    if (this.start >= to || this.end <= from) return;
    const matches = this.#dims.map((d) => matchesFilter(d, filter));
    const ts = [...this.#buckets.keys()].sort((a, b) => a - b);
    for (const t of ts) {
      if (t < from || t >= to) continue;
      for (const [d, row] of this.#buckets.get(t)!) if (matches[d]) fn(this.#keys[d], rollupRowOf(this.#dims[d], row));
    }
  }

  /** The file's JSON, with the dims table reduced to the dims still used (and kept so). */
  toData(): RollupFileData {
    const dims: UsageDims[] = [];
    const keys: string[] = [];
    const index = new Map<string, number>();
    const rows: CompactRow[] = [];
    const ts = [...this.#buckets.keys()].sort((a, b) => a - b);
    for (const t of ts) {
      const bucket = this.#buckets.get(t)!;
      const renumbered = new Map<number, CompactRow>();
      for (const [d, row] of bucket) {
        const key = this.#keys[d];
        let nd = index.get(key);
        if (nd === undefined) {
          nd = dims.length;
          dims.push(this.#dims[d]);
          keys.push(key);
          index.set(key, nd);
        }
        const moved = row.slice();
        moved[1] = nd;
        renumbered.set(nd, moved);
        rows.push(moved);
      }
      this.#buckets.set(t, renumbered);
    }
    this.#dims = dims;
    this.#keys = keys;
    this.#index = index;
    return { v: 1, dims: dims.map(toCompactDims), rows };
  }

  #bucketOf(t: number): Map<number, CompactRow> {
    let b = this.#buckets.get(t);
    if (!b) {
      b = new Map();
      this.#buckets.set(t, b);
    }
    return b;
  }

  #indexOf(dims: UsageDims, key = dimsKey(dims)): number {
    let i = this.#index.get(key);
    if (i === undefined) {
      i = this.#dims.length;
      this.#dims.push(dims);
      this.#keys.push(key);
      this.#index.set(key, i);
    }
    return i;
  }
}
