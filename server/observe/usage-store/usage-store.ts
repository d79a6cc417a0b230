// The usage store: the aggregator's minute buckets, merged at each flush into minute, hour and
// day rollups (hour and day cut in sil.yaml's timeZone) and written to <dataDir>/state/usage by
// lowdb, only the files that changed. Flushes never overlap; a failed write stays in memory and is
// written at the next flush. Only the files that may still change are held in memory (resident);
// older ones are read when a query needs them, through a cache bounded in bytes (rollup-files.ts,
// docs/usage-store.md "Memory"). Queries read the files plus what the aggregator holds that was
// not flushed yet.
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import { UsageAggregator, DEFAULT_MAX_DIMS, type MinuteBucket } from './aggregator.ts';
import { GRANULARITIES } from './file-layout.ts';
import { PendingRows } from './pending-rows.ts';
import { LATE_MS, targetsOf } from './residency.ts';
import { RollupDisk } from './rollup-disk.ts';
import { RollupFiles } from './rollup-files.ts';
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
  /** Bound of the cache of files read for queries, in bytes (default 16 MiB). */
  cacheBytes?: number;
  now?: () => number;
  log?: (line: string) => void;
  /** Several instances (docs/scaling.md): where this instance's counts go to be shared. */
  exchange?: UsageExchange;
}

/**
 * The usage stream several instances share: while active(), each flush publishes this instance's
 * buckets instead of merging them, and every instance (this one too) merges what it reads back
 * through ingest(). merged() is told once everything ingested so far is written.
 */
export interface UsageExchange {
  active(): boolean;
  /** true when the buckets went out (they will come back through ingest), false to merge them here. */
  publish(buckets: readonly MinuteBucket[]): Promise<boolean>;
  merged?(): void;
}

export async function openUsageStore(opts: UsageStoreOptions): Promise<DiskUsageStore> {
  const now = opts.now ?? Date.now;
  const files = new RollupFiles(new RollupDisk(opts.dir, opts.log ?? (() => {}), now), opts.cacheBytes);
  await files.open(cutoffsAt(now()), now(), graceOf(opts.flushMs ?? DEFAULT_FLUSH_MS));
  return new DiskUsageStore(opts, files);
}

/** How late counts may come and still find their file resident: LATE_MS plus a flush interval. */
function graceOf(flushMs: number): number {
  return LATE_MS + flushMs;
}

function cutoffsAt(now: number): Record<Granularity, number> {
  return { minute: now - RETENTION_MS.minute, hour: now - RETENTION_MS.hour, day: now - RETENTION_MS.day };
}

export class DiskUsageStore implements UsageStore {
  /** What the proxy reports to (push it into main's recorders). */
  readonly recorder: UsageAggregator;
  readonly dir: string;
  readonly #files: RollupFiles;
  readonly #graceMs: number;
  readonly #snapshot: () => ConfigSnapshot | null | undefined;
  readonly #maxDims: number;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  readonly #timer: NodeJS.Timeout | undefined;
  #tz: string;
  #chain: Promise<void> = Promise.resolve();
  #flushing = false;
  #closed = false;
  /** Buckets read from the shared stream (or not published), merged at the next flush. */
  #incoming: MinuteBucket[] = [];
  readonly #exchange: UsageExchange | undefined;

