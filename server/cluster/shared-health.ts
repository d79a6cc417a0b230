// Health across instances (docs/health.md, "Several instances"). One instance, the leader,
// probes and judges; it writes what it knows to Redis and announces it; the others show that.
// - `<prefix>health:records`: JSON, provider → status, since, reason, recent probes (its own and
//   each key's); `<prefix>health:transitions`: JSON, the status transitions (30 days). Written
//   by the leader each time its monitor saves (every health tick when something changed), by a
//   script that checks the lease first, so a former leader cannot overwrite its successor.
// - channel `<prefix>health`: `{from, t}` after each write (t: the transitions changed too).
// - `<prefix>health:passive`: a hash, instance → its traffic window and breakers (PassiveReport),
//   written by every instance each tick; the figures judged and shown are everyone's.
// Modes: alone (no `redis:`): as a single hub. lead: probes, judges, writes. follow: no probes,
// no judging, adopts the leader's history. local (Redis configured, not reachable): judges from
// its own traffic and circuits, no probes (nobody leads), as the fallback; health.json is
// written in every mode, so a restart while Redis is down starts from the last known state.
import type { HealthHistory, HealthMonitor } from '../observe/health/health-monitor.ts';
import type { Cluster } from './cluster.ts';
import type { RedisConnection } from './redis-connection.ts';
import { LeaderJobsChannel } from './leader-jobs-channel.ts';
import { freshReports, type ClusterPassive } from './shared-health-passive.ts';

