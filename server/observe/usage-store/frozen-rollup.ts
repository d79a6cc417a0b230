// A rollup file that no longer changes, read-only and as small as it gets: its compact rows
// (counters.ts) one after the other in one Float64Array, sorted by bucket start, with where each
// row starts. This is what the query cache (rollup-cache.ts) holds; its size in bytes is known, so
// the cache can be bounded in bytes. Pure: no I/O.
import { rollupRowAt } from './counters.ts';
import { dimsKey, fromCompactDims, matchesFilter, toCompactDims } from './dims.ts';
import type { RollupFileData } from './rollup-file.ts';
import type { RollupRow, UsageDims } from './types.ts';

/** What one entry of the dims table costs beside its strings (object, array slot, key string header). */
const DIMS_OVERHEAD_BYTES = 160;

export class FrozenRollup {
  readonly start: number;
  readonly end: number;
  /** Approximate memory it holds: the typed arrays, plus the dims table's strings. */
  readonly bytes: number;
  readonly #dims: UsageDims[];
  readonly #keys: string[];
  readonly #data: Float64Array;
  /** Row i is #data[#at[i] .. #at[i + 1]). */
  readonly #at: Uint32Array;

  /** From a file's data as RollupFile.toData() answers it: dims used, rows sorted by bucket start. */
  constructor(data: RollupFileData, start: number, end: number) {
    this.start = start;
    this.end = end;
    this.#dims = data.dims.map(fromCompactDims);
    this.#keys = this.#dims.map((d) => dimsKey(d));
    this.#at = new Uint32Array(data.rows.length + 1);
    let length = 0;
    data.rows.forEach((row, i) => {
      this.#at[i] = length;
      length += row.length;
    });
    this.#at[data.rows.length] = length;
    this.#data = new Float64Array(length);
    data.rows.forEach((row, i) => this.#data.set(row, this.#at[i]));
    let strings = 0;
    for (const k of this.#keys) strings += k.length;
    this.bytes = this.#data.byteLength + this.#at.byteLength + this.#dims.length * DIMS_OVERHEAD_BYTES + strings * 4;
  }

  get rowCount(): number {
    return this.#at.length - 1;
  }

  /** The start of the last bucket it holds (NaN when empty). */
  get lastT(): number {
    return this.rowCount === 0 ? Number.NaN : this.#data[this.#at[this.rowCount - 1]];
  }

  /** Each row of a bucket starting in [from, to) whose dims match `filter`, in time order, with its dims key. */
  collect(from: number, to: number, filter: Partial<UsageDims> | undefined, fn: (key: string, row: RollupRow) => void): void {
    if (this.start >= to || this.end <= from) return;
    const matches = this.#dims.map((d) => matchesFilter(d, filter));
    const n = this.rowCount;
    for (let i = this.#firstAtOrAfter(from); i < n; i++) {
      const at = this.#at[i];
      if (this.#data[at] >= to) break;
      const d = this.#data[at + 1];
      if (matches[d]) fn(this.#keys[d], rollupRowAt(this.#dims[d], this.#data, at, this.#at[i + 1]));
    }
  }

  /** The file's JSON again (to make it a RollupFile that can change). */
  toData(): RollupFileData {
    const rows: number[][] = [];
    for (let i = 0; i < this.rowCount; i++) rows.push(Array.from(this.#data.subarray(this.#at[i], this.#at[i + 1])));
    return { v: 1, dims: this.#dims.map(toCompactDims), rows };
  }

  /** The index of the first row whose bucket starts at or after `t` (binary search). */
  #firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.rowCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#data[this.#at[mid]] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
