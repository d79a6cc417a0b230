// The usage store: the aggregator's minute buckets, merged at each flush into minute, hour and
// day rollups (hour and day cut in sil.yaml's timeZone) held in memory and written to
// <dataDir>/state/usage by lowdb, only the files that changed. Flushes never overlap; a failed
// write stays in memory and is written at the next flush. Queries read the rollups plus what the
// aggregator holds that was not flushed yet.
import { periodStart } from '../../core/time-zone.ts';
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import { UsageAggregator, DEFAULT_MAX_DIMS } from './aggregator.ts';
import { addCounters, rollupRowOf } from './counters.ts';
import { dimsKey, matchesFilter } from './dims.ts';
import { GRANULARITIES, fileEndOf, fileStartOf } from './file-layout.ts';
import { RollupDisk, type FilesByGranularity } from './rollup-disk.ts';
import { RollupFile } from './rollup-file.ts';
import { RETENTION_MS, type Granularity, type RollupRow, type UsageDims, type UsageStore } from './types.ts';

export const DEFAULT_FLUSH_MS = 5_000;

export interface UsageStoreOptions {
  /** The folder of the rollup files (<dataDir>/state/usage); created when missing. */
  dir: string;
  /** The live config: key fingerprints, pricing currencies and sil.yaml's timeZone. */
  snapshot: () => ConfigSnapshot | null | undefined;
  /** How often memory is written (default 5 s); 0 writes only on flush() and close(). */
  flushMs?: number;
  /** Distinct dims per bucket before models fold into "(other)" (default 500). */
  maxDims?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export async function openUsageStore(opts: UsageStoreOptions): Promise<DiskUsageStore> {
  const now = opts.now ?? Date.now;
  const disk = new RollupDisk(opts.dir, opts.log ?? (() => {}));
  const files = await disk.loadAll(cutoffsAt(now()), now());
  return new DiskUsageStore(opts, disk, files);
}

function cutoffsAt(now: number): Record<Granularity, number> {
  return { minute: now - RETENTION_MS.minute, hour: now - RETENTION_MS.hour, day: now - RETENTION_MS.day };
}

export class DiskUsageStore implements UsageStore {
  /** What the proxy reports to (push it into main's recorders). */
  readonly recorder: UsageAggregator;
  readonly dir: string;
  readonly #disk: RollupDisk;
  readonly #files: FilesByGranularity;
  readonly #snapshot: () => ConfigSnapshot | null | undefined;
  readonly #maxDims: number;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  readonly #timer: NodeJS.Timeout | undefined;
  #tz: string;
  #chain: Promise<void> = Promise.resolve();
  #flushing = false;
  #closed = false;

