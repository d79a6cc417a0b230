// Outgoing webhooks: turns hub events into deliveries (one per matching subscription), keeps
// them in the journal before the first attempt, attempts them on the retry schedule, and
// disables an endpoint that has failed continuously for 5 days (or answered 410 Gone). One timer
// for the soonest due delivery; at most `maxInFlight` attempts at once.
import type { HubEvent } from '../events/hub-events.ts';
import type { WebhookSubscription } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { signatureHeaders } from './signature.ts';
import { delayBeforeAttempt, scheduleOf } from './schedule.ts';
import { eventBody, newDeliveryId, subscribes } from './payload.ts';
import type { DeliveryJournal } from './delivery-journal.ts';
import type { EndpointStates } from './endpoint-states.ts';
import type { Send } from './http-send.ts';
import type { Attempt, Delivery, EndpointState } from './types.ts';

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface DispatcherDeps {
  journal: DeliveryJournal;
  endpoints: EndpointStates;
  /** The live config's subscriptions (null before the first load). */
  subscriptions: () => ReadonlyMap<string, Readonly<WebhookSubscription>> | null;
  /** A subscription's signing secrets, newest first (more than one during a rotation's overlap). */
  secrets: (name: string) => string[];
  send: Send;
  now: () => number;
  timers?: Timers;
  random?: () => number;
  /** Per attempt (default 15 s). */
  timeoutMs?: number;
  /** Failing continuously this long disables the endpoint (default 5 days). */
  disableAfterMs?: number;
  maxInFlight?: number;
  /** Called once when the hub disables an endpoint (main.ts raises an alert). */
  onDisabled?: (name: string, reason: string) => void;
  /** Called when the owner lifts such a disable (the alert resolves). */
  onEnabled?: (name: string) => void;
  log: (line: string) => void;
}

const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The timer never sleeps longer than this, so a clock change is noticed. */
const MAX_SLEEP_MS = 60_000;
export const FIVE_DAYS_MS = 5 * 86_400_000;

export class WebhookDispatcher {
  readonly #d: DispatcherDeps;
  readonly #timers: Timers;
  readonly #inFlight = new Set<string>();
  #timer: unknown = null;
  #closed = false;
  #work: Promise<unknown>[] = [];

  constructor(deps: DispatcherDeps) {
    this.#d = deps;
    this.#timers = deps.timers ?? realTimers;
  }

  get journal(): DeliveryJournal {
    return this.#d.journal;
  }

  /** Picks up what the journal holds (deliveries pending at the last stop). */
  start(): void {
    this.#arm();
  }

