// The persistent queue and delivery log in one append-only file, data/state/webhooks/
// deliveries.jsonl: each line is a delivery as it stands after a change (created, attempted,
// replayed); the last line of an id wins. Every append is fsynced before the hub acts on it (a
// delivery is on disk before its first attempt), so `kill -9` loses nothing: after a restart a
// pending delivery is tried again with the same webhook-id. A torn last line is skipped. At open
// and when the file has grown to several times the live set, it is rewritten compacted
// (temporary file, fsync, rename), dropping finished deliveries past the retention. With `redis:`
// it only buffers what could not reach Redis; a delivery moved there is forgotten here with a
// tombstone line ({"id", "removed": true}).
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { writeStateFile } from '../config/state-file.ts';
import { join } from 'node:path';
import type { Delivery } from './types.ts';

export interface Retention {
  /** Finished deliveries older than this go (default 30 days). */
  maxAgeMs: number;
  /** At most this many finished deliveries per subscription (default 1000). */
  perSubscription: number;
}

export const DEFAULT_RETENTION: Retention = { maxAgeMs: 30 * 86_400_000, perSubscription: 1000 };

export class DeliveryJournal {
  readonly path: string;
  readonly #all = new Map<string, Delivery>();
  readonly #retention: Retention;
  #handle: FileHandle | null = null;
  #lines = 0;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(path: string, retention: Retention) {
    this.path = path;
    this.#retention = retention;
  }

  static async open(dir: string, opts: { now: number; retention?: Retention; log?: (line: string) => void }): Promise<DeliveryJournal> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const j = new DeliveryJournal(join(dir, 'deliveries.jsonl'), opts.retention ?? DEFAULT_RETENTION);
    let text = '';
    try {
      text = await readFile(j.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const d = JSON.parse(line) as Delivery & { removed?: boolean };
        if (typeof d.id === 'string' && d.removed === true) j.#all.delete(d.id);
        else if (typeof d.id === 'string' && typeof d.webhookId === 'string') j.#all.set(d.id, d);
        else skipped++;
      } catch {
        skipped++;
      }
    }
    if (skipped) opts.log?.(`webhooks: skipped ${skipped} unreadable line(s) of ${j.path} (a write cut short)`);
    j.#prune(opts.now);
    await j.#compact();
    return j;
  }

  get(id: string): Delivery | undefined {
    return this.#all.get(id);
  }

  get size(): number {
    return this.#all.size;
  }

  all(): IterableIterator<Delivery> {
    return this.#all.values();
  }

  pending(): Delivery[] {
    return [...this.#all.values()].filter((d) => d.state === 'pending');
  }

  /** A subscription's deliveries (or every one), newest first. */
  list(subscription?: string): Delivery[] {
    const out = [...this.#all.values()].filter((d) => subscription === undefined || d.subscription === subscription);
    return out.sort((a, b) => b.createdAt - a.createdAt || (b.id < a.id ? -1 : 1));
  }

  /** Records a delivery as it now stands; resolves once the line is on disk. */
  save(d: Delivery, now: number): Promise<void> {
    this.#all.set(d.id, d);
    return this.#append(`${JSON.stringify(d)}\n`, now);
  }

  /**
   * Forgets a delivery (moved into Redis), unless it changed since `expected` was read from
   * here; answers whether it was forgotten.
   */
  async remove(expected: Delivery, now: number): Promise<boolean> {
    if (this.#all.get(expected.id) !== expected) return false;
    this.#all.delete(expected.id);
    await this.#append(`${JSON.stringify({ id: expected.id, removed: true })}\n`, now);
    return true;
  }

  #append(line: string, now: number): Promise<void> {
    return this.#serial(async () => {
      this.#handle ??= await open(this.path, 'a', 0o600);
      await this.#handle.write(line);
      await this.#handle.sync();
      this.#lines++;
      if (this.#lines > 4 * this.#all.size + 1000) {
        this.#prune(now);
        await this.#compact();
      }
    });
  }

  async close(): Promise<void> {
    await this.#serial(async () => {
      await this.#handle?.close();
      this.#handle = null;
    });
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #prune(now: number): void {
    const bySub = new Map<string, Delivery[]>();
    for (const d of this.#all.values()) {
      if (d.state === 'pending') continue;
      if (now - d.createdAt > this.#retention.maxAgeMs) {
        this.#all.delete(d.id);
        continue;
      }
      const list = bySub.get(d.subscription) ?? [];
      list.push(d);
      bySub.set(d.subscription, list);
    }
    for (const list of bySub.values()) {
      if (list.length <= this.#retention.perSubscription) continue;
      list.sort((a, b) => b.createdAt - a.createdAt);
      for (const d of list.slice(this.#retention.perSubscription)) this.#all.delete(d.id);
    }
  }

  async #compact(): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
    await writeStateFile(this.path, [...this.#all.values()].map((d) => `${JSON.stringify(d)}\n`).join(''));
    this.#lines = this.#all.size;
  }
}
