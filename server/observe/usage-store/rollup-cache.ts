// The files queries read lately that no longer change, bounded in bytes: the least recently used
// go first when a new one would pass the bound. A file bigger than the whole bound is not kept.
// Pure: no I/O.
import type { FrozenRollup } from './frozen-rollup.ts';
import type { Granularity } from './types.ts';

/** Default bound of the query cache: 16 MiB of rows (docs/usage-store.md, "Memory"). */
export const DEFAULT_CACHE_BYTES = 16 * 1024 * 1024;

const keyOf = (g: Granularity, start: number) => `${g}:${start}`;

export class RollupCache {
  readonly maxBytes: number;
  /** Insertion order is use order: the first entry is the least recently used. */
  readonly #files = new Map<string, FrozenRollup>();
  #bytes = 0;

  constructor(maxBytes = DEFAULT_CACHE_BYTES) {
    this.maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#files.size;
  }

  /** The file, now the most recently used; undefined when not held. */
  get(g: Granularity, start: number): FrozenRollup | undefined {
    const k = keyOf(g, start);
    const file = this.#files.get(k);
    if (file) {
      this.#files.delete(k);
      this.#files.set(k, file);
    }
    return file;
  }

  set(g: Granularity, file: FrozenRollup): void {
    this.delete(g, file.start);
    if (file.bytes > this.maxBytes) return;
    this.#files.set(keyOf(g, file.start), file);
    this.#bytes += file.bytes;
    for (const [k, old] of this.#files) {
      if (this.#bytes <= this.maxBytes) break;
      this.#files.delete(k);
      this.#bytes -= old.bytes;
    }
  }

  delete(g: Granularity, start: number): void {
    const k = keyOf(g, start);
    const file = this.#files.get(k);
    if (!file) return;
    this.#files.delete(k);
    this.#bytes -= file.bytes;
  }
}
