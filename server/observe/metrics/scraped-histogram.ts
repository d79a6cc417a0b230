// A prom-client Histogram whose series come from HistogramCells kept by hand (histogram-cell.ts)
// and are read at scrape time: prom-client has no public way to set a histogram's counts, and
// observing through it on the hot path is what this design avoids. The Registry renders a metric
// from what its get() / getForPromString() return; this class returns the same shape (buckets
// with `le`, then _sum and _count per series) built from the cells.
import { Histogram, type Registry } from 'prom-client';
import type { HistogramCell } from './histogram-cell.ts';

export interface CellSeries { labels: Readonly<Record<string, string>>; cell: HistogramCell }

interface ExportedValue { labels: Record<string, string | number>; value: number; metricName: string }

export class ScrapedHistogram extends Histogram<string> {
  readonly #read: () => Iterable<CellSeries>;
  readonly #bounds: readonly number[];
  readonly #name: string;
  readonly #help: string;

  constructor(config: { name: string; help: string; labelNames: readonly string[]; buckets: readonly number[]; registry: Registry }, read: () => Iterable<CellSeries>) {
    super({ name: config.name, help: config.help, labelNames: config.labelNames, buckets: [...config.buckets], registers: [config.registry] });
    this.#read = read;
    this.#bounds = config.buckets;
    this.#name = config.name;
    this.#help = config.help;
  }

  #export() {
    const values: ExportedValue[] = [];
    for (const { labels, cell } of this.#read()) {
      const cumulative = cell.cumulative();
      this.#bounds.forEach((le, i) => values.push({ labels: { ...labels, le }, value: cumulative[i], metricName: `${this.#name}_bucket` }));
      values.push({ labels: { ...labels, le: '+Inf' }, value: cell.count, metricName: `${this.#name}_bucket` });
      values.push({ labels: { ...labels }, value: cell.sum, metricName: `${this.#name}_sum` });
      values.push({ labels: { ...labels }, value: cell.count, metricName: `${this.#name}_count` });
    }
    return { name: this.#name, help: this.#help, type: 'histogram', values, aggregator: 'sum' };
  }

  override async get(): ReturnType<Histogram<string>['get']> {
    return this.#export() as unknown as Awaited<ReturnType<Histogram<string>['get']>>;
  }

  /** What the Registry renders text from (prom-client calls it when present). */
  async getForPromString(): ReturnType<Histogram<string>['get']> {
    return this.get();
  }
}
