// The alerts shared by every instance, in Redis (docs/alerts.md, "Several instances"):
// - `<prefix>alerts`: a hash, alert id → the alert as the engine keeps it (JSON, with what was
//   told of it). Every change is an operation (alert-ops.ts) applied to the record read from
//   the hash and written back only if the record did not change meanwhile (a compare-and-set
//   script), retried on a conflict — so two instances changing one alert both count.
// - `<prefix>alerts:silences`: a hash, `alert:<id>` / `kind:<kind>` → the silence.
// - `<prefix>alerts:seeded`: set by the instance that filled an empty store from its alerts.json.
// - channel `<prefix>alerts`: `{from, ids?, s?, all?}` after each change, for the other copies.
// A claim (the leader telling the channels) is the same compare-and-set: the transition is
// marked told in Redis before it is told, so a new leader never tells it again.
import type { StoredAlert } from '../observe/alerts/alert-book.ts';
import { applyToRecord, dueOf, silenceField, type AlertOp, type RecordOp } from '../observe/alerts/alert-ops.ts';
import type { AlertState } from '../observe/alerts/alert-replica.ts';
import type { AlertNotification, AlertSilence } from '../observe/alerts/types.ts';
import type { RedisConnection } from './redis-connection.ts';

/** KEYS: hash, channel. ARGV: field, the value read ('' = none), the new value ('' = delete), message. */
const CAS = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if (cur or '') ~= ARGV[2] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
redis.call('PUBLISH', KEYS[2], ARGV[4])
return 1`;

const MAX_TRIES = 20;

export interface AlertsMessage {
  from: string;
  ids?: string[];
  /** The silences changed. */
  s?: boolean;
  /** Everything may have changed (seeded). */
  all?: boolean;
}

const parse = <T>(text: string | null | undefined): T | undefined => {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
};

export class SharedAlertStore {
  readonly #conn: RedisConnection;
  readonly #instance: string;
  readonly #cooldownMs: number;

  constructor(conn: RedisConnection, instance: string, cooldownMs: number) {
    this.#conn = conn;
    this.#instance = instance;
    this.#cooldownMs = cooldownMs;
  }

  get #alerts(): string {
    return this.#conn.key('alerts');
  }

  get #silences(): string {
    return this.#conn.key('alerts:silences');
  }

  get #channel(): string {
    return this.#conn.key('alerts');
  }

  #message(m: Omit<AlertsMessage, 'from'>): string {
    return JSON.stringify({ from: this.#instance, ...m });
  }

  /** Everything; silences that ended are dropped on the way. */
  async load(now: number): Promise<AlertState> {
    const [alerts, silences] = await Promise.all([this.#conn.client.hgetall(this.#alerts), this.#conn.client.hgetall(this.#silences)]);
    const out: AlertState = { alerts: [], silences: [] };
    for (const text of Object.values(alerts)) {
      const a = parse<StoredAlert>(text);
      if (a && typeof a.id === 'string') out.alerts.push(a);
    }
    const ended: string[] = [];
    for (const [field, text] of Object.entries(silences)) {
      const s = parse<AlertSilence>(text);
      if (s && typeof s.until === 'number' && s.until > now) out.silences.push(s);
      else ended.push(field);
    }
    if (ended.length) await this.#conn.client.hdel(this.#silences, ...ended);
    return out;
  }

  /** Fills the store from this instance's alerts when no instance did yet (a new or restarted Redis); true when it did. */
  async seed(state: AlertState): Promise<boolean> {
    const won = await this.#conn.client.set(this.#conn.key('alerts:seeded'), this.#instance, 'NX');
    if (won !== 'OK') return false;
    const m = this.#conn.client.multi();
    for (const a of state.alerts) m.hsetnx(this.#alerts, a.id, JSON.stringify(a));
    for (const s of state.silences) m.hsetnx(this.#silences, silenceField(s), JSON.stringify(s));
    m.publish(this.#channel, this.#message({ all: true }));
    await m.exec();
    return true;
  }

  /** One alert as stored now. */
  async get(id: string): Promise<StoredAlert | undefined> {
    return parse<StoredAlert>(await this.#conn.client.hget(this.#alerts, id));
  }

  async silences(now: number): Promise<AlertSilence[]> {
    const all = await this.#conn.client.hgetall(this.#silences);
    return Object.values(all).map((t) => parse<AlertSilence>(t)).filter((s): s is AlertSilence => !!s && typeof s.until === 'number' && s.until > now);
  }

  /** Applies the operation; answers the alert as stored after it (undefined for silence operations or an alert that is gone). */
  async apply(op: AlertOp): Promise<StoredAlert | undefined> {
    if (op.type === 'silence') {
      await this.#conn.client.multi().hset(this.#silences, silenceField(op.silence), JSON.stringify(op.silence)).publish(this.#channel, this.#message({ s: true })).exec();
      return undefined;
    }
    if (op.type === 'unsilence') {
      await this.#conn.client.multi().hdel(this.#silences, silenceField({ alertId: op.id }), silenceField({ kind: op.kind })).publish(this.#channel, this.#message({ s: true })).exec();
      return undefined;
    }
    return this.#update(op.type === 'raise' ? op.raise.id : op.id, (rec) => applyToRecord(rec, op as RecordOp, this.#cooldownMs));
  }

  /**
   * Several changes of one alert as one (one compare-and-set, one message to the peers): a change
   * replayed after an outage and its `told` reach the leader together, so it never sees the alert
   * due in between and tells it again.
   */
  async applyAll(id: string, ops: readonly RecordOp[]): Promise<StoredAlert | undefined> {
    return this.#update(id, (rec) => ops.reduce<StoredAlert | undefined>((r, op) => applyToRecord(r, op, this.#cooldownMs), rec));
  }

  /** Marks what is due of the alert as told and answers it (nothing when another instance told it, or nothing is due). */
  async claim(id: string, now: number): Promise<{ alert: StoredAlert | undefined; notifications: AlertNotification[] }> {
    let notifications: AlertNotification[] = [];
    const silences = await this.silences(now);
    const alert = await this.#update(id, (rec) => {
      if (!rec) return rec;
      const d = dueOf(rec, silences, now, this.#cooldownMs);
      notifications = d.notifications;
      return d.rec;
    });
    return { alert, notifications };
  }

  /** Read, change, compare-and-set; again on a conflict (at most MAX_TRIES times). */
  async #update(id: string, change: (rec: StoredAlert | undefined) => StoredAlert | undefined): Promise<StoredAlert | undefined> {
    for (let i = 0; i < MAX_TRIES; i++) {
      const text = (await this.#conn.client.hget(this.#alerts, id)) ?? '';
      const rec = parse<StoredAlert>(text);
      const next = change(rec);
      const nextText = next ? JSON.stringify(next) : '';
      if (nextText === text) return next;
      const ok = await this.#conn.client.eval(CAS, 2, this.#alerts, this.#channel, id, text, nextText, this.#message({ ids: [id] }));
      if (ok === 1) return next;
    }
    throw new Error(`alert ${id} kept changing under ${MAX_TRIES} tries`);
  }
}
