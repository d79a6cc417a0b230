// The alert engine: listens to the hub's events (provider status, config, budgets), evaluates
// the policy rules and the key rules on a timer, keeps the alerts in an AlertBook persisted to
// data/state/alerts.json, and tells each notify-worthy transition to the channels (the
// dispatcher) and to the bus (`alert.firing` / `alert.resolved`, which outgoing webhooks send).
// Other parts raise and clear their own alerts through raise() / resolve().
// With several instances (a `replica`, docs/alerts.md "Several instances") the book is this
// instance's copy of the alerts shared in Redis: every change is applied here and sent there as
// an operation; only the leader evaluates and tells, claiming each transition in Redis first.
import { join } from 'node:path';
import type { HubEvents } from '../../events/hub-events.ts';
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { UsageQuery } from '../usage-store/types.ts';
import type { LimitStatus } from '../../limits/limit-status.ts';
import { endedAlerts } from './ended-alerts.ts';
import type { ChannelDispatcher } from '../../notify/types.ts';
import { AlertBook, DEFAULT_COOLDOWN_MS, publicAlert, type StoredAlert } from './alert-book.ts';
import { readAlertFile, writeAlertFile } from './alert-file.ts';
import { outcomeOfEvent } from './event-rules.ts';
import { evaluatePolicyRules, longestWindow } from './policy-rules.ts';
import { evaluateKeyRules } from './key-rules.ts';
import { channelsFor } from './channels.ts';
import { listAlerts, type AlertQuery } from './alert-list.ts';
import { channelFailed, channelFailedId, webhookDisabled, webhookDisabledId } from './machinery-alerts.ts';
import { dueOf, type AlertOp } from './alert-ops.ts';
import { AlertTeller } from './alert-teller.ts';
import { reconcileProviderDown, type HealthVerdicts } from './health-rules.ts';
import type { AlertMirror, AlertReplica, AlertRole } from './alert-replica.ts';
import type { Alert, AlertRaise, AlertRaiser, AlertSilence } from './types.ts';

export interface AlertEngineOptions {
  dataDir: string;
  events: HubEvents;
  snapshot: () => ConfigSnapshot | null;
  usage?: UsageQuery | null;
  limits?: { status(now?: number): LimitStatus[] } | null;
  dispatcher?: ChannelDispatcher;
  now?: () => number;
  log?: (line: string) => void;
  /** How often rules are evaluated (default 30 s); 0 runs no timer (tests call evaluate()). */
  evaluateMs?: number;
  /** How often a changed state is written (default 2 s); 0: only by flush() and close(). */
  flushMs?: number;
  cooldownMs?: number;
  /** The alerts shared with other instances through Redis (server/cluster/shared-alerts-replica.ts); none: alone. */
  replica?: AlertReplica;
  /** The health monitor's verdicts: the leader of several instances holds provider-down against them. */
  health?: HealthVerdicts;
}

/** Facts every instance observes alike: with a leader, it alone turns them into alerts. */
const LEADER_EVENTS = new Set(['config.rejected', 'config.applied']);

export class AlertEngine implements AlertRaiser {
  readonly #o: AlertEngineOptions;
  readonly #book: AlertBook;
  readonly #path: string;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  readonly #cooldownMs: number;
  readonly #teller: AlertTeller;
  #dirty = false;
  #timers: NodeJS.Timeout[] = [];
  #off: (() => void) | undefined;
  #evaluating: Promise<void> | undefined;
  #writing: Promise<void> = Promise.resolve();
  readonly #claiming = new Map<string, Promise<void>>();

  constructor(opts: AlertEngineOptions) {
    this.#o = opts;
    this.#cooldownMs = opts.cooldownMs ?? DEFAULT_COOLDOWN_MS;
    this.#book = new AlertBook({ cooldownMs: this.#cooldownMs });
    this.#path = join(opts.dataDir, 'state', 'alerts.json');
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? (() => {});
    this.#teller = new AlertTeller(opts.events, opts.dispatcher, this.#log);
  }

