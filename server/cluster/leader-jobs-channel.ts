// A pub/sub channel on the shared Redis for the results of the leader's jobs (health, alerts):
// subscribed on a connection of its own (a subscribed connection can send nothing else), made
// again when a commit replaces the Redis connection. `onReady` runs at each (re)connection of the
// subscriber — messages sent while it was away are lost, so the listener reads the state afresh.
import type { Redis } from 'ioredis';
import type { Cluster } from './cluster.ts';
import type { RedisConnection } from './redis-connection.ts';

export interface LeaderJobsChannelOptions {
  cluster: Pick<Cluster, 'connection' | 'onConnection'>;
  /** The channel's name under the key prefix, e.g. `health` → `sil:health`. */
  name: string;
  onMessage: (text: string) => void;
  onReady?: () => void;
}

export class LeaderJobsChannel {
  readonly #o: LeaderJobsChannelOptions;
  #subscriber: Redis | null = null;
  #off: (() => void) | null = null;

  constructor(opts: LeaderJobsChannelOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#off = this.#o.cluster.onConnection((conn) => this.#subscribe(conn));
    this.#subscribe(this.#o.cluster.connection());
  }

  #subscribe(conn: RedisConnection | null): void {
    this.#subscriber?.disconnect();
    this.#subscriber = null;
    if (!conn) return;
    const sub = conn.duplicate({ enableOfflineQueue: true, connectionName: 'sil-sub' });
    const channel = conn.key(this.#o.name);
    sub.on('error', () => {});
    sub.on('message', (ch: string, text: string) => {
      if (ch === channel) this.#o.onMessage(text);
    });
    sub.on('ready', () => this.#o.onReady?.());
    void sub.subscribe(channel).catch(() => {});
    this.#subscriber = sub;
  }

  close(): void {
    this.#off?.();
    this.#off = null;
    this.#subscriber?.disconnect();
    this.#subscriber = null;
  }
}
