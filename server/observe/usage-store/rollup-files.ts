// Where each rollup file is: resident (may still change: a RollupFile, written at flushes), in
// the query cache (a FrozenRollup read lately) or only on disk (listed by name at start, read
// when a query or a late count needs it). Reads are shared while in flight and versioned: a copy
// read before a write or a deletion of its file is never cached, and a query that would use one
// is told to read again.
import { GRANULARITIES, fileEndOf } from './file-layout.ts';
import { FrozenRollup } from './frozen-rollup.ts';
import { RollupCache } from './rollup-cache.ts';
import type { RollupDisk } from './rollup-disk.ts';
import { RollupFile } from './rollup-file.ts';
import { mayChange } from './residency.ts';
import type { Granularity, RollupRow, UsageDims } from './types.ts';

type ByGranularity<T> = Record<Granularity, Map<number, T>>;
const byGranularity = <T>(): ByGranularity<T> => ({ minute: new Map(), hour: new Map(), day: new Map() });

interface Read { file: FrozenRollup | null; version: number }

/** A query's files read ahead (the awaits), then collected at once (no await: no count is seen twice). */
export interface Prepared { g: Granularity; starts: number[]; read: Map<number, Read> }

export class RollupFiles {
  readonly cache: RollupCache;
  readonly #disk: RollupDisk;
  readonly #resident = byGranularity<RollupFile>();
  /** Files on disk (written, or listed at start): the start of their last bucket when known, else NaN. */
  readonly #onDisk = byGranularity<number>();
  /** A new stamp at each write, deletion or move of a file (none: never changed). */
  readonly #versions = new Map<string, number>();
  #stamp = 0;
  readonly #reading = new Map<string, Promise<Read>>();

  constructor(disk: RollupDisk, cacheBytes?: number) {
    this.#disk = disk;
    this.cache = new RollupCache(cacheBytes);
  }

  /** Lists the files (deleting expired ones) and reads those that may still change at `now`. */
  async open(cutoffs: Record<Granularity, number>, now: number, graceMs: number): Promise<void> {
    const listed = await this.#disk.list(cutoffs);
    for (const g of GRANULARITIES) {
      for (const start of listed[g]) {
        this.#onDisk[g].set(start, Number.NaN);
        if (!mayChange(g, start, now, graceMs)) continue;
        const file = await this.#disk.read(g, start, 'found at start');
        if (!file) this.#onDisk[g].delete(start);
        else {
          file.prune(cutoffs[g]);
          this.#resident[g].set(start, file);
        }
      }
    }
  }

