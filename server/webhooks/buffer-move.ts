// With `redis:`, what this instance kept locally — deliveries queued while Redis was unreachable,
// or before `redis:` was configured, with their log; endpoint states — moves into Redis as soon as
// it answers, and is forgotten here. The leader then sends the pending ones (same webhook-id). A
// delivery of a shared fact (config.applied of a commit...) is moved only if no other instance
// has queued that fact meanwhile; otherwise it is dropped here.
import type { Cluster } from '../cluster/cluster.ts';
import type { RedisConnection } from '../cluster/redis-connection.ts';
import type { DeliveryJournal } from './delivery-journal.ts';
import type { RedisDeliveryStore } from './redis-journal.ts';

export type ClusterView = Pick<Cluster, 'connection' | 'onConnection'>;

export interface BufferMoverOptions {
  cluster: ClusterView;
  /** Moves what waits here into Redis over `conn`. */
  move: (conn: RedisConnection) => Promise<void>;
  /** Whether something waits here. */
  left: () => boolean;
  log: (line: string) => void;
}

/**
 * Moves the deliveries of the journal into Redis — not those `busy` (an attempt of this instance
 * in flight: its result is recorded in Redis, or moves next time); answers how many moved and how
 * many were dropped as already queued elsewhere.
 */
export async function moveBuffered(journal: DeliveryJournal, to: RedisDeliveryStore, claim: (fact: string, webhookId: string) => Promise<boolean>, now: number, busy: (id: string) => boolean = () => false): Promise<{ moved: number; dropped: number }> {
  let moved = 0;
  let dropped = 0;
  for (const d of [...journal.all()]) {
    if (busy(d.id)) continue;
    if (d.fact && !(await claim(d.fact, d.webhookId))) {
      if (await journal.remove(d, now)) dropped++;
      continue;
    }
    const { fact: _fact, ...plain } = d;
    await to.save(plain, now);
    // Changed here meanwhile (an attempt recorded while Redis blinked): the newer copy moves next time.
    if (await journal.remove(d, now)) moved++;
  }
  return { moved, dropped };
}

/**
 * Runs `move` whenever the configured Redis comes up (a new connection, a reconnect) and when
 * asked (something was buffered); tries again with a growing pause while something is left.
 */
export class BufferMover {
  readonly #o: BufferMoverOptions;
  #offState: (() => void) | null = null;
  readonly #offConn: () => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #pauseMs = 1000;
  #closed = false;

  constructor(opts: BufferMoverOptions) {
    this.#o = opts;
    this.#offConn = opts.cluster.onConnection((conn) => this.#follow(conn));
    this.#follow(opts.cluster.connection());
  }

  /** Asks for a move in `delayMs` (sooner if one is already due). */
  schedule(delayMs = 1000): void {
    if (this.#closed || (this.#timer && delayMs > 0)) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.run();
    }, delayMs);
    this.#timer.unref();
  }

  /** One move now, if Redis is up and something waits (tests await it). */
  run(): Promise<void> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#offConn();
    this.#offState?.();
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #follow(conn: RedisConnection | null): void {
    this.#offState?.();
    this.#offState = null;
    if (!conn) return;
    this.#offState = conn.onState((state) => {
      if (state === 'up') this.schedule(0);
    });
    if (conn.state === 'up') this.schedule(0);
  }

  async #run(): Promise<void> {
    const conn = this.#o.cluster.connection();
    if (this.#closed || !conn || conn.state !== 'up' || !this.#o.left()) return;
    try {
      await this.#o.move(conn);
      this.#pauseMs = 1000;
    } catch (err) {
      this.#o.log(`webhooks: cannot move the deliveries kept here into Redis yet: ${(err as Error).message}`);
      this.#pauseMs = Math.min(30_000, this.#pauseMs * 2);
    }
    if (this.#o.left()) this.schedule(this.#pauseMs);
  }
}
