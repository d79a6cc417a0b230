// Leader election through a Redis lease, for the jobs that must run once across instances
// (health probes, key rotation, alert evaluation, webhook delivery, usage stream trimming).
// - Without Redis this instance is the only one: always the leader.
// - With Redis: the lease is a key holding the leader's instance id with a TTL (leaseMs); the
//   leader renews it every renewMs, the others try to take it as often. A leader that cannot
//   renew steps down before its lease can lapse (lastRenewed + leaseMs - renewMs), so two
//   instances never both believe they lead while Redis keeps time. While Redis is down nobody
//   leads: the jobs pause (and resume on the instance that takes the lease next).
// - close() resigns (deletes the lease if it is still ours) so a peer takes over at its next try.
import type { RedisConnection } from './redis-connection.ts';

const ACQUIRE = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return {1, v} end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return {1, ARGV[1]} end
return {0, v}`;

const RESIGN = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface LeadershipOptions {
  instanceId: string;
  connection: () => RedisConnection | null;
  leaseMs?: number;
  renewMs?: number;
  log: (line: string) => void;
  now?: () => number;
}

export class Leadership {
  readonly instanceId: string;
  readonly leaseMs: number;
  readonly renewMs: number;
  #leader = false;
  #leaderId: string | null = null;
  #renewedAt = 0;
  /** Whether the lead, when held, was won through the lease (not by being alone). */
  #leased = false;
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<void> | null = null;
  readonly #listeners = new Set<(leader: boolean) => void>();
  readonly #opts: LeadershipOptions;
  readonly #now: () => number;

  constructor(opts: LeadershipOptions) {
    this.#opts = opts;
    this.instanceId = opts.instanceId;
    this.leaseMs = Math.max(300, opts.leaseMs ?? 10_000);
    this.renewMs = Math.max(100, Math.min(opts.renewMs ?? Math.floor(this.leaseMs / 3), Math.floor(this.leaseMs / 2)));
    this.#now = opts.now ?? Date.now;
  }

  isLeader(): boolean {
    return this.#leader;
  }

  /** The leader's instance id as last seen (this one's when it leads; null when unknown). */
  leaderId(): string | null {
    return this.#leader ? this.instanceId : this.#leaderId;
  }

  /** Called with true when this instance takes the lead, false when it loses it. */
  onChange(listener: (leader: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#timer) return;
    void this.tick();
    this.#timer = setInterval(() => void this.tick(), this.renewMs);
    this.#timer.unref();
  }

  /** One try to take or renew the lease (the timer calls it; tests may too). */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    const conn = this.#opts.connection();
    if (!conn) {
      this.#leaderId = this.instanceId;
      this.#set(true, false);
      return;
    }
    try {
      if (conn.state !== 'up') throw new Error(`redis is ${conn.state}`);
      const [won, holder] = (await conn.client.eval(ACQUIRE, 1, conn.key('leader'), this.instanceId, String(this.leaseMs))) as [number, string];
      this.#leaderId = holder;
      if (won === 1) this.#renewedAt = this.#now();
      this.#set(won === 1, won === 1);
    } catch {
      // Step down before the lease could have lapsed in Redis and been taken by a peer.
      if (this.#leader && this.#now() - this.#renewedAt >= this.leaseMs - this.renewMs) {
        this.#leaderId = null;
        this.#set(false, false);
      }
    }
  }

  #set(leader: boolean, leased: boolean): void {
    if (leader === this.#leader) return;
    const wasLeased = this.#leased;
    this.#leader = leader;
    this.#leased = leased;
    // A lone instance that finds a Redis configured hands its lead to the lease quietly.
    if (leased) this.#opts.log(`cluster: ${this.instanceId} leads (probes, key rotation, alerts, webhook delivery run here)`);
    else if (wasLeased) this.#opts.log(`cluster: ${this.instanceId} no longer leads`);
    for (const l of this.#listeners) {
      try {
        l(leader);
      } catch (err) {
        this.#opts.log(`cluster: a leadership listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Stops trying; gives the lease up when it is ours so that a peer takes over at once. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#ticking?.catch(() => {});
    const conn = this.#opts.connection();
    if (this.#leader && conn && conn.state === 'up') {
      await conn.client.eval(RESIGN, 1, conn.key('leader'), this.instanceId).catch(() => {});
    }
    this.#set(false, false);
  }
}
