// The requests callers may still score (POST /v1/feedback): a bounded index of recent answered
// requests, request id → who made it and what served it. A ring of fixed capacity (the oldest
// entry is overwritten) whose entries also expire after maxAgeMs. Memory per entry: the id
// string (shared with the Map key), an interned dims string and a few typed-array slots; no
// object per entry.
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

const SEP = '\u001f';
const FIELDS = 6;
/** Distinct dims strings kept for sharing; past this, entries keep their own string. */
const MAX_INTERNED = 4_096;

export class RecentRequests implements UsageRecorder {
  readonly capacity: number;
  readonly maxAgeMs: number;
  readonly #ids: (string | undefined)[];
  readonly #dims: (string | undefined)[];
  readonly #at: Float64Array;
  readonly #scored: Uint8Array;
  readonly #slotOf = new Map<string, number>();
  readonly #interned = new Map<string, string>();
  #next = 0;

  constructor(capacity = 50_000, maxAgeMs = 24 * 3_600_000) {
    this.capacity = capacity;
    this.maxAgeMs = maxAgeMs;
    this.#ids = new Array(capacity).fill(undefined);
    this.#dims = new Array(capacity).fill(undefined);
    this.#at = new Float64Array(capacity);
    this.#scored = new Uint8Array(capacity);
  }

  /** Called for every answered request when its usage is known. */
  record(r: UsageRecord): void {
    if (!r.requestId || !r.binding) return;
    const slot = this.#next;
    this.#next = slot + 1 === this.capacity ? 0 : slot + 1;
    const old = this.#ids[slot];
    if (old !== undefined && this.#slotOf.get(old) === slot) this.#slotOf.delete(old);
    const dims = `${r.client}${SEP}${r.binding}${SEP}${r.provider}${SEP}${r.keyId}${SEP}${r.model ?? ''}${SEP}${r.currency ?? ''}`;
    let shared = this.#interned.get(dims);
    if (shared === undefined) {
      shared = dims;
      if (this.#interned.size < MAX_INTERNED) this.#interned.set(dims, dims);
    }
    this.#ids[slot] = r.requestId;
    this.#dims[slot] = shared;
    this.#at[slot] = r.at;
    this.#scored[slot] = 0;
    this.#slotOf.set(r.requestId, slot);
  }

  /** The request with this id if it is still held and younger than maxAgeMs at `now`. */
  find(requestId: string, now: number): RecentRequest | undefined {
    const slot = this.#slotOf.get(requestId);
    if (slot === undefined || now - this.#at[slot] > this.maxAgeMs) return undefined;
    const parts = this.#dims[slot]!.split(SEP);
    if (parts.length !== FIELDS) return undefined;
    const [client, binding, provider, keyId, model, currency] = parts;
    return { client, binding, provider, keyId, model, currency, at: this.#at[slot], scored: this.#scored[slot] === 1 };
  }

  /** Marks the request scored; false when it was already (or is no longer held). */
  markScored(requestId: string): boolean {
    const slot = this.#slotOf.get(requestId);
    if (slot === undefined || this.#scored[slot] === 1) return false;
    this.#scored[slot] = 1;
    return true;
  }

  get size(): number {
    return this.#slotOf.size;
  }
}
