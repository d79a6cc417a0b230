// The hub among its peers (docs/scaling.md): the shared Redis connection, which follows sil.yaml
// `redis:` from commit to commit, and the leadership for the jobs that must run once. Without a
// `redis:` block there is no connection, this instance leads, and every part keeps its state in
// memory and in the data directory exactly as a single hub does.
import type { LiveConfig } from '../config/live-config.ts';
import type { ConfigSnapshot } from '../config/snapshot.ts';
import { newInstanceId } from './instance-id.ts';
import { Leadership } from './leadership.ts';
import { RedisConnection, type RedisState } from './redis-connection.ts';
import { redisSettingsOf, sameConnection, type FailMode, type RedisSettings } from './redis-settings.ts';
import type { Redis } from 'ioredis';

export interface ClusterStatus {
  instance: string;
  leader: boolean;
  /** off: no `redis:` block; otherwise the connection's state. */
  redis: 'off' | RedisState;
  /** The leader's instance id as last seen (null while unknown). */
  leaderId: string | null;
  /** Present (true) on an isolated hub: `sil start --isolated`. */
  isolated?: true;
}

export interface ClusterOptions {
  live: LiveConfig;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  instanceId?: string;
  /** The leader lease (default 10 s; SIL_LEADER_LEASE_MS) and how often it is renewed (lease / 3). */
  leaseMs?: number;
  renewMs?: number;
  /** An isolated hub (a restore drill) ignores sil.yaml `redis:`: it joins no deployment. */
  isolated?: boolean;
}

export class Cluster {
  readonly instanceId: string;
  readonly leader: Leadership;
  #conn: RedisConnection | null = null;
  #settings: RedisSettings | null = null;
  readonly #listeners = new Set<(conn: RedisConnection | null) => void>();
  readonly #opts: ClusterOptions;
  readonly #onLoaded = (s: ConfigSnapshot) => this.#apply(s);

  constructor(opts: ClusterOptions) {
    this.#opts = opts;
    const env = opts.env ?? process.env;
    this.instanceId = opts.instanceId ?? newInstanceId(env);
    const leaseMs = opts.leaseMs ?? (Number(env.SIL_LEADER_LEASE_MS) || undefined);
    this.leader = new Leadership({ instanceId: this.instanceId, connection: () => this.#conn, leaseMs, renewMs: opts.renewMs, log: opts.log });
  }

  /** Follows the live config (call before the first load, or after: the current snapshot applies). */
  start(): void {
    this.#opts.live.on('loaded', this.#onLoaded);
    if (this.#opts.live.snapshot) this.#apply(this.#opts.live.snapshot);
    this.leader.start();
  }

  /** The configured connection in whatever state it is (null without `redis:`). */
  connection(): RedisConnection | null {
    return this.#conn;
  }

  /** The client while the connection is up, else null. */
  redis(): Redis | null {
    return this.#conn?.state === 'up' ? this.#conn.client : null;
  }

  /** sil.yaml redis.failMode (local when not set, or without Redis). */
  failMode(): FailMode {
    return this.#settings?.failMode ?? 'local';
  }

  /** Called when the connection is made, replaced or dropped by a new commit (not on reconnects: see RedisConnection.onState). */
  onConnection(listener: (conn: RedisConnection | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  status(): ClusterStatus {
    return { instance: this.instanceId, leader: this.leader.isLeader(), redis: this.#conn ? this.#conn.state : 'off', leaderId: this.leader.leaderId(), ...(this.#opts.isolated ? { isolated: true as const } : {}) };
  }

  #apply(snapshot: ConfigSnapshot): void {
    const next = this.#opts.isolated ? null : redisSettingsOf(snapshot.settings, this.#opts.env ?? process.env);
    const changed = !sameConnection(this.#settings, next);
    this.#settings = next;
    if (!changed) return;
    const old = this.#conn;
    this.#conn = next ? new RedisConnection(next, this.#opts.log) : null;
    if (!next) this.#opts.log(this.#opts.isolated ? 'cluster: isolated: sil.yaml redis is ignored' : 'cluster: no redis in sil.yaml; limits, circuits and queues are this instance\'s own');
    for (const l of this.#listeners) {
      try {
        l(this.#conn);
      } catch (err) {
        this.#opts.log(`cluster: a connection listener failed: ${(err as Error).message}`);
      }
    }
    void this.leader.tick();
    if (old) void old.close();
  }

  async close(): Promise<void> {
    this.#opts.live.off('loaded', this.#onLoaded);
    await this.leader.stop();
    this.#listeners.clear();
    await this.#conn?.close();
    this.#conn = null;
  }
}
