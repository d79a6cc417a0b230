// The last inbound webhooks, accepted and refused, for GET /api/hooks/recent: when, which
// provider and scheme, the verdict, the event's type and id; never the payload or a secret.

export interface HookRecord {
  at: number;
  provider: string;
  scheme: string;
  verdict: 'accepted' | 'refused';
  /** Refused: the catalog code (SIL_HOOK_SIGNATURE, ...) and why. */
  code?: string;
  reason?: string;
  eventType?: string;
  eventId?: string;
  /** Accepted: the id of the provider.webhook event on the hub's bus. */
  hubEventId?: string;
  environment?: string;
}

export class RecentHooks {
  readonly #items: HookRecord[] = [];
  readonly #max: number;

  constructor(max = 200) {
    this.#max = max;
  }

  add(r: HookRecord): void {
    this.#items.push(r);
    if (this.#items.length > this.#max) this.#items.shift();
  }

  /** Newest first. */
  list(limit = 50, provider?: string): HookRecord[] {
    const out: HookRecord[] = [];
    for (let i = this.#items.length - 1; i >= 0 && out.length < limit; i--) if (!provider || this.#items[i].provider === provider) out.push(this.#items[i]);
    return out;
  }
}
