// The requests callers may still score (POST /v1/feedback): a bounded index of recent answered
// requests, request id → who made it and what served it. A ring of fixed capacity (the oldest
// entry is overwritten) whose entries also expire after maxAgeMs.
//
// Recording is on every answered request, a lookup only on each feedback call, so the ring is
// kept as columns of references to strings the request already holds (ids, config names) and a
// lookup scans it from the newest entry back: no Map to update and no string built per request
// (a Map of 50,000 ids cost more per request than the rest of the usage recording).
import type { UsageRecord, UsageRecorder } from '../usage-recorder.ts';

export interface RecentRequest {
  client: string;
  binding: string;
  provider: string;
  keyId: string;
  model: string;
  currency: string;
  /** When the request's answer ended, epoch ms. */
  at: number;
  /** Whether a score was taken for it already. */
  scored: boolean;
}

export class RecentRequests implements UsageRecorder {
  readonly capacity: number;
  readonly maxAgeMs: number;
  readonly #ids: string[];
  readonly #client: string[];
  readonly #binding: string[];
  readonly #provider: string[];
  readonly #keyId: string[];
  readonly #model: string[];
  readonly #currency: string[];
  readonly #at: Float64Array;
  readonly #scored: Uint8Array;
  #next = 0;
  #count = 0;

  constructor(capacity = 50_000, maxAgeMs = 24 * 3_600_000) {
    this.capacity = capacity;
    this.maxAgeMs = maxAgeMs;
    const column = () => new Array<string>(capacity).fill('');
    this.#ids = column();
    this.#client = column();
    this.#binding = column();
    this.#provider = column();
    this.#keyId = column();
    this.#model = column();
    this.#currency = column();
    this.#at = new Float64Array(capacity);
    this.#scored = new Uint8Array(capacity);
  }

  /** Called for every answered request when its usage is known. */
  record(r: UsageRecord): void {
    if (!r.requestId || !r.binding) return;
    const slot = this.#next;
    this.#next = slot + 1 === this.capacity ? 0 : slot + 1;
    if (this.#count < this.capacity) this.#count++;
    this.#ids[slot] = r.requestId;
    this.#client[slot] = r.client;
    this.#binding[slot] = r.binding;
    this.#provider[slot] = r.provider;
    this.#keyId[slot] = r.keyId;
    this.#model[slot] = r.model ?? '';
    this.#currency[slot] = r.currency ?? '';
    this.#at[slot] = r.at;
    this.#scored[slot] = 0;
  }

  /** The request with this id if it is still held and younger than maxAgeMs at `now`. */
  find(requestId: string, now: number): RecentRequest | undefined {
    const slot = this.#slotOf(requestId);
    if (slot < 0 || now - this.#at[slot]! > this.maxAgeMs) return undefined;
    return { client: this.#client[slot]!, binding: this.#binding[slot]!, provider: this.#provider[slot]!, keyId: this.#keyId[slot]!, model: this.#model[slot]!, currency: this.#currency[slot]!, at: this.#at[slot]!, scored: this.#scored[slot] === 1 };
  }

  /** Marks the request scored; false when it was already (or is no longer held). */
  markScored(requestId: string): boolean {
    const slot = this.#slotOf(requestId);
    if (slot < 0 || this.#scored[slot] === 1) return false;
    this.#scored[slot] = 1;
    return true;
  }

  get size(): number {
    return this.#count;
  }

  /** The newest slot holding this id, or -1 (a scan of at most `capacity` references). */
  #slotOf(requestId: string): number {
    if (!requestId) return -1;
    for (let n = 1, slot = this.#next - 1; n <= this.#count; n++, slot--) {
      if (slot < 0) slot = this.capacity - 1;
      if (this.#ids[slot] === requestId) return slot;
    }
    return -1;
  }
}
