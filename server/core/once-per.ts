// "At most once per window per key", for events that come in floods (scanners, outages): the
// first of each key in a window passes, the rest are dropped. Bounded: past `maxKeys` it forgets.
export class OncePer {
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #last = new Map<string, number>();

  constructor(windowMs: number, now: () => number = Date.now, maxKeys = 1000) {
    this.#windowMs = windowMs;
    this.#now = now;
    this.#maxKeys = maxKeys;
  }

  /** Whether an event of `key` should pass now (and, if so, the window starts again). */
  due(key: string): boolean {
    const t = this.#now();
    if ((this.#last.get(key) ?? -Infinity) > t - this.#windowMs) return false;
    if (this.#last.size >= this.#maxKeys) this.#last.clear();
    this.#last.set(key, t);
    return true;
  }
}
