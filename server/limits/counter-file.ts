// The counters on disk: data/state/limits.json, so a restart keeps them. Written off the hot
// path — every few seconds when something changed, and at hub close — to a temporary file that
// is synced and then renamed over the old one (a crash leaves the old file or the new one, never
// half of one). Read once at start; ended windows and drained buckets are dropped.
// A `kill -9` loses what was counted since the last write (at most the flush interval, default
// 2 s) and keeps the tokens reserved by requests in flight (counted at their estimate).
import { readFile } from 'node:fs/promises';
import type { CounterEntry } from './counter-store.ts';
import type { MemoryCounterStore } from './memory-counter-store.ts';
import { writeStateFile } from '../config/state-file.ts';

interface CounterFileShape {
  version: 1;
  savedAt: number;
  counters: CounterEntry[];
}

/** The counters of the file; none when it does not exist; none (and a log line) when it is unreadable. */
export async function readCounterFile(path: string, log: (line: string) => void): Promise<CounterEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`limits: cannot read ${path} (${(err as Error).message}); the counters start at zero`);
    return [];
  }
  try {
    const parsed = JSON.parse(text) as Partial<CounterFileShape>;
    if (parsed?.version !== 1 || !Array.isArray(parsed.counters)) throw new Error('not a version 1 counter file');
    return parsed.counters;
  } catch (err) {
    log(`limits: ${path} is not a counter file sil can read (${(err as Error).message}); the counters start at zero and the file is replaced at the next write`);
    return [];
  }
}

export async function writeCounterFile(path: string, counters: CounterEntry[], now: number): Promise<void> {
  const body: CounterFileShape = { version: 1, savedAt: now, counters };
  await writeStateFile(path, JSON.stringify(body));
}

export interface FlusherOptions {
  path: string;
  now: () => number;
  log: (line: string) => void;
  /** Default 2000 ms. */
  intervalMs?: number;
  /** Also run on every tick (the limiter's sweep of stale reservations). */
  onTick?: (now: number) => void;
}

/** Writes the store's counters when they changed, on a timer and at close. */
export class CounterFlusher {
  readonly #store: MemoryCounterStore;
  readonly #opts: FlusherOptions;
  #timer: NodeJS.Timeout | null = null;
  #written = -1;
  #writing: Promise<void> = Promise.resolve();

  constructor(store: MemoryCounterStore, opts: FlusherOptions) {
    this.#store = store;
    this.#opts = opts;
    this.#written = store.version;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#opts.onTick?.(this.#opts.now());
      void this.flush();
    }, this.#opts.intervalMs ?? 2_000);
    this.#timer.unref();
  }

  /** Writes now when anything changed since the last write; one write at a time. */
  flush(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      const version = this.#store.version;
      if (version === this.#written) return;
      const now = this.#opts.now();
      try {
        await writeCounterFile(this.#opts.path, this.#store.dump(now), now);
        this.#written = version;
      } catch (err) {
        this.#opts.log(`limits: cannot write ${this.#opts.path}: ${(err as Error).message}; retrying at the next flush`);
      }
    });
    return this.#writing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
  }
}
