// This instance's part in the alerts shared through Redis (docs/alerts.md, "Several instances";
// the engine's side: server/observe/alerts/alert-replica.ts). Changes the engine made are sent
// to the shared store in order, one at a time, from a queue that also holds them while Redis
// cannot be reached (and replays them when it is back); the leader's claims go through the same
// queue, after the changes they depend on. Changes of the other instances arrive by pub/sub and
// are read into the engine's book; everything is read again at each (re)connection and every
// `resyncMs`. The role follows the connection and the leader lease.
import type { StoredAlert } from '../observe/alerts/alert-book.ts';
import { DEFAULT_COOLDOWN_MS } from '../observe/alerts/alert-book.ts';
import { isRecordOp, opAlertId, type AlertOp, type RecordOp } from '../observe/alerts/alert-ops.ts';
import type { AlertMirror, AlertReplica, AlertRole } from '../observe/alerts/alert-replica.ts';
import type { AlertNotification } from '../observe/alerts/types.ts';
import type { Cluster } from './cluster.ts';
import type { RedisConnection } from './redis-connection.ts';
import { LeaderJobsChannel } from './leader-jobs-channel.ts';
import { SharedAlertStore, type AlertsMessage } from './shared-alerts.ts';

type Entry =
  | { op: AlertOp }
  | { claim: string; now: number; done: (n: AlertNotification[]) => void };

export interface SharedAlertsReplicaOptions {
  cluster: Pick<Cluster, 'instanceId' | 'connection' | 'onConnection' | 'leader'>;
  log: (line: string) => void;
  cooldownMs?: number;
  /** Changes kept while Redis is down (default 10,000; the oldest go first). */
  maxQueue?: number;
  /** How often everything is read again (default 30 s). */
  resyncMs?: number;
  now?: () => number;
}

export class SharedAlertsReplica implements AlertReplica {
  readonly #o: SharedAlertsReplicaOptions;
  readonly #now: () => number;
  #mirror: AlertMirror | null = null;
  #role: AlertRole = 'alone';
  #synced = false;
  #syncing: Promise<void> | null = null;
  #store: SharedAlertStore | null = null;
  readonly #queue: Entry[] = [];
  /** Queued changes per alert: the stored record is taken into the book only once none is left. */
  readonly #queued = new Map<string, number>();
  #draining: Promise<void> | null = null;
  #retry: NodeJS.Timeout | null = null;
  #timer: NodeJS.Timeout | null = null;
  #dropped = 0;
  #closed = false;
  #offs: (() => void)[] = [];
  #offState: (() => void) | null = null;
  #channel: LeaderJobsChannel | null = null;

