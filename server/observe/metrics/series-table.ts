// The time series of one metric, in memory: a cell per combination of label values, at most
// `maxSeries` of them. Once full, a new combination is counted in one overflow series whose labels
// are all "other", so memory and the scrape's size stay bounded whatever callers send.
import { OTHER } from './label-bounds.ts';

/** Joins label values into a table key; label values never contain it (see keyOf). */
export const SEP = '\u0001';

export interface Series<C> {
  labels: Readonly<Record<string, string>>;
  cell: C;
}

export class SeriesTable<C> {
  readonly labelNames: readonly string[];
  readonly #make: () => C;
  readonly #maxSeries: number;
  readonly #series = new Map<string, Series<C>>();
  readonly #overflowKey: string;

  constructor(labelNames: readonly string[], make: () => C, maxSeries: number) {
    this.labelNames = labelNames;
    this.#make = make;
    this.#maxSeries = maxSeries;
    this.#overflowKey = labelNames.map(() => OTHER).join(SEP);
  }

  get size(): number {
    return this.#series.size;
  }

  /** The cell of `key` (the label values in labelNames' order, joined by SEP), created when new. */
  cell(key: string): C {
    const found = this.#series.get(key);
    return found ? found.cell : this.#add(key);
  }

  series(): IterableIterator<Series<C>> {
    return this.#series.values();
  }

  #add(key: string): C {
    if (this.#series.size >= this.#maxSeries && key !== this.#overflowKey) return this.cell(this.#overflowKey);
    const values = key.split(SEP);
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? OTHER));
    const s = { labels, cell: this.#make() };
    this.#series.set(key, s);
    return s.cell;
  }
}

/** A table key from label values; a value holding the separator (never a config name) becomes "other". */
export function keyOf(...values: string[]): string {
  for (let i = 0; i < values.length; i++) if (values[i].includes(SEP)) values[i] = OTHER;
  return values.join(SEP);
}