/** KEYS: lease, records, transitions, channel. ARGV: instance, records, transitions ('' = unchanged), message. */
const WRITE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3]) end
redis.call('PUBLISH', KEYS[4], ARGV[4])
return 1`;

export type HealthMode = 'alone' | 'lead' | 'follow' | 'local';

export interface SharedHealthOptions {
  cluster: Pick<Cluster, 'instanceId' | 'connection' | 'onConnection' | 'leader'>;
  monitor: Pick<HealthMonitor, 'setProbing' | 'setJudging' | 'adopt' | 'onSaved'>;
  passive: ClusterPassive;
  /** The providers of the live config (whose traffic is reported). */
  providers: () => Iterable<string>;
  log: (line: string) => void;
  /** How often the passive figures are reported and read (the monitor's tick, default 5000). */
  tickMs?: number;
  now?: () => number;
}

export class SharedHealth {
  readonly #o: SharedHealthOptions;
  readonly #now: () => number;
  readonly #tickMs: number;
  #mode: HealthMode | null = null;
  #seq = 0;
  #pending: { history: HealthHistory; transitions: boolean } | null = null;
  #fullNext = true;
  #writing: Promise<void> | null = null;
  #pulling: Promise<void> | null = null;
  #pullAgain: boolean | null = null;
  #ticks = 0;
  #failing = false;
  #timer: NodeJS.Timeout | null = null;
  #offs: (() => void)[] = [];
  #offState: (() => void) | null = null;
  #channel: LeaderJobsChannel | null = null;

  constructor(opts: SharedHealthOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    this.#tickMs = Math.max(50, opts.tickMs ?? 5000);
  }

  start(): void {
    const c = this.#o.cluster;
    this.#offs.push(this.#o.monitor.onSaved((h, t) => this.#saved(h, t)));
    this.#offs.push(c.leader.onChange(() => this.#update()));
    this.#offs.push(c.onConnection((conn) => this.#watch(conn)));
    this.#watch(c.connection());
    this.#channel = new LeaderJobsChannel({ cluster: c, name: 'health', onMessage: (t) => this.#message(t), onReady: () => this.#mode === 'follow' && this.#pull(true) });
    this.#channel.start();
    this.#timer = setInterval(() => void this.#tick(), this.#tickMs);
    this.#timer.unref();
  }

  mode(): HealthMode {
    return this.#mode ?? 'alone';
  }

  #watch(conn: RedisConnection | null): void {
    this.#offState?.();
    this.#offState = conn ? conn.onState(() => this.#update()) : null;
    this.#update();
  }

  #update(): void {
    const conn = this.#o.cluster.connection();
    const next: HealthMode = !conn ? 'alone' : conn.state !== 'up' ? 'local' : this.#o.cluster.leader.isLeader() ? 'lead' : 'follow';
    if (next === this.#mode) return;
    this.#mode = next;
    const seq = ++this.#seq;
    const m = this.#o.monitor;
    if (next === 'alone' || next === 'local') {
      m.setJudging(true);
      m.setProbing(next === 'alone');
      this.#o.passive.setPeers([]);
    } else if (next === 'follow') {
      m.setProbing(false);
      m.setJudging(false);
      this.#pull(true);
    } else {
      // Continue from what the previous leader left before probing and judging here.
      this.#fullNext = true;
      void this.#read(true, seq).then(() => {
        if (seq !== this.#seq) return;
        m.setJudging(true);
        m.setProbing(true);
        m.adopt({}); // written (and shared) at the next tick
      });
    }
  }

  #saved(history: HealthHistory, transitions: boolean): void {
    if (this.#mode !== 'lead') return;
    this.#pending = { history, transitions: transitions || (this.#pending?.transitions ?? false) };
    this.#writing ??= this.#write().finally(() => (this.#writing = null));
  }

  async #write(): Promise<void> {
    while (this.#pending) {
      const { history, transitions } = this.#pending;
      this.#pending = null;
      const conn = this.#o.cluster.connection();
      if (!conn || conn.state !== 'up' || this.#mode !== 'lead') return;
      const full = transitions || this.#fullNext;
      try {
        const message = JSON.stringify({ from: this.#o.cluster.instanceId, t: full });
        await conn.client.eval(WRITE, 4, conn.key('leader'), conn.key('health:records'), conn.key('health:transitions'), conn.key('health'), this.#o.cluster.instanceId, JSON.stringify(history.providers), full ? JSON.stringify(history.transitions) : '', message);
        this.#fullNext = false;
        this.#failing = false;
      } catch (err) {
        this.#fullNext = true;
        if (!this.#failing) this.#o.log(`health: cannot share the health history in Redis: ${(err as Error).message}`);
        this.#failing = true;
      }
    }
  }

  #message(text: string): void {
    let m: { from?: string; t?: boolean };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    if (m.from !== this.#o.cluster.instanceId && this.#mode === 'follow') this.#pull(m.t === true);
  }

  /** A follower reads the shared history and adopts it; one read at a time, those asked meanwhile merged into the next. */
  #pull(transitions: boolean): void {
    if (this.#pulling) {
      this.#pullAgain = (this.#pullAgain ?? false) || transitions;
      return;
    }
    this.#pulling = this.#read(transitions, this.#seq).finally(() => {
      this.#pulling = null;
      const again = this.#pullAgain;
      this.#pullAgain = null;
      if (again !== null && this.#mode === 'follow') this.#pull(again);
    });
  }

  async #read(transitions: boolean, seq: number): Promise<void> {
    const conn = this.#o.cluster.connection();
    if (!conn || conn.state !== 'up') return;
    try {
      const [records, trans] = await Promise.all([conn.client.get(conn.key('health:records')), transitions ? conn.client.get(conn.key('health:transitions')) : Promise.resolve(null)]);
      if (seq !== this.#seq || !records) return;
      const history: Partial<HealthHistory> = { providers: JSON.parse(records) as HealthHistory['providers'] };
      if (trans) history.transitions = JSON.parse(trans) as HealthHistory['transitions'];
      this.#o.monitor.adopt(history);
    } catch (err) {
      this.#o.log(`health: cannot read the shared health history from Redis: ${(err as Error).message}`);
    }
  }

  /** Reports this instance's passive figures and reads the peers'; a follower also re-reads the history now and then (a lost message). */
  async #tick(): Promise<void> {
    const conn = this.#o.cluster.connection();
    if (!conn || conn.state !== 'up') return;
    const c = this.#o.cluster;
    const now = this.#now();
    const key = conn.key('health:passive');
    try {
      const report = this.#o.passive.report(c.instanceId, this.#o.providers(), now);
      const [, all] = await conn.client.multi().hset(key, c.instanceId, JSON.stringify(report)).hgetall(key).exec().then((r) => (r ?? []).map(([err, v]) => {
        if (err) throw err;
        return v;
      }));
      const { fresh, stale } = freshReports((all ?? {}) as Record<string, string>, c.instanceId, now, Math.max(3 * this.#tickMs, 15_000));
      this.#o.passive.setPeers(fresh);
      if (this.#mode === 'lead' && stale.length) await conn.client.hdel(key, ...stale);
    } catch {
      // Redis went away between the state check and the command: the mode follows its state.
    }
    if (this.#mode === 'follow' && ++this.#ticks % 6 === 0) this.#pull(true);
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    for (const off of this.#offs) off();
    this.#offs = [];
    this.#offState?.();
    this.#channel?.close();
    await this.#writing;
    await this.#pulling;
    const conn = this.#o.cluster.connection();
    if (conn?.state === 'up') await conn.client.hdel(conn.key('health:passive'), this.#o.cluster.instanceId).catch(() => {});
  }
}
