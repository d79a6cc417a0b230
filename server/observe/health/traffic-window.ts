// Passive health from proxy traffic: every attempt the proxy made, counted per provider and per
// key in a sliding window of buckets (default 10 × 30 s). An attempt failed when the provider
// answered 5xx, 401 or 403, timed out or could not be reached. O(1) per attempt, no timers.
import type { RequestOutcome, UsageRecorder } from '../usage-recorder.ts';

export const BUCKETS = 10;
export const BUCKET_MS = 30_000;

interface Counts { requests: number; errors: number }

class Window {
  readonly #buckets: (Counts & { start: number })[] = [];

  add(at: number, failed: boolean, bucketMs: number): void {
    const start = at - (at % bucketMs);
    let b = this.#buckets[this.#buckets.length - 1];
    if (!b || b.start !== start) {
      if (b && b.start > start) b = this.#buckets.find((x) => x.start === start) ?? b; // late report: the newest bucket
      else {
        b = { start, requests: 0, errors: 0 };
        this.#buckets.push(b);
        if (this.#buckets.length > BUCKETS) this.#buckets.shift();
      }
    }
    b.requests++;
    if (failed) b.errors++;
  }

  counts(now: number, windowMs: number): Counts {
    const out = { requests: 0, errors: 0 };
    for (const b of this.#buckets) {
      if (b.start <= now - windowMs) continue;
      out.requests += b.requests;
      out.errors += b.errors;
    }
    return out;
  }
}

export function attemptFailed(outcome: string, status: number | undefined): boolean {
  if (status === undefined) return outcome !== 'refused';
  return status >= 500 || status === 401 || status === 403;
}

export class TrafficWindow implements UsageRecorder {
  readonly windowMs: number;
  readonly #bucketMs: number;
  readonly #providers = new Map<string, Window>();
  readonly #keys = new Map<string, Window>();
  /** Bounds the maps: providers and keys come from the config, but a reload may rename them. */
  readonly #max = 10_000;

  constructor(bucketMs = BUCKET_MS) {
    this.#bucketMs = bucketMs;
    this.windowMs = bucketMs * BUCKETS;
  }

  record(): void {}

  outcome(r: RequestOutcome): void {
    for (const a of r.attemptRecords) {
      const failed = attemptFailed(a.outcome, a.status);
      this.#window(this.#providers, a.provider).add(r.at, failed, this.#bucketMs);
      if (a.keyId) this.#window(this.#keys, `${a.provider}/${a.keyId}`).add(r.at, failed, this.#bucketMs);
    }
  }

  provider(id: string, now: number): Counts {
    return this.#providers.get(id)?.counts(now, this.windowMs) ?? { requests: 0, errors: 0 };
  }

  key(provider: string, keyId: string, now: number): Counts {
    return this.#keys.get(`${provider}/${keyId}`)?.counts(now, this.windowMs) ?? { requests: 0, errors: 0 };
  }

  #window(map: Map<string, Window>, key: string): Window {
    let w = map.get(key);
    if (!w) {
      if (map.size >= this.#max) map.clear();
      map.set(key, (w = new Window()));
    }
    return w;
  }
}
