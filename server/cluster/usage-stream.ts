// Usage counts shared by several instances (docs/scaling.md): at each flush an instance appends
// its minute buckets to one Redis stream (XADD), and every instance reads the whole stream back
// (XREAD from its own cursor) into its own usage store, so the analytics of any instance count
// the traffic of all. The cursor is kept in data/state/usage-stream.json once what it covers is
// written. The leader trims entries older than the minute rollups' retention (48 h). While Redis
// is down each instance merges its own counts locally (the store's behaviour without Redis).
import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { writeStateFile } from '../config/state-file.ts';
import type { MinuteBucket } from '../observe/usage-store/aggregator.ts';
import { decodeBuckets, encodeBuckets } from '../observe/usage-store/bucket-codec.ts';
import type { UsageExchange } from '../observe/usage-store/usage-store.ts';
import { RETENTION_MS } from '../observe/usage-store/types.ts';
import type { Cluster } from './cluster.ts';
import type { RedisConnection } from './redis-connection.ts';

const STREAM = 'usage';
/** A hard cap besides the leader's trimming by age (entries are one per instance and flush). */
const MAX_ENTRIES = 1_000_000;
const TRIM_EVERY_MS = 5 * 60_000;

interface Cursor { stream: string; id: string }

export interface UsageStreamOptions {
  cluster: Cluster;
  /** data/state/usage-stream.json */
  cursorPath: string;
  /** Where read buckets go (the usage store's ingest). */
  ingest: (buckets: MinuteBucket[]) => void;
  log: (line: string) => void;
  now?: () => number;
  /** How long one XREAD blocks (default 1000 ms; below the connection's command timeout). */
  blockMs?: number;
}

export class UsageStream implements UsageExchange {
  readonly #o: UsageStreamOptions;
  readonly #now: () => number;
  #cursor: Cursor | null = null;
  /** The id of the last entry handed to ingest(), and of the one the file holds. */
  #read: Cursor | null = null;
  #saved = '';
  #reader: Redis | null = null;
  #readerOf: RedisConnection | null = null;
  #closed = false;
  #loop: Promise<void> | null = null;
  #trimTimer: NodeJS.Timeout | null = null;
  #saving: Promise<void> = Promise.resolve();
  /** Ends the loop's current pause (its timer is unref'd: close() must not wait on it, or a stopping process has nothing left to run). */
  #wake: (() => void) | null = null;

  constructor(opts: UsageStreamOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.#cursor = await readCursor(this.#o.cursorPath);
    this.#saved = this.#cursor?.id ?? '';
    this.#loop = this.#run();
    this.#trimTimer = setInterval(() => void this.#trim(), TRIM_EVERY_MS);
    this.#trimTimer.unref();
  }

  active(): boolean {
    return this.#o.cluster.redis() !== null;
  }

  async publish(buckets: readonly MinuteBucket[]): Promise<boolean> {
    const conn = this.#o.cluster.connection();
    if (!conn || conn.state !== 'up') return false;
    try {
      await conn.client.xadd(conn.key(STREAM), 'MAXLEN', '~', String(MAX_ENTRIES), '*', 'from', this.#o.cluster.instanceId, 'b', encodeBuckets(buckets));
      return true;
    } catch (err) {
      this.#o.log(`usage: cannot publish to the shared stream (${(err as Error).message}); counted here only`);
      return false;
    }
  }

  merged(): void {
    const read = this.#read;
    if (!read || read.id === this.#saved) return;
    this.#saved = read.id;
    this.#saving = this.#saving.then(() => writeStateFile(this.#o.cursorPath, `${JSON.stringify(read)}\n`)).catch((err: Error) => this.#o.log(`usage: cannot save the stream cursor: ${err.message}`));
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      const conn = this.#o.cluster.connection();
      if (!conn || conn.state !== 'up') {
        await this.#pause(500);
        continue;
      }
      const reader = this.#readerFor(conn);
      const stream = conn.key(STREAM);
      // A cursor of another stream (a new prefix or Redis) starts at the beginning of this one.
      const from = this.#read?.stream === stream ? this.#read.id : this.#cursor?.stream === stream ? this.#cursor.id : '0-0';
      try {
        const answer = (await reader.xread('COUNT', 200, 'BLOCK', this.#o.blockMs ?? 1000, 'STREAMS', stream, from)) as [string, [string, string[]][]][] | null;
        for (const [, entries] of answer ?? []) {
          for (const [id, fields] of entries) {
            this.#read = { stream, id };
            const at = fields.indexOf('b');
            if (at < 0) continue;
            try {
              this.#o.ingest(decodeBuckets(fields[at + 1]));
            } catch (err) {
              this.#o.log(`usage: skipped stream entry ${id}: ${(err as Error).message}`);
            }
          }
        }
      } catch {
        if (!this.#closed) await this.#pause(500);
      }
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#wake?.(), ms).unref();
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
    });
  }

  /** A blocking XREAD needs a connection of its own. */
  #readerFor(conn: RedisConnection): Redis {
    if (this.#readerOf !== conn || !this.#reader) {
      this.#reader?.disconnect();
      this.#reader = conn.duplicate({ commandTimeout: (this.#o.blockMs ?? 1000) + conn.settings.connectTimeoutMs });
      this.#reader.on('error', () => {});
      this.#readerOf = conn;
    }
    return this.#reader;
  }

  async #trim(): Promise<void> {
    const conn = this.#o.cluster.connection();
    if (!conn || conn.state !== 'up' || !this.#o.cluster.leader.isLeader()) return;
    const minId = `${this.#now() - RETENTION_MS.minute}-0`;
    await conn.client.xtrim(conn.key(STREAM), 'MINID', '~', minId).catch((err: Error) => this.#o.log(`usage: cannot trim the shared stream: ${err.message}`));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    if (this.#trimTimer) clearInterval(this.#trimTimer);
    this.#reader?.disconnect();
    await this.#loop;
    await this.#saving;
  }
}

async function readCursor(path: string): Promise<Cursor | null> {
  try {
    const c = JSON.parse(await readFile(path, 'utf8')) as Partial<Cursor>;
    return typeof c.stream === 'string' && typeof c.id === 'string' && /^\d+-\d+$/.test(c.id) ? { stream: c.stream, id: c.id } : null;
  } catch {
    return null;
  }
}
