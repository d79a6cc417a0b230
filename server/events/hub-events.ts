// The hub's runtime events, in one in-process bus: the health monitor, the alerts, the limiter,
// the config reloader, key maintenance and inbound provider webhooks emit them; outgoing webhooks
// (Standard Webhooks), the alert engine and the console's live views listen. Listeners run
// synchronously in emit order; one that throws is reported and does not stop the others.
import { randomBytes } from 'node:crypto';

/** Event types a webhook subscription (webhooks/<name>.yaml `events`) can name. */
export const EVENT_TYPES = ['alert.firing', 'alert.resolved', 'provider.status', 'key.rotated', 'config.applied', 'config.rejected', 'budget.threshold', 'provider.webhook'] as const;
export type HubEventType = (typeof EVENT_TYPES)[number];

export interface HubEvent {
  /** `evt_` + 24 random base32 characters: unique, and the Standard Webhooks `webhook-id` of its deliveries. */
  id: string;
  type: HubEventType;
  /** Epoch milliseconds. */
  at: number;
  /** The environment the event belongs to (a provider's, a binding's), when it has one. */
  environment?: string;
  data: Record<string, unknown>;
  /**
   * Set when every instance of a cluster observes the same fact (a commit applied or rejected, a
   * key rotated by a commit): a deterministic key, so that outgoing webhooks queue the fact once
   * across instances (docs/webhooks.md, "Several instances"). Not part of any payload.
   */
  fact?: string;
}

export type HubEventListener = (event: HubEvent) => void;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function newEventId(): string {
  const bytes = randomBytes(24);
  let out = 'evt_';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

export class HubEvents {
  readonly #listeners = new Set<HubEventListener>();
  readonly #onError: (err: unknown, event: HubEvent) => void;
  readonly #now: () => number;
  /** Events emitted while held (the hub starting: its first config load comes before the listeners). */
  #held: HubEvent[] | null;

  constructor(opts: { onError?: (err: unknown, event: HubEvent) => void; now?: () => number; held?: boolean } = {}) {
    this.#onError = opts.onError ?? (() => {});
    this.#now = opts.now ?? Date.now;
    this.#held = opts.held ? [] : null;
  }

  /** Hands the events emitted while held to the listeners there are now, in order, and stops holding. */
  release(): void {
    const held = this.#held;
    this.#held = null;
    for (const e of held ?? []) this.#deliver(e);
  }

  /** Adds a listener; answers a function that removes it. */
  on(listener: HubEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(type: HubEventType, data: Record<string, unknown>, environment?: string, opts: { fact?: string } = {}): HubEvent {
    const event: HubEvent = { id: newEventId(), type, at: this.#now(), ...(environment ? { environment } : {}), data, ...(opts.fact ? { fact: opts.fact } : {}) };
    if (this.#held) this.#held.push(event);
    else this.#deliver(event);
    return event;
  }

  #deliver(event: HubEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (err) {
        this.#onError(err, event);
      }
    }
  }
}

/** Whether a subscription's pattern (`*`, `provider.*`, `alert.firing`) takes an event type. */
export function eventMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}
