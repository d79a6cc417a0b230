// The alert engine: listens to the hub's events (provider status, config, budgets), evaluates
// the policy rules and the key rules on a timer, keeps the alerts in an AlertBook persisted to
// data/state/alerts.json, and tells each notify-worthy transition to the channels (the
// dispatcher) and to the bus (`alert.firing` / `alert.resolved`, which outgoing webhooks send).
// Other parts raise and clear their own alerts through raise() / resolve().
import { join } from 'node:path';
import type { HubEvents } from '../../events/hub-events.ts';
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { UsageQuery } from '../usage-store/types.ts';
import type { LimitStatus } from '../../limits/limit-status.ts';
import type { ChannelDispatcher } from '../../notify/types.ts';
import { AlertBook, publicAlert, type StoredAlert } from './alert-book.ts';
import { readAlertFile, writeAlertFile } from './alert-file.ts';
import { outcomeOfEvent } from './event-rules.ts';
import { evaluatePolicyRules, longestWindow } from './policy-rules.ts';
import { evaluateKeyRules } from './key-rules.ts';
import { channelsFor } from './channels.ts';
import { listAlerts, type AlertQuery } from './alert-list.ts';
import { channelFailed, channelFailedId, webhookDisabled, webhookDisabledId } from './machinery-alerts.ts';
import type { Alert, AlertKind, AlertRaise, AlertRaiser, AlertSilence } from './types.ts';

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
}

const PERIODIC_KINDS = new Set<AlertKind>(['policy', 'key-rotation-due', 'key-rotation-overdue', 'key-expiring']);

export class AlertEngine implements AlertRaiser {
  readonly #o: AlertEngineOptions;
  readonly #book: AlertBook;
  readonly #path: string;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  #dispatcher: ChannelDispatcher | undefined;
  #dirty = false;
  #timers: NodeJS.Timeout[] = [];
  #off: (() => void) | undefined;
  #evaluating: Promise<void> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #sending = new Set<Promise<unknown>>();

  constructor(opts: AlertEngineOptions) {
    this.#o = opts;
    this.#book = new AlertBook({ cooldownMs: opts.cooldownMs });
    this.#path = join(opts.dataDir, 'state', 'alerts.json');
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? (() => {});
    this.#dispatcher = opts.dispatcher;
  }

  /** Reads alerts.json, listens to the bus, starts the timers. */
  async start(): Promise<void> {
    this.#book.load(await readAlertFile(this.#path, this.#log));
    this.#off = this.#o.events.on((e) => {
      const out = outcomeOfEvent(e);
      if (!out.raise && !out.resolve) return;
      for (const id of out.resolve ?? []) this.#book.resolve(id, this.#now());
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

  /** The channels' sender; the notification part of the hub sets it once it is made. */
  setDispatcher(d: ChannelDispatcher | undefined): void {
    this.#dispatcher = d;
  }

  raise(r: AlertRaise): Alert {
    const a = this.#raise(r);
    this.#changed();
    return this.#view(a);
  }

  resolve(id: string): Alert | undefined {
    const a = this.#book.resolve(id, this.#now());
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
    const a = this.#book.acknowledge(id, this.#now());
    if (a) this.#changed();
    return a && this.#view(a);
  }

  silence(id: string, until: number, scope: 'alert' | 'kind' = 'alert'): Alert | undefined {
    const a = this.#book.get(id);
    if (!a) return undefined;
    this.#book.silence(scope === 'kind' ? { kind: a.kind } : { alertId: a.id }, until, this.#now());
    this.#changed();
    return this.#view(a);
  }

  unsilence(id: string): Alert | undefined {
    const a = this.#book.get(id);
    if (!a) return undefined;
    this.#book.unsilence(a);
    this.#changed();
    return this.#view(a);
  }

  /** Evaluates the periodic rules now (policy rules, keys, budget periods); one run at a time. */
  evaluate(): Promise<void> {
    this.#evaluating ??= this.#evaluate().catch((err: Error) => this.#log(`alerts: evaluation failed: ${err.message}`)).finally(() => (this.#evaluating = undefined));
    return this.#evaluating;
  }

  async #evaluate(): Promise<void> {
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
    for (const a of this.#book.all()) {
      if (a.state !== 'firing') continue;
      if (PERIODIC_KINDS.has(a.kind) && !ids.has(a.id)) this.#book.resolve(a.id, at);
      else if (a.kind === 'provider-down' && !snapshot.providers.has(a.subject)) this.#book.resolve(a.id, at);
      else if (a.kind === 'budget' && !budgetHolds(a, limits)) this.#book.resolve(a.id, at);
      // A good commit went live after the rejection (e.g. while the hub was stopped).
      else if (a.kind === 'config-rejected' && Date.parse(snapshot.loadedAt) > a.lastSeenAt) this.#book.resolve(a.id, at);
    }
    this.#book.prune(at);
    this.#changed();
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
    await Promise.allSettled([...this.#sending]);
    await this.flush();
  }

  #raise(r: AlertRaise): StoredAlert {
    const channels = r.channels ?? channelsFor(r.kind, r.severity, this.#o.snapshot());
    return this.#book.raise({ ...r, channels }, this.#now());
  }

  #view(a: StoredAlert): Alert {
    return publicAlert(a, this.#book.silencedUntil(a, this.#now()));
  }

  /** Marks the state to be written and tells what is due to the bus and the channels. */
  #changed(): void {
    this.#dirty = true;
    for (const n of this.#book.due(this.#now())) {
      this.#o.events.emit(n.transition === 'firing' ? 'alert.firing' : 'alert.resolved', { ...n.alert }, typeof n.alert.evidence?.environment === 'string' ? n.alert.evidence.environment : undefined);
      const d = this.#dispatcher;
      if (!d || n.alert.channels.length === 0) continue;
      const sent = d.dispatch(n, n.alert.channels).then(
        (results) => {
          for (const r of results) if (!r.ok) this.#log(`alerts: channel ${r.channel} failed for ${n.alert.id}: ${r.error ?? 'unknown error'}`);
        },
        (err: Error) => this.#log(`alerts: notifying ${n.alert.id} failed: ${err.message}`),
      );
      this.#sending.add(sent);
      void sent.finally(() => this.#sending.delete(sent));
    }
  }
}

/** A budget alert holds while the limiter still counts that budget in the period it crossed in. */
function budgetHolds(a: StoredAlert, limits: readonly LimitStatus[]): boolean {
  const policy = a.evidence?.policy;
  const scope = a.evidence?.scope;
  const s = limits.find((l) => l.limit === 'budget' && l.policy === policy && l.scope === scope);
  if (!s) return false;
  const start = a.evidence?.periodStart;
  return typeof start !== 'number' || s.periodStart <= start;
}