  constructor(opts: UsageStoreOptions, files: RollupFiles) {
    this.dir = opts.dir;
    this.#files = files;
    this.#graceMs = graceOf(opts.flushMs ?? DEFAULT_FLUSH_MS);
    this.#snapshot = opts.snapshot;
    this.#maxDims = opts.maxDims ?? DEFAULT_MAX_DIMS;
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? (() => {});
    this.#tz = this.#currentTimeZone();
    this.#exchange = opts.exchange;
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

  /** How many rollup files are held in memory to be added to (the others are on disk). */
  residentFiles(): number {
    return this.#files.residentCount();
  }

  /** The query cache: how many files it holds and their size in bytes, and its bound. */
  cacheStats(): { files: number; bytes: number; maxBytes: number } {
    const c = this.#files.cache;
    return { files: c.size, bytes: c.bytes, maxBytes: c.maxBytes };
  }

  async rows(granularity: Granularity, fromMs: number, toMs: number, filter?: Partial<UsageDims>): Promise<RollupRow[]> {
    // Rows past retention are not answered, also from a file on disk not deleted yet.
    const from = Math.max(fromMs, this.#now() - RETENTION_MS[granularity]);
    for (let attempt = 1; ; attempt++) {
      const prepared = await this.#files.prepare(granularity, from, toMs);
      // From here on no await: the pending counts and the files are read at one instant.
      const pending = new PendingRows(this.recorder, granularity, from, toMs, filter, this.#tz);
      const out: RollupRow[] = [];
      const complete = this.#files.collect(prepared, from, toMs, filter, attempt === 3, (key, row) => {
        pending.addInto(key, row);
        out.push(row);
      });
      if (!complete) continue;
      if (pending.rows.size === 0) return out;
      for (const row of pending.rows.values()) out.push(row);
      return out.sort((a, b) => a.t - b.t);
    }
  }

  /** Buckets of any instance, read from the shared stream: merged at the next flush. */
  ingest(buckets: readonly MinuteBucket[]): void {
    for (const b of buckets) this.#incoming.push(b);
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
      const tz = this.#tz;
      if (this.#exchange?.active()) {
        const own = this.recorder.take();
        if (own.length > 0 && !(await this.#exchange.publish(own).catch(() => false))) this.ingest(own);
      }
      // Late counts for a file no longer resident: read it back first.
      for (const minute of [...this.recorder.pendingMinutes(), ...this.#incoming.map((b) => b.t)]) {
        for (const [g, , start] of targetsOf(minute, tz)) await this.#files.makeResident(g, start);
      }
      this.#merge(tz);
      this.#mergeIncoming(tz);
      let written = true;
      const expired = this.#files.expire(cutoffsAt(now));
      for (const g of GRANULARITIES) {
        for (const file of this.#files.resident(g)) {
          if (!file.dirty) continue;
          file.dirty = false;
          try {
            await this.#files.write(g, file);
          } catch (err) {
            file.dirty = true;
            written = false;
            this.#log(`usage: cannot write ${this.#files.pathOf(g, file.start)}: ${(err as Error).message}; the counts stay in memory and are written at the next flush`);
          }
        }
      }
      if (written && this.#incoming.length === 0) this.#exchange?.merged?.();
      this.#files.settle(now, this.#graceMs);
      for (const [g, start] of expired) await this.#files.remove(g, start).catch((err: Error) => this.#log(`usage: cannot delete expired ${this.#files.pathOf(g, start)}: ${err.message}`));
    } finally {
      this.#flushing = false;
    }
  }

  /**
   * The aggregator's buckets into the minute, hour and day rollups, synchronously: no count is
   * ever in neither. A bucket whose file was not read back yet (counts that came during this
   * flush's reads) waits for the next flush.
   */
  #merge(tz: string): void {
    const ready = (minute: number) => targetsOf(minute, tz).every(([g, , start]) => this.#files.isReady(g, start));
    for (const bucket of this.recorder.take(ready)) {
      for (const [g, t, start] of targetsOf(bucket.t, tz)) {
        const file = this.#files.fileFor(g, start);
        for (const e of bucket.entries.values()) file.add(t, e.dims, e.c, this.#maxDims);
        for (const e of bucket.retired) file.add(t, e.dims, e.c, this.#maxDims);
      }
    }
  }

  /** The ingested buckets whose files are ready, like #merge; the others wait. */
  #mergeIncoming(tz: string): void {
    const waiting: MinuteBucket[] = [];
    for (const bucket of this.#incoming) {
      const targets = targetsOf(bucket.t, tz);
      if (!targets.every(([g, , start]) => this.#files.isReady(g, start))) {
        waiting.push(bucket);
        continue;
      }
      for (const [g, t, start] of targets) {
        const file = this.#files.fileFor(g, start);
        for (const e of bucket.entries.values()) file.add(t, e.dims, e.c, this.#maxDims);
        for (const e of bucket.retired) file.add(t, e.dims, e.c, this.#maxDims);
      }
    }
    this.#incoming = waiting;
  }

  #currentTimeZone(): string {
    return this.#snapshot()?.settings.timeZone ?? 'UTC';
  }
}
