// One histogram series kept by hand: a count per bucket, the sum and the count. Observing is a
// short scan over the bucket bounds and three additions, cheap enough for every request.

/** Upper bounds in seconds, for whole requests and for single provider attempts (LLM answers can take minutes). */
export const DURATION_BUCKETS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]);

export class HistogramCell {
  /** Per bucket, observations that fell into it (not cumulative); the last slot is above every bound. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  readonly #bounds: readonly number[];

  constructor(bounds: readonly number[] = DURATION_BUCKETS) {
    this.#bounds = bounds;
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.#bounds.length && value > this.#bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }

  /** Adds another cell's figures (series summed over a label the exposition leaves out). */
  add(other: HistogramCell): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.sum += other.sum;
    this.count += other.count;
  }

  /** Cumulative counts per bound, as Prometheus's `le` buckets (without +Inf, which is `count`). */
  cumulative(): number[] {
    const out: number[] = [];
    let acc = 0;
    for (let i = 0; i < this.#bounds.length; i++) out.push((acc += this.counts[i]));
    return out;
  }
}