  /** Creates (and persists) a delivery for every subscription that takes the event. */
  async accept(event: HubEvent): Promise<Delivery[]> {
    if (this.#closed) return [];
    const subs = this.#d.subscriptions();
    if (!subs) return [];
    const body = eventBody(event);
    const now = this.#d.now();
    const made: Delivery[] = [];
    for (const sub of subs.values()) {
      if (sub.enabled === false || this.#d.endpoints.get(sub.name).disabledAt !== undefined || !subscribes(sub, event)) continue;
      const d: Delivery = { id: newDeliveryId(), webhookId: event.id, subscription: sub.name, type: event.type, createdAt: now, body, state: 'pending', attempts: [], nextAt: now };
      made.push(d);
    }
    await Promise.all(made.map((d) => this.#d.journal.save(d, now)));
    if (made.length) this.#pump();
    return made;
  }

  /** A new delivery of the same message (same webhook-id and body), attempted now. */
  async replay(id: string): Promise<Delivery> {
    const old = this.#d.journal.get(id);
    if (!old) throw new SilError('SIL_API_NOT_FOUND', `delivery "${id}" does not exist`, { hint: 'GET /api/webhooks/<name>/deliveries lists them' });
    const sub = this.#d.subscriptions()?.get(old.subscription);
    if (!sub) throw new SilError('SIL_API_NOT_FOUND', `webhook "${old.subscription}" does not exist any more`);
    this.#refuseDisabled(sub);
    const now = this.#d.now();
    const d: Delivery = { id: newDeliveryId(), webhookId: old.webhookId, subscription: old.subscription, type: old.type, createdAt: now, body: old.body, state: 'pending', attempts: [], nextAt: now, replayOf: old.id };
    await this.#d.journal.save(d, now);
    this.#pump();
    return d;
  }

  /** Lifts a disable made by the hub (failing 5 days, 410 Gone); the failure clock restarts. */
  async enable(name: string): Promise<EndpointState> {
    const wasDisabled = this.#d.endpoints.get(name).disabledAt !== undefined;
    const state = await this.#d.endpoints.update(name, ({ disabledAt: _a, disabledReason: _r, failingSince: _f, consecutiveFailures: _c, ...rest }) => rest);
    if (wasDisabled) {
      try {
        this.#d.onEnabled?.(name);
      } catch (err) {
        this.#d.log(`webhooks: onEnabled(${name}) failed: ${(err as Error).message}`);
      }
    }
    return state;
  }

  endpoint(name: string): EndpointState {
    return this.#d.endpoints.get(name);
  }

  /** Stops the timer; attempts in flight finish or stay pending on disk (tried again after a restart). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    await Promise.allSettled(this.#work);
    await this.#d.journal.close();
  }

  /** Settles when the attempts running now are done (tests). */
  async idle(): Promise<void> {
    while (this.#work.length) await Promise.allSettled(this.#work);
  }

  #refuseDisabled(sub: Readonly<WebhookSubscription>): void {
    if (sub.enabled === false) throw new SilError('SIL_API_INPUT', `webhook "${sub.name}" is disabled in its file`, { hint: `enable it: PATCH /api/webhooks/${sub.name} with {"webhook": {"enabled": true}}` });
    const st = this.#d.endpoints.get(sub.name);
    if (st.disabledAt !== undefined) throw new SilError('SIL_API_INPUT', `webhook "${sub.name}" was disabled by the hub: ${st.disabledReason ?? ''}`, { hint: `enable it again: POST /api/webhooks/${sub.name}/enable` });
  }

  #arm(): void {
    if (this.#closed) return;
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    let next = Infinity;
    for (const d of this.#d.journal.pending()) if (!this.#inFlight.has(d.id) && d.nextAt !== null) next = Math.min(next, d.nextAt);
    if (next === Infinity) return;
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, next - this.#d.now()));
    this.#timer = this.#timers.set(() => {
      this.#timer = null;
      this.#pump();
    }, wait);
  }

  #pump(): void {
    if (this.#closed) return;
    const now = this.#d.now();
    const max = this.#d.maxInFlight ?? 8;
    const due = this.#d.journal.pending().filter((d) => !this.#inFlight.has(d.id) && d.nextAt !== null && d.nextAt <= now).sort((a, b) => a.nextAt! - b.nextAt!);
    for (const d of due) {
      if (this.#inFlight.size >= max) break;
      this.#inFlight.add(d.id);
      const run = this.#attempt(d)
        .catch((err: unknown) => this.#d.log(`webhooks: delivery ${d.id} to ${d.subscription}: ${(err as Error).message}`))
        .finally(() => {
          this.#inFlight.delete(d.id);
          this.#work = this.#work.filter((w) => w !== run);
          this.#pump();
        });
      this.#work.push(run);
    }
    this.#arm();
  }

  async #attempt(d: Delivery): Promise<void> {
    const sub = this.#d.subscriptions()?.get(d.subscription);
    const st = this.#d.endpoints.get(d.subscription);
    if (!sub) return this.#finish(d, 'failed', 'the webhook no longer exists');
    if (sub.enabled === false) return this.#finish(d, 'failed', 'the webhook is disabled in its file');
    if (st.disabledAt !== undefined) return this.#finish(d, 'failed', `the endpoint was disabled: ${st.disabledReason ?? ''}`);
    const secrets = this.#d.secrets(sub.name);
    const at = this.#d.now();
    let attempt: Attempt;
    if (secrets.length === 0) {
      attempt = { at, status: null, ms: 0, error: `no signing secret in secrets/webhook-${sub.name}.yaml: POST /api/webhooks/${sub.name}/secret/rotate makes one` };
    } else {
      const headers = { ...sub.headers, ...signatureHeaders(secrets, d.webhookId, Math.floor(at / 1000), d.body) };
      const r = await this.#d.send({ url: sub.url, headers, body: d.body, timeoutMs: this.#d.timeoutMs ?? 15_000 });
      attempt = { at, status: r.status, ms: this.#d.now() - at, ...(r.error ? { error: r.error } : {}), ...(r.response ? { response: r.response } : {}) };
    }
    // Closed while the request ran: leave the delivery pending on disk; a restart tries again.
    if (this.#closed) return;
    const now = this.#d.now();
    const next: Delivery = { ...d, attempts: [...d.attempts, attempt] };
    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) {
      await this.#d.journal.save({ ...next, state: 'delivered', nextAt: null }, now);
      await this.#d.endpoints.update(sub.name, ({ failingSince: _f, consecutiveFailures: _c, ...rest }) => ({ ...rest, lastSuccessAt: now }));
      return;
    }
    if (attempt.status === 410) {
      await this.#d.journal.save({ ...next, state: 'failed', nextAt: null, reason: 'the receiver answered 410 Gone' }, now);
      return this.#disable(sub.name, 'the receiver answered 410 Gone', now);
    }
    const delay = delayBeforeAttempt(scheduleOf(sub.retry), next.attempts.length + 1, this.#d.random);
    if (delay === null) await this.#d.journal.save({ ...next, state: 'failed', nextAt: null, reason: `no attempt left in the schedule (${next.attempts.length} made)` }, now);
    else await this.#d.journal.save({ ...next, nextAt: now + delay }, now);
    const after = await this.#d.endpoints.update(sub.name, (s) => ({ ...s, failingSince: s.failingSince ?? at, consecutiveFailures: (s.consecutiveFailures ?? 0) + 1 }));
    const limit = this.#d.disableAfterMs ?? FIVE_DAYS_MS;
    if (now - after.failingSince! >= limit) {
      await this.#disable(sub.name, `every attempt failed for ${Math.round((now - after.failingSince!) / 3_600_000)} hours (since ${new Date(after.failingSince!).toISOString()})`, now);
    } else if (sub.retry?.disableAfterFailures && after.consecutiveFailures! >= sub.retry.disableAfterFailures) {
      await this.#disable(sub.name, `${after.consecutiveFailures} attempts in a row failed (retry.disableAfterFailures)`, now);
    }
  }

  async #finish(d: Delivery, state: 'failed', reason: string): Promise<void> {
    await this.#d.journal.save({ ...d, state, nextAt: null, reason }, this.#d.now());
  }

  async #disable(name: string, reason: string, now: number): Promise<void> {
    const before = this.#d.endpoints.get(name);
    if (before.disabledAt !== undefined) return;
    await this.#d.endpoints.update(name, (s) => ({ ...s, disabledAt: now, disabledReason: reason }));
    for (const p of this.#d.journal.pending()) {
      if (p.subscription === name) await this.#finish(p, 'failed', `the endpoint was disabled: ${reason}`);
    }
    this.#d.log(`webhooks: disabled ${name}: ${reason}; POST /api/webhooks/${name}/enable turns it on again`);
    try {
      this.#d.onDisabled?.(name, reason);
    } catch (err) {
      this.#d.log(`webhooks: onDisabled(${name}) failed: ${(err as Error).message}`);
    }
  }
}