  /** Reads alerts.json, listens to the bus, starts the timers. */
  async start(): Promise<void> {
    this.#book.load(await readAlertFile(this.#path, this.#log));
    this.#o.replica?.attach(this.#mirror);
    this.#off = this.#o.events.on((e) => {
      if (LEADER_EVENTS.has(e.type) && this.role() === 'follow') return;
      const out = outcomeOfEvent(e);
      if (!out.raise && !out.resolve) return;
      for (const id of out.resolve ?? []) this.#apply({ type: 'resolve', id, at: this.#now() });
      if (out.raise) this.#raise(out.raise);
      this.#changed();
    });
    const evaluateMs = this.#o.evaluateMs ?? 30_000;
    if (evaluateMs > 0) this.#timers.push(setInterval(() => void this.evaluate(), evaluateMs));
    const flushMs = this.#o.flushMs ?? 2000;
    if (flushMs > 0) this.#timers.push(setInterval(() => void this.flush(), flushMs));
    for (const t of this.#timers) t.unref();
    // A first look now rather than in 30 s (keys, a rejection fixed while the hub was stopped).
    if (evaluateMs > 0) void this.evaluate();
  }

  /** This instance's part in the alerts (alone without a replica). */
  role(): AlertRole {
    return this.#o.replica?.role() ?? 'alone';
  }

  /** The channels' sender; the notification part of the hub sets it once it is made. */
  setDispatcher(d: ChannelDispatcher | undefined): void {
    this.#teller.dispatcher = d;
  }

  raise(r: AlertRaise): Alert {
    const a = this.#raise(r);
    this.#changed();
    return this.#view(a);
  }

  resolve(id: string): Alert | undefined {
    const a = this.#apply({ type: 'resolve', id, at: this.#now() });
    this.#changed();
    return a && this.#view(a);
  }

  /** For the notification dispatcher: a channel failed / sent again. */
  channelFailed(channel: string, error: string): Alert {
    return this.raise(channelFailed(channel, error));
  }

  channelRecovered(channel: string): Alert | undefined {
    return this.resolve(channelFailedId(channel));
  }

  /** For the outgoing webhooks: an endpoint was disabled / is enabled again. */
  webhookDisabled(endpoint: string, reason: string): Alert {
    return this.raise(webhookDisabled(endpoint, reason));
  }

  webhookEnabled(endpoint: string): Alert | undefined {
    return this.resolve(webhookDisabledId(endpoint));
  }

  get(id: string): Alert | undefined {
    const a = this.#book.get(id);
    return a && this.#view(a);
  }

  list(q: AlertQuery = {}): Alert[] {
    return listAlerts(this.#book.all().map((a) => this.#view(a)), q);
  }

  silences(): AlertSilence[] {
    return this.#book.silences(this.#now());
  }

  /** Firing alerts not acknowledged yet. */
  unread(): number {
    return this.#book.all().filter((a) => a.state === 'firing' && a.acknowledgedAt === undefined).length;
  }

  acknowledge(id: string): Alert | undefined {
    const a = this.#book.get(id);
    if (!a) return undefined;
    this.#apply({ type: 'ack', id, at: this.#now() });
    this.#changed();
    return this.#view(a);
  }

  silence(id: string, until: number, scope: 'alert' | 'kind' = 'alert'): Alert | undefined {
    const a = this.#book.get(id);
    if (!a) return undefined;
    const s = this.#book.silence(scope === 'kind' ? { kind: a.kind } : { alertId: a.id }, until, this.#now());
    this.#share({ type: 'silence', silence: s });
    this.#changed();
    return this.#view(a);
  }

  unsilence(id: string): Alert | undefined {
    const a = this.#book.get(id);
    if (!a) return undefined;
    this.#book.unsilence(a);
    this.#share({ type: 'unsilence', id: a.id, kind: a.kind });
    this.#changed();
    return this.#view(a);
  }

  /** Evaluates the periodic rules now (policy rules, keys, budget periods); one run at a time. Only where the alerts are judged: alone, or the leader. */
  evaluate(): Promise<void> {
    const role = this.role();
    if (role !== 'alone' && role !== 'lead') return Promise.resolve();
    this.#evaluating ??= this.#evaluate(role).catch((err: Error) => this.#log(`alerts: evaluation failed: ${err.message}`)).finally(() => (this.#evaluating = undefined));
    return this.#evaluating;
  }

  async #evaluate(role: AlertRole): Promise<void> {
    const snapshot = this.#o.snapshot();
    if (!snapshot) return;
    const now = this.#now();
    const limits = this.#o.limits?.status(now) ?? [];
    const window = longestWindow(snapshot);
    const rows = window > 0 && this.#o.usage ? await this.#o.usage.rows('minute', now - (window + 1) * 60_000, now + 60_000) : [];
    const at = this.#now();
    const holding = [...evaluatePolicyRules(snapshot, rows, limits, at), ...evaluateKeyRules(snapshot, at)];
    const ids = new Set<string>();
    for (const r of holding) ids.add(this.#raise(r).id);
    const resolve = (id: string) => this.#apply({ type: 'resolve', id, at });
    for (const id of endedAlerts(this.#book.all(), ids, snapshot, limits)) resolve(id);
    if (role === 'lead' && this.#o.health) {
      const fix = reconcileProviderDown(snapshot, (id) => (this.#book.get(id)?.state === 'firing' ? this.#book.get(id) : undefined), this.#o.health);
      for (const r of fix.raise) this.#raise(r);
      for (const id of fix.resolve) resolve(id);
    }
    if (role === 'alone') this.#book.prune(at);
    else this.#pruneShared(at);
    this.#changed();
  }

  /** The leader prunes through the shared store: what pruning a copy of the book would drop. */
  #pruneShared(at: number): void {
    const copy = new AlertBook({ cooldownMs: this.#cooldownMs });
    copy.load(this.#book.toJSON());
    copy.prune(at);
    for (const a of this.#book.all()) if (!copy.get(a.id)) this.#apply({ type: 'drop', id: a.id });
  }

  /** Writes alerts.json when something changed. */
  flush(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      try {
        await writeAlertFile(this.#path, this.#book.toJSON(), this.#now());
      } catch (err) {
        this.#dirty = true;
        this.#log(`alerts: cannot write ${this.#path}: ${(err as Error).message}`);
      }
    });
    return this.#writing;
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.#off?.();
    await this.#evaluating;
    // The replica first: it answers the claims still waiting for Redis (at most 2 s), which
    // would otherwise wait for a Redis that may not come back.
    await this.#o.replica?.close();
    await Promise.allSettled([...this.#claiming.values()]);
    await this.#teller.settle();
    await this.flush();
  }

  #raise(r: AlertRaise): StoredAlert {
    const channels = r.channels ?? channelsFor(r.kind, r.severity, this.#o.snapshot());
    return this.#apply({ type: 'raise', raise: { ...r, id: r.id ?? `${r.kind}:${r.subject}`, channels }, at: this.#now() })!;
  }

  /** Applies a change to this instance's book and sends it to the shared store. */
  #apply(op: Exclude<AlertOp, { type: 'silence' } | { type: 'unsilence' }>): StoredAlert | undefined {
    let a: StoredAlert | undefined;
    switch (op.type) {
      case 'raise':
        a = this.#book.raise(op.raise, op.at);
        break;
      case 'resolve':
        a = this.#book.resolve(op.id, op.at);
        break;
      case 'ack':
        a = this.#book.acknowledge(op.id, op.at);
        break;
      case 'drop':
        if (this.#book.get(op.id)?.state === 'resolved') this.#book.put(op.id, undefined);
        break;
      case 'told':
        break;
    }
    this.#share(op);
    return a;
  }

  #share(op: AlertOp): void {
    if (this.#o.replica && this.role() !== 'alone') this.#o.replica.push(op);
  }

  #view(a: StoredAlert): Alert {
    return publicAlert(a, this.#book.silencedUntil(a, this.#now()));
  }

  /** Marks the state to be written and tells what is due: alone or cut off from Redis from this book; the leader through claims. */
  #changed(): void {
    this.#dirty = true;
    const role = this.role();
    if (role === 'alone' || role === 'local') {
      for (const n of this.#book.due(this.#now())) {
        if (role === 'local') this.#share({ type: 'told', id: n.alert.id, transition: n.transition, severity: n.alert.severity });
        this.#teller.tell(n);
      }
    } else if (role === 'lead') this.#claimDue();
  }

  /** The leader: each alert that looks due here is claimed in the shared store, and told when the claim holds. */
  #claimDue(): void {
    const now = this.#now();
    const silences = this.#book.silences(now);
    for (const a of this.#book.all()) {
      if (this.#claiming.has(a.id) || dueOf(a, silences, now, this.#cooldownMs).notifications.length === 0) continue;
      const claim = this.#o.replica!.claim(a.id, now).then(
        (told) => {
          for (const n of told) this.#teller.tell(n);
        },
        (err: Error) => this.#log(`alerts: cannot claim ${a.id} in the shared store: ${err.message}`),
      ).finally(() => this.#claiming.delete(a.id));
      this.#claiming.set(a.id, claim);
    }
  }

  readonly #mirror: AlertMirror = {
    state: () => this.#book.toJSON(),
    adopt: (state) => {
      this.#book.load(state);
      this.#dirty = true;
    },
    put: (id, a) => {
      this.#book.put(id, a);
      this.#dirty = true;
    },
    setSilences: (silences) => {
      this.#book.setSilences(silences);
      this.#dirty = true;
    },
    remoteChanged: () => {
      if (this.role() === 'lead') this.#claimDue();
    },
    roleChanged: () => {
      if (this.role() === 'lead') void this.evaluate();
    },
  };
}