  residentCount(): number {
    return GRANULARITIES.reduce((n, g) => n + this.#resident[g].size, 0);
  }

  resident(g: Granularity): IterableIterator<RollupFile> {
    return this.#resident[g].values();
  }

  /** True when counts for the file can be added without reading it first. */
  isReady(g: Granularity, start: number): boolean {
    return this.#resident[g].has(start) || !this.#onDisk[g].has(start);
  }

  /** The resident file of period `start`, a new empty one when there is none on disk. */
  fileFor(g: Granularity, start: number): RollupFile {
    let file = this.#resident[g].get(start);
    if (!file) {
      if (this.#onDisk[g].has(start)) throw new Error(`usage: ${this.#disk.pathOf(g, start)} must be read before counts are added to it`);
      file = new RollupFile(start, fileEndOf(g, start));
      this.#resident[g].set(start, file);
    }
    return file;
  }

  /** Reads a file on disk back into memory, for late counts. */
  async makeResident(g: Granularity, start: number): Promise<void> {
    if (this.isReady(g, start)) return;
    const { file } = await this.#read(g, start, 'found by a flush adding late counts to it');
    if (this.isReady(g, start)) return;
    this.#changed(g, start);
    if (!file) this.#onDisk[g].delete(start);
    else this.#resident[g].set(start, RollupFile.fromData(file.toData(), start, file.end));
  }

  pathOf(g: Granularity, start: number): string {
    return this.#disk.pathOf(g, start);
  }

  /** Writes a resident file (atomically). */
  async write(g: Granularity, file: RollupFile): Promise<void> {
    this.#changed(g, file.start);
    await this.#disk.write(g, file);
    this.#onDisk[g].set(file.start, file.lastT);
  }

  /** Deletes the file of an expired period (forgotten here by expire()). */
  remove(g: Granularity, start: number): Promise<void> {
    return this.#disk.remove(g, start);
  }

  /**
   * Drops rows past retention from resident files; answers the files now entirely past it (or
   * empty), forgotten here, to delete on disk.
   */
  expire(cutoffs: Record<Granularity, number>): [Granularity, number][] {
    const gone: [Granularity, number][] = [];
    for (const g of GRANULARITIES) {
      const cutoff = cutoffs[g];
      for (const [start, file] of this.#resident[g]) {
        if (start >= cutoff) continue;
        file.prune(cutoff);
        if (file.end <= cutoff || file.isEmpty) gone.push([g, start]);
      }
      for (const [start, lastT] of this.#onDisk[g]) {
        if (this.#resident[g].has(start)) continue;
        if (fileEndOf(g, start) <= cutoff || lastT < cutoff) gone.push([g, start]);
      }
    }
    for (const [g, start] of gone) {
      this.#resident[g].delete(start);
      this.#onDisk[g].delete(start);
      this.#changed(g, start);
      // Forgotten unless a read in flight must see the change (the map stays as small as the files).
      if (!this.#reading.has(`${g}:${start}`)) this.#versions.delete(`${g}:${start}`);
    }
    return gone;
  }

  /** Moves the resident files that can no longer change, and are written, to the query cache. */
  settle(now: number, graceMs: number): void {
    for (const g of GRANULARITIES) {
      for (const [start, file] of this.#resident[g]) {
        if (file.dirty || mayChange(g, start, now, graceMs)) continue;
        this.#resident[g].delete(start);
        this.#changed(g, start);
        if (!this.#onDisk[g].has(start)) continue;
        const frozen = new FrozenRollup(file.toData(), start, file.end);
        this.#onDisk[g].set(start, frozen.lastT);
        this.cache.set(g, frozen);
      }
    }
  }

  /** Reads the files overlapping [from, to) that are not resident (from the cache or disk). */
  async prepare(g: Granularity, from: number, to: number): Promise<Prepared> {
    const starts = new Set<number>();
    for (const start of [...this.#onDisk[g].keys(), ...this.#resident[g].keys()]) if (start < to && fileEndOf(g, start) > from) starts.add(start);
    const sorted = [...starts].sort((a, b) => a - b);
    const read = new Map<number, Read>();
    for (const start of sorted) {
      if (this.#resident[g].has(start)) continue;
      const cached = this.cache.get(g, start);
      read.set(start, cached ? { file: cached, version: this.#version(g, start) } : await this.#read(g, start, 'found by a query, which went on without them'));
    }
    return { g, starts: sorted, read };
  }

  /**
   * The prepared files' rows in [from, to) matching `filter`, in time order, and files that
   * became resident since; false when a file read ahead changed since (read again), unless
   * `force` (then that file's copy as read is used).
   */
  collect(p: Prepared, from: number, to: number, filter: Partial<UsageDims> | undefined, force: boolean, fn: (key: string, row: RollupRow) => void): boolean {
    const starts = new Set(p.starts);
    for (const start of this.#resident[p.g].keys()) if (start < to && fileEndOf(p.g, start) > from) starts.add(start);
    const sources: (RollupFile | FrozenRollup)[] = [];
    for (const start of [...starts].sort((a, b) => a - b)) {
      const resident = this.#resident[p.g].get(start);
      if (resident) {
        sources.push(resident);
        continue;
      }
      const read = p.read.get(start);
      if (read && read.version === this.#version(p.g, start)) {
        if (read.file) sources.push(read.file);
        continue;
      }
      const cached = this.cache.get(p.g, start);
      if (cached) sources.push(cached);
      else if (!force && this.#onDisk[p.g].has(start)) return false;
      else if (read?.file) sources.push(read.file);
    }
    for (const file of sources) file.collect(from, to, filter, fn);
    return true;
  }

  /** One read of a file at a time, shared; cached when nothing changed it meanwhile. */
  #read(g: Granularity, start: number, who: string): Promise<Read> {
    const key = `${g}:${start}`;
    let reading = this.#reading.get(key);
    if (!reading) {
      const version = this.#version(g, start);
      reading = this.#disk.read(g, start, who).then((file) => {
        const frozen = file ? new FrozenRollup(file.toData(), start, file.end) : null;
        if (version === this.#version(g, start)) {
          if (frozen) {
            this.#onDisk[g].set(start, frozen.lastT);
            this.cache.set(g, frozen);
          } else this.#onDisk[g].delete(start);
        }
        return { file: frozen, version };
      }).finally(() => this.#reading.delete(key));
      this.#reading.set(key, reading);
    }
    return reading;
  }

  #version(g: Granularity, start: number): number {
    return this.#versions.get(`${g}:${start}`) ?? 0;
  }

  #changed(g: Granularity, start: number): void {
    this.#versions.set(`${g}:${start}`, ++this.#stamp);
    this.cache.delete(g, start);
  }
}