  constructor(opts: SharedAlertsReplicaOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  role(): AlertRole {
    return this.#role;
  }

  attach(mirror: AlertMirror): void {
    this.#mirror = mirror;
    const c = this.#o.cluster;
    this.#offs.push(c.leader.onChange(() => this.#update()));
    this.#offs.push(c.onConnection((conn) => this.#watch(conn)));
    this.#channel = new LeaderJobsChannel({ cluster: c, name: 'alerts', onMessage: (t) => void this.#message(t), onReady: () => this.#synced && void this.#reload() });
    this.#channel.start();
    this.#timer = setInterval(() => this.#synced && void this.#reload(), this.#o.resyncMs ?? 30_000);
    this.#timer.unref();
    this.#watch(c.connection());
  }

  push(op: AlertOp): void {
    this.#enqueue({ op });
  }

  claim(id: string, now: number): Promise<AlertNotification[]> {
    return new Promise((done) => this.#enqueue({ claim: id, now, done }));
  }

  #enqueue(e: Entry): void {
    if (this.#closed) {
      if ('claim' in e) e.done([]);
      return;
    }
    this.#queue.push(e);
    this.#count(e, 1);
    const max = this.#o.maxQueue ?? 10_000;
    while (this.#queue.length > max) {
      const old = this.#queue.shift()!;
      this.#count(old, -1);
      if ('claim' in old) old.done([]);
      if (this.#dropped++ === 0) this.#o.log(`alerts: more than ${max} changes wait for Redis; the oldest are dropped from the shared alerts (this instance's alerts.json keeps them)`);
    }
    this.#kick();
  }

  #count(e: Entry, by: number): void {
    const id = 'claim' in e ? e.claim : opAlertId(e.op);
    if (id === undefined) return;
    const n = (this.#queued.get(id) ?? 0) + by;
    if (n > 0) this.#queued.set(id, n);
    else this.#queued.delete(id);
  }

  #watch(conn: RedisConnection | null): void {
    this.#offState?.();
    this.#synced = false;
    this.#store = conn ? new SharedAlertStore(conn, this.#o.cluster.instanceId, this.#o.cooldownMs ?? DEFAULT_COOLDOWN_MS) : null;
    this.#offState = conn
      ? conn.onState((state) => {
          if (state !== 'up') this.#synced = false;
          this.#update();
        })
      : null;
    if (!conn) this.#queue.splice(0).forEach((e) => 'claim' in e && e.done([]));
    this.#queued.clear();
    for (const e of this.#queue) this.#count(e, 1);
    this.#update();
  }

  #update(): void {
    if (this.#closed) return;
    const conn = this.#o.cluster.connection();
    const next: AlertRole = !conn ? 'alone' : conn.state !== 'up' || !this.#synced ? 'local' : this.#o.cluster.leader.isLeader() ? 'lead' : 'follow';
    if (conn?.state === 'up' && !this.#synced) this.#syncing ??= this.#sync().finally(() => (this.#syncing = null));
    if (next === this.#role) return;
    this.#role = next;
    this.#mirror?.roleChanged();
  }

  /** After (re)connecting: fill an empty store from this book, replay what waited, read everything. */
  async #sync(): Promise<void> {
    const store = this.#store;
    if (!store || !this.#mirror) return;
    try {
      // A send begun on the last connection ends (fails) first: nothing may reach a new store before its seed.
      await this.#draining;
      if (await store.seed(this.#mirror.state())) {
        // The book already holds every change that waited: replaying them would count them twice.
        this.#queue.splice(0).forEach((e) => 'claim' in e && e.done([]));
        this.#queued.clear();
      }
      await this.#drainNow();
      const state = await store.load(this.#now());
      if (store !== this.#store) return;
      // Changes queued meanwhile are put into the book as they are stored.
      this.#mirror.adopt(state);
      this.#synced = true;
      this.#kick();
    } catch (err) {
      this.#o.log(`alerts: cannot read the shared alerts from Redis: ${(err as Error).message}`);
      this.#later();
    }
    this.#update();
  }

  async #reload(): Promise<void> {
    const store = this.#store;
    if (!store || !this.#mirror || this.#queue.length > 0) return;
    try {
      const state = await store.load(this.#now());
      if (this.#queue.length > 0 || store !== this.#store) return;
      this.#mirror.adopt(state);
      this.#mirror.remoteChanged();
    } catch {
      // Redis went away: the role follows its state, and everything is read again when it is back.
    }
  }

  async #message(text: string): Promise<void> {
    const store = this.#store;
    let m: AlertsMessage;
    try {
      m = JSON.parse(text) as AlertsMessage;
    } catch {
      return;
    }
    if (m.from === this.#o.cluster.instanceId || !this.#synced || !store || !this.#mirror) return;
    if (m.all) return this.#reload();
    try {
      for (const id of m.ids ?? []) {
        const a = await store.get(id);
        if (!this.#queued.has(id)) this.#mirror.put(id, a);
      }
      if (m.s) this.#mirror.setSilences(await store.silences(this.#now()));
      this.#mirror.remoteChanged();
    } catch {
      // Read again in full at the next reconnection or resync.
    }
  }

  /** Sends the queue once the store is synced: before that, #sync seeds first and then sends it itself. */
  #kick(): void {
    const conn = this.#o.cluster.connection();
    if (conn?.state === 'up' && this.#store && this.#synced) void this.#drainNow();
  }

  /** The one sender of the queue (started when none runs). */
  #drainNow(): Promise<void> {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = null;
      // Something queued while the last send was ending.
      if (this.#queue.length > 0 && !this.#retry) this.#kick();
    });
    return this.#draining;
  }

  /** Sends the queue in order; stops at the first failure (kept for the next try). */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const store = this.#store;
      const conn = this.#o.cluster.connection();
      if (!store || !conn || conn.state !== 'up') return;
      const e = this.#queue[0];
      let stored: StoredAlert | undefined;
      let id: string | undefined;
      try {
        if ('claim' in e) {
          const r = await store.claim(e.claim, e.now);
          [stored, id] = [r.alert, e.claim];
          this.#settle(e, stored, id);
          e.done(r.notifications);
          continue;
        }
        id = opAlertId(e.op);
        const run = this.#runOf(e.op, id);
        if (run.length > 1 && id !== undefined) {
          stored = await store.applyAll(id, run.map((x) => x.op as RecordOp));
          for (const x of run.slice(0, -1)) this.#settle(x, stored, id);
          this.#settle(run[run.length - 1]!, stored, id);
          continue;
        }
        stored = await store.apply(e.op);
      } catch (err) {
        // A refusal by Redis itself or endless conflicts would fail again: dropped. Anything else (the connection) is tried again.
        if (conn.state !== 'up' || ((err as Error).name !== 'ReplyError' && !/kept changing/.test((err as Error).message))) {
          this.#later();
          return;
        }
        this.#o.log(`alerts: ${(err as Error).message}; the change is dropped`);
        if ('claim' in e) e.done([]);
      }
      this.#settle(e, stored, id);
    }
  }

  /**
   * The queued changes of one alert, in order, up to the first claim: changes of other alerts in
   * between are independent of them. A change made while Redis was down and its `told` are then
   * one compare-and-set even when the `told` of another alert came between them (an instance
   * that tells several alerts at once queues their changes first and their `told`s after).
   */
  #runOf(op: AlertOp, id: string | undefined): { op: AlertOp }[] {
    const run: { op: AlertOp }[] = [];
    if (id === undefined || !isRecordOp(op)) return run;
    for (const x of this.#queue) {
      if ('claim' in x) break;
      if (isRecordOp(x.op) && opAlertId(x.op) === id) run.push(x);
    }
    return run;
  }

  /** Takes the entry off the queue; the stored alert goes into the book when no other change of it waits. */
  #settle(e: Entry, stored: StoredAlert | undefined, id: string | undefined): void {
    const at = this.#queue.indexOf(e);
    if (at >= 0) this.#queue.splice(at, 1);
    this.#count(e, -1);
    if (id !== undefined && !this.#queued.has(id)) this.#mirror?.put(id, stored);
  }

  #later(): void {
    if (this.#retry || this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (!this.#synced) this.#update();
      else this.#kick();
    }, 1000);
    this.#retry.unref();
  }

  /** Sends what waits (at most 2 s), then stops listening. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const off of this.#offs) off();
    this.#offs = [];
    this.#offState?.();
    this.#channel?.close();
    if (this.#timer) clearInterval(this.#timer);
    if (this.#retry) clearTimeout(this.#retry);
    const sending = this.#syncing ?? (this.#queue.length ? this.#drainNow() : null);
    if (sending) await Promise.race([sending, new Promise((r) => setTimeout(r, 2000).unref())]);
    this.#queue.splice(0).forEach((e) => 'claim' in e && e.done([]));
  }
}
