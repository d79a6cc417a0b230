// The last requests the proxy handled, for the admin API: bounded, no bodies, no secrets.
//
// Kept as columns (typed arrays for numbers, arrays of the config's own strings) in a ring:
// an entry outlives many young-generation collections, and one object per entry made every
// request promote about a kilobyte to the old generation, which then needed a full collection
// every few seconds under load. Now what a request leaves behind is its id string.
export interface RequestLogEntry {
  id: string;
  at: string;
  client: string;
  binding: string;
  door: 'unified' | 'bind';
  provider?: string;
  model?: string;
  keyId?: string;
  status: number;
  latencyMs: number;
  attempts: number;
  failoverReasons: string[];
}

/** What the proxy adds: the time as epoch milliseconds (formatted only when listed). */
export type RequestRecord = Omit<RequestLogEntry, 'at'> & { at: number };

const DOORS = ['unified', 'bind'] as const;
const NONE: readonly string[] = Object.freeze([]);

export class RequestLog {
  readonly #capacity: number;
  #next = 0;
  #count = 0;
  readonly #id: string[];
  readonly #client: string[];
  readonly #binding: string[];
  readonly #provider: (string | undefined)[];
  readonly #model: (string | undefined)[];
  readonly #keyId: (string | undefined)[];
  readonly #reasons: (readonly string[])[];
  readonly #at: Float64Array;
  readonly #latency: Float64Array;
  readonly #status: Uint16Array;
  readonly #attempts: Uint16Array;
  readonly #door: Uint8Array;

  constructor(capacity = 1000) {
    this.#capacity = capacity;
    this.#id = new Array<string>(capacity).fill('');
    this.#client = new Array<string>(capacity).fill('');
    this.#binding = new Array<string>(capacity).fill('');
    this.#provider = new Array<string | undefined>(capacity).fill(undefined);
    this.#model = new Array<string | undefined>(capacity).fill(undefined);
    this.#keyId = new Array<string | undefined>(capacity).fill(undefined);
    this.#reasons = new Array<readonly string[]>(capacity).fill(NONE);
    this.#at = new Float64Array(capacity);
    this.#latency = new Float64Array(capacity);
    this.#status = new Uint16Array(capacity);
    this.#attempts = new Uint16Array(capacity);
    this.#door = new Uint8Array(capacity);
  }

  add(entry: RequestRecord): void {
    const i = this.#next;
    this.#id[i] = entry.id;
    this.#client[i] = entry.client;
    this.#binding[i] = entry.binding;
    this.#provider[i] = entry.provider;
    this.#model[i] = entry.model;
    this.#keyId[i] = entry.keyId;
    this.#reasons[i] = entry.failoverReasons.length ? entry.failoverReasons : NONE;
    this.#at[i] = entry.at;
    this.#latency[i] = entry.latencyMs;
    this.#status[i] = entry.status;
    this.#attempts[i] = entry.attempts;
    this.#door[i] = entry.door === 'bind' ? 1 : 0;
    this.#next = (i + 1) % this.#capacity;
    this.#count = Math.min(this.#count + 1, this.#capacity);
  }

  /** Newest first; `before` pages back from an entry id. */
  list(limit = 50, before?: string): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    let skipping = before !== undefined;
    for (let n = 1; n <= this.#count && out.length < limit; n++) {
      const i = (this.#next - n + this.#capacity) % this.#capacity;
      if (skipping) {
        if (this.#id[i] === before) skipping = false;
        continue;
      }
      out.push(this.#entry(i));
    }
    return out;
  }

  #entry(i: number): RequestLogEntry {
    const e: RequestLogEntry = {
      id: this.#id[i],
      at: new Date(this.#at[i]).toISOString(),
      client: this.#client[i],
      binding: this.#binding[i],
      door: DOORS[this.#door[i]],
      status: this.#status[i],
      latencyMs: this.#latency[i],
      attempts: this.#attempts[i],
      failoverReasons: [...this.#reasons[i]],
    };
    if (this.#provider[i] !== undefined) e.provider = this.#provider[i];
    if (this.#model[i] !== undefined) e.model = this.#model[i];
    if (this.#keyId[i] !== undefined) e.keyId = this.#keyId[i];
    return e;
  }
}
