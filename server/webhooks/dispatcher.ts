// Outgoing webhooks: turns hub events into deliveries (one per matching subscription), keeps
// them in the store (the journal, or Redis shared by the instances) before the first attempt,
// attempts them on the retry schedule, and disables an endpoint that has failed continuously for
// 5 days (or answered 410 Gone). One timer for the soonest due delivery (with a shared store: a
// poll, since other instances queue too); at most `maxInFlight` attempts at once; attempts only
// while `leads()` (with `redis:`, on the cluster's leader alone).
import type { HubEvent } from '../events/hub-events.ts';
import type { WebhookSubscription } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { signatureHeaders } from './signature.ts';
import { afterAttempt, disableReason, FIVE_DAYS_MS } from './attempt-outcome.ts';
import { eventBody, newDeliveryId, subscribes } from './payload.ts';
import type { DeliveryJournal } from './delivery-journal.ts';
import { LocalDeliveryStore, type DeliveryStore, type EndpointStore } from './delivery-store.ts';
import type { Send } from './http-send.ts';
import type { Attempt, Delivery, EndpointState } from './types.ts';

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface DispatcherDeps {
  /** This instance's journal (the store too, unless `store` is given). */
  journal: DeliveryJournal;
  /** Where deliveries are kept and claimed (default: the journal). */
  store?: DeliveryStore;
  endpoints: EndpointStore;
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
  /** Whether this instance attempts deliveries (default always; with `redis:`, while it leads). */
  leads?: () => boolean;
  /** How often the leader looks for due deliveries in a shared store (default 250 ms). */
  pollMs?: number;
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
export { FIVE_DAYS_MS };

export class WebhookDispatcher {
  readonly #d: DispatcherDeps;
  readonly #store: DeliveryStore;
  readonly #timers: Timers;
  readonly #inFlight = new Set<string>();
  #timer: unknown = null;
  #closed = false;
  #work: Promise<unknown>[] = [];
  /** A claim from a shared store is under way (one at a time); `#again`: pump once more after it. */
  #claiming = false;
  #again = false;
  #claimError: string | null = null;

  constructor(deps: DispatcherDeps) {
    this.#d = deps;
    this.#store = deps.store ?? new LocalDeliveryStore(deps.journal);
    this.#timers = deps.timers ?? realTimers;
  }

  /** This instance's own journal (with `redis:`, only what waits for Redis). */
  get journal(): DeliveryJournal {
    return this.#d.journal;
  }

  /** Where deliveries are (the delivery log, replay): the journal, or Redis with `redis:`. */
  get store(): DeliveryStore {
    return this.#store;
  }

  /** Picks up what the store holds (deliveries pending at the last stop). */
  start(): void {
    this.#arm();
  }

  /** Looks for due deliveries now (this instance took the lead, or the store changed). */
  wake(): void {
    this.#pump();
  }

  /** Creates (and persists) a delivery for every subscription that takes the event. */
  async accept(event: HubEvent, opts: { fact?: string } = {}): Promise<Delivery[]> {
    if (this.#closed) return [];
    const subs = this.#d.subscriptions();
    if (!subs) return [];
    const body = eventBody(event);
    const now = this.#d.now();
    const made: Delivery[] = [];
    for (const sub of subs.values()) {
      if (sub.enabled === false || !subscribes(sub, event)) continue;
      if ((await this.#d.endpoints.read(sub.name)).disabledAt !== undefined) continue;
      const d: Delivery = { id: newDeliveryId(), webhookId: event.id, subscription: sub.name, type: event.type, createdAt: now, body, state: 'pending', attempts: [], nextAt: now, ...(opts.fact ? { fact: opts.fact } : {}) };
      made.push(d);
    }
    await Promise.all(made.map((d) => this.#store.save(d, now)));
    if (made.length) this.#pump();
    return made;
  }

  /** A new delivery of the same message (same webhook-id and body), attempted now. */
  async replay(id: string): Promise<Delivery> {
    const old = await this.#store.get(id);
    if (!old) throw new SilError('SIL_API_NOT_FOUND', `delivery "${id}" does not exist`, { hint: 'GET /api/webhooks/<name>/deliveries lists them' });
    const sub = this.#d.subscriptions()?.get(old.subscription);
    if (!sub) throw new SilError('SIL_API_NOT_FOUND', `webhook "${old.subscription}" does not exist any more`);
    await this.#refuseDisabled(sub);
    const now = this.#d.now();
    const d: Delivery = { id: newDeliveryId(), webhookId: old.webhookId, subscription: old.subscription, type: old.type, createdAt: now, body: old.body, state: 'pending', attempts: [], nextAt: now, replayOf: old.id };
    await this.#store.save(d, now);
    this.#pump();
    return d;
  }

  /** Lifts a disable made by the hub (failing 5 days, 410 Gone); the failure clock restarts. */
  async enable(name: string): Promise<EndpointState> {
    const wasDisabled = (await this.#d.endpoints.read(name)).disabledAt !== undefined;
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

  /** An endpoint's state as this instance last knew it. */
  endpoint(name: string): EndpointState {
    return this.#d.endpoints.get(name);
  }

  /** An endpoint's state as it stands (with `redis:`, read from Redis). */
  endpointState(name: string): Promise<EndpointState> {
    return this.#d.endpoints.read(name);
  }

  /** Stops the timer; attempts in flight finish and are recorded (a pending delivery is tried again after a restart, or by the next leader). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    await this.idle();
    await this.#store.close();
  }

  /** Whether an attempt of this delivery is in flight here. */
  busy(id: string): boolean {
    return this.#inFlight.has(id);
  }

  /** Settles when the attempts running now are done (tests). */
  async idle(): Promise<void> {
    while (this.#work.length) await Promise.allSettled(this.#work);
  }

  #leads(): boolean {
    return this.#d.leads?.() ?? true;
  }

  async #refuseDisabled(sub: Readonly<WebhookSubscription>): Promise<void> {
    if (sub.enabled === false) throw new SilError('SIL_API_INPUT', `webhook "${sub.name}" is disabled in its file`, { hint: `enable it: PATCH /api/webhooks/${sub.name} with {"webhook": {"enabled": true}}` });
    const st = await this.#d.endpoints.read(sub.name);
    if (st.disabledAt !== undefined) throw new SilError('SIL_API_INPUT', `webhook "${sub.name}" was disabled by the hub: ${st.disabledReason ?? ''}`, { hint: `enable it again: POST /api/webhooks/${sub.name}/enable` });
  }

  #arm(): void {
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    if (this.#closed || !this.#leads()) return;
    const next = this.#store.nextDue(this.#inFlight);
    const shared = this.#store.shared;
    if (next === null && !shared) return;
    const wait = Math.min(shared ? (this.#d.pollMs ?? 250) : MAX_SLEEP_MS, Math.max(0, (next ?? Infinity) - this.#d.now()));
    this.#timer = this.#timers.set(() => {
      this.#timer = null;
      this.#pump();
    }, wait);
  }

  #pump(): void {
    if (this.#closed || !this.#leads()) return this.#arm();
    if (this.#claiming) {
      this.#again = true;
      return;
    }
    const free = (this.#d.maxInFlight ?? 8) - this.#inFlight.size;
    if (free <= 0) return this.#arm();
    let claimed: Delivery[] | Promise<Delivery[]>;
    try {
      claimed = this.#store.claimDue(this.#d.now(), free, this.#inFlight);
    } catch (err) {
      claimed = Promise.reject(err);
    }
    if (Array.isArray(claimed)) {
      this.#launch(claimed);
      return this.#arm();
    }
    this.#claiming = true;
    const run: Promise<void> = claimed
      .then((ds) => {
        this.#claimError = null;
        this.#launch(ds);
      }, (err: Error) => {
        // Logged once until a claim succeeds again (Redis down: the lead is lost shortly).
        if (this.#claimError !== err.message) this.#d.log(`webhooks: cannot look for due deliveries: ${err.message}`);
        this.#claimError = err.message;
      })
      .finally(() => {
        this.#claiming = false;
        this.#work = this.#work.filter((w) => w !== run);
        if (this.#again) {
          this.#again = false;
          this.#pump();
        } else this.#arm();
      });
    this.#work.push(run);
  }

  #launch(due: Delivery[]): void {
    for (const d of due) {
      if (this.#inFlight.has(d.id)) continue;
      if (this.#closed || !this.#leads()) {
        // Claimed while closing or losing the lead: give it back to whoever leads next.
        this.#store.release(d).catch(() => {});
        continue;
      }
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
  }

  async #attempt(d: Delivery): Promise<void> {
    const sub = this.#d.subscriptions()?.get(d.subscription);
    const st = await this.#d.endpoints.read(d.subscription);
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
    // Recorded even when the hub is closing meanwhile (the store closes after the attempts), so
    // that a delivered message is not sent again by a restart or the next leader.
    const now = this.#d.now();
    const { delivery, outcome } = afterAttempt(d, attempt, sub.retry, now, this.#d.random);
    await this.#store.save(delivery, now);
    if (outcome === 'delivered') {
      await this.#d.endpoints.update(sub.name, ({ failingSince: _f, consecutiveFailures: _c, ...rest }) => ({ ...rest, lastSuccessAt: now }));
      return;
    }
    if (outcome === 'gone') return this.#disable(sub.name, 'the receiver answered 410 Gone', now);
    const after = await this.#d.endpoints.update(sub.name, (s) => ({ ...s, failingSince: s.failingSince ?? at, consecutiveFailures: (s.consecutiveFailures ?? 0) + 1 }));
    const reason = disableReason(after, now, this.#d.disableAfterMs ?? FIVE_DAYS_MS, sub.retry?.disableAfterFailures);
    if (reason) await this.#disable(sub.name, reason, now);
  }

  async #finish(d: Delivery, state: 'failed', reason: string): Promise<void> {
    await this.#store.save({ ...d, state, nextAt: null, reason }, this.#d.now());
  }

  async #disable(name: string, reason: string, now: number): Promise<void> {
    const before = await this.#d.endpoints.read(name);
    if (before.disabledAt !== undefined) return;
    await this.#d.endpoints.update(name, (s) => ({ ...s, disabledAt: now, disabledReason: reason }));
    for (const p of await this.#store.pendingOf(name)) await this.#finish(p, 'failed', `the endpoint was disabled: ${reason}`);
    this.#d.log(`webhooks: disabled ${name}: ${reason}; POST /api/webhooks/${name}/enable turns it on again`);
    try {
      this.#d.onDisabled?.(name, reason);
    } catch (err) {
      this.#d.log(`webhooks: onDisabled(${name}) failed: ${(err as Error).message}`);
    }
  }
}
