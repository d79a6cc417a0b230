// Steady load, open loop: `rate` requests a second are started on schedule whether or not earlier
// ones have answered (a caller does not wait for the hub), at most `maxInFlight` at once (beyond
// that a request is shed and counted). Every request is read to its end and judged.
import { judge, kindOf, lostReason, requestSpec, type RequestKind } from './requests.ts';
import type { Outcome } from './stats.ts';

export interface LoadOptions {
  baseUrl: string;
  token: string;
  rate: number;
  maxInFlight: number;
  /** A request without its whole answer after this long is lost. */
  timeoutMs: number;
  onOutcome(kind: RequestKind, outcome: Outcome, ms: number, reason?: string): void;
  onShed(): void;
}

export class Load {
  readonly #opts: LoadOptions;
  readonly #stop = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #started = 0;
  #issued = 0;

  constructor(opts: LoadOptions) {
    this.#opts = opts;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  start(): void {
    this.#started = performance.now();
    const tick = () => {
      const due = Math.floor(((performance.now() - this.#started) / 1000) * this.#opts.rate) + 1;
      // A late tick (a busy event loop) catches up by at most a second's worth; beyond, requests are shed.
      for (let n = 0; this.#issued < due; n++, this.#issued++) {
        if (n < Math.max(1, this.#opts.rate)) this.#issue(this.#issued);
        else this.#opts.onShed();
      }
    };
    tick();
    this.#timer = setInterval(tick, Math.max(2, Math.min(20, 1000 / this.#opts.rate / 2)));
  }

  /** Stops starting requests; waits (at most `ms`) for those in flight, then aborts the rest (each counted lost). */
  async stop(ms: number): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    const deadline = Date.now() + ms;
    while (this.#inFlight.size > 0 && Date.now() < deadline) await Promise.race([...this.#inFlight, new Promise((r) => setTimeout(r, 200))]);
    this.#stop.abort(new Error('the soak ended'));
    await Promise.allSettled([...this.#inFlight]);
  }

  #issue(n: number): void {
    if (this.#inFlight.size >= this.#opts.maxInFlight) {
      this.#opts.onShed();
      return;
    }
    const p = this.#one(kindOf(n)).finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
  }

  async #one(kind: RequestKind): Promise<void> {
    const spec = requestSpec(kind);
    const signal = AbortSignal.any([AbortSignal.timeout(this.#opts.timeoutMs), this.#stop.signal]);
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(`${this.#opts.baseUrl}${spec.path}`, {
        method: spec.method,
        headers: { authorization: `Bearer ${this.#opts.token}`, 'accept-encoding': 'gzip, br', ...(spec.body ? { 'content-type': 'application/json' } : {}) },
        body: spec.body,
        signal,
      });
    } catch (err) {
      this.#opts.onOutcome(kind, 'lost', performance.now() - started, lostReason(kind, err, 'answer'));
      return;
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      this.#opts.onOutcome(kind, 'lost', performance.now() - started, lostReason(kind, err, 'body'));
      return;
    }
    const j = judge(kind, res.status, text);
    this.#opts.onOutcome(kind, j.outcome, performance.now() - started, j.reason);
  }
}
