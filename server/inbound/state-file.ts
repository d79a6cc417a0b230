// data/state/inbound-replay.json: the replay memory on disk, written off the request path
// (every 2 s when it changed, and at close) to a synced temporary file renamed over the old one.
// A kill -9 loses at most the last interval's entries.
import { readFile } from 'node:fs/promises';
import type { ReplayEntry, ReplayMemory } from './replay-memory.ts';
import { writeStateFile } from '../config/state-file.ts';

export async function readReplayFile(path: string, log: (line: string) => void): Promise<ReplayEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`hooks: cannot read ${path} (${(err as Error).message}); replays are remembered from now on`);
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { version?: number; entries?: unknown };
    if (parsed?.version !== 1 || !Array.isArray(parsed.entries)) throw new Error('not a version 1 replay file');
    return parsed.entries as ReplayEntry[];
  } catch (err) {
    log(`hooks: ${path} is not a replay file sil can read (${(err as Error).message}); it is replaced at the next write`);
    return [];
  }
}

export async function writeReplayFile(path: string, entries: ReplayEntry[], now: number): Promise<void> {
  await writeStateFile(path, JSON.stringify({ version: 1, savedAt: now, entries }));
}

export class ReplayFlusher {
  #timer: NodeJS.Timeout | null = null;
  #written: number;
  #writing: Promise<void> = Promise.resolve();
  readonly memory: ReplayMemory;
  readonly opts: { path: string; now: () => number; log: (line: string) => void; intervalMs?: number };

  constructor(memory: ReplayMemory, opts: { path: string; now: () => number; log: (line: string) => void; intervalMs?: number }) {
    this.memory = memory;
    this.opts = opts;
    this.#written = memory.version;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.flush(), this.opts.intervalMs ?? 2_000);
    this.#timer.unref();
  }

  flush(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      const version = this.memory.version;
      if (version === this.#written) return;
      const now = this.opts.now();
      try {
        await writeReplayFile(this.opts.path, this.memory.dump(now), now);
        this.#written = version;
      } catch (err) {
        this.opts.log(`hooks: cannot write ${this.opts.path}: ${(err as Error).message}; retrying at the next flush`);
      }
    });
    return this.#writing;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
  }
}