  constructor(opts: UsageStoreOptions, disk: RollupDisk, files: FilesByGranularity) {
    this.dir = opts.dir;
    this.#disk = disk;
    this.#files = files;
    this.#snapshot = opts.snapshot;
    this.#maxDims = opts.maxDims ?? DEFAULT_MAX_DIMS;
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? (() => {});
    this.#tz = this.#currentTimeZone();
    this.recorder = new UsageAggregator({ snapshot: opts.snapshot, maxDims: this.#maxDims });
    const every = opts.flushMs ?? DEFAULT_FLUSH_MS;
    if (every > 0) {
      this.#timer = setInterval(() => {
        if (!this.#flushing) this.flush().catch(() => {});
      }, every);
      this.#timer.unref();
    }
  }

  timeZone(): string {
    return this.#tz;
  }

  addScore(dims: UsageDims, score: number, at: number): void {
    this.recorder.addScore(dims, score, at);
  }

  rows(granularity: Granularity, fromMs: number, toMs: number, filter?: Partial<UsageDims>): RollupRow[] {
    // What is not flushed yet, summed per bucket and dims; few rows (the last seconds).
    const pending = new Map<string, RollupRow>();
    const pendingTs = new Set<number>();
    const tz = this.#tz;
    let lastMinute = Number.NaN;
    let lastT = 0;
    this.recorder.forEachPending((minute, e) => {
      if (minute !== lastMinute) {
        lastMinute = minute;
        lastT = granularity === 'minute' ? minute : periodStart(minute, granularity, tz);
      }
      if (lastT < fromMs || lastT >= toMs || !matchesFilter(e.dims, filter)) return;
      const k = `${lastT}\u001e${dimsKey(e.dims)}`;
      const had = pending.get(k);
      if (had) addCounters(had, e.c);
      else {
        pending.set(k, { t: lastT, ...e.dims, ...e.c, latency: e.c.latency.slice() });
        pendingTs.add(lastT);
      }
    });
    const out: RollupRow[] = [];
    const files = [...this.#files[granularity].values()].sort((a, b) => a.start - b.start);
    for (const file of files) {
      file.collect(fromMs, toMs, filter, (dims, key, compact) => {
        const row = rollupRowOf(dims, compact);
        if (pendingTs.has(row.t)) {
          const k = `${row.t}\u001e${key}`;
          const more = pending.get(k);
          if (more) {
            addCounters(row, more);
            pending.delete(k);
          }
        }
        out.push(row);
      });
    }
    if (pending.size === 0) return out;
    for (const row of pending.values()) out.push(row);
    return out.sort((a, b) => a.t - b.t);
  }

  /** Merges what is in memory into the rollups and writes the changed files; one at a time. */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.#flushOnce());
    this.#chain = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#chain;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }

  async #flushOnce(): Promise<void> {
    this.#flushing = true;
    try {
      const now = this.#now();
      this.#tz = this.#currentTimeZone();
      this.#merge();
      const expired = this.#retain(now);
      for (const g of GRANULARITIES) {
        for (const file of this.#files[g].values()) {
          if (!file.dirty) continue;
          file.dirty = false;
          try {
            await this.#disk.write(g, file);
          } catch (err) {
            file.dirty = true;
            this.#log(`usage: cannot write ${this.#disk.pathOf(g, file.start)}: ${(err as Error).message}; the counts stay in memory and are written at the next flush`);
          }
        }
      }
      for (const [g, start] of expired) await this.#disk.remove(g, start).catch((err: Error) => this.#log(`usage: cannot delete expired ${this.#disk.pathOf(g, start)}: ${err.message}`));
    } finally {
      this.#flushing = false;
    }
  }

  /** The aggregator's buckets into the minute, hour and day rollups (synchronous: no count is ever in neither). */
  #merge(): void {
    const tz = this.#tz;
    for (const bucket of this.recorder.take()) {
      const hourT = periodStart(bucket.t, 'hour', tz);
      const dayT = periodStart(bucket.t, 'day', tz);
      const targets: [Granularity, number][] = [['minute', bucket.t], ['hour', hourT], ['day', dayT]];
      for (const [g, t] of targets) {
        const file = this.#fileFor(g, t);
        for (const e of bucket.entries.values()) file.add(t, e.dims, e.c, this.#maxDims);
        for (const e of bucket.retired) file.add(t, e.dims, e.c, this.#maxDims);
      }
    }
  }

  /** Drops rows past retention; answers the files that are now empty or entirely expired. */
  #retain(now: number): [Granularity, number][] {
    const cutoffs = cutoffsAt(now);
    const gone: [Granularity, number][] = [];
    for (const g of GRANULARITIES) {
      for (const [start, file] of this.#files[g]) {
        if (start >= cutoffs[g]) continue;
        file.prune(cutoffs[g]);
        if (file.end <= cutoffs[g] || file.isEmpty) {
          this.#files[g].delete(start);
          gone.push([g, start]);
        }
      }
    }
    return gone;
  }

  #fileFor(g: Granularity, t: number): RollupFile {
    const start = fileStartOf(g, t);
    let file = this.#files[g].get(start);
    if (!file) {
      file = new RollupFile(start, fileEndOf(g, start));
      this.#files[g].set(start, file);
    }
    return file;
  }

  #currentTimeZone(): string {
    return this.#snapshot()?.settings.timeZone ?? 'UTC';
  }
}
