// Reads /metrics output with a Prometheus text-format parser (prom2javascript: samples with their
// labels, histograms grouped per label set with buckets, _sum and _count, and refused when
// +Inf differs from _count), for assertions. parse-prometheus-text-format, the better-known
// package, merges the series of a labelled histogram into one, so it cannot check these.
import { getMetricsFromIterator, type PromData, type PromHistogramData, type PromMetric, type PromMetrics } from 'prom2javascript';

export type { PromData, PromHistogramData };

// prom2javascript's number pattern lacks NaN (which prom-client writes as `Nan`, e.g. for the
// event-loop lag before its first sample, and Prometheus reads in any case): such samples are set
// aside in `notANumber` instead of failing the parse.
const NAN_SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+nan(\s+-?\d+)?\s*$/i;

export async function parseExposition(text: string): Promise<PromText> {
  const lines: string[] = [];
  const notANumber: string[] = [];
  for (const line of text.split('\n')) {
    const nan = NAN_SAMPLE.exec(line);
    if (nan) notANumber.push(nan[1]);
    else lines.push(line);
  }
  return new PromText(text, await getMetricsFromIterator(lines[Symbol.iterator]()), notANumber);
}

const matches = (labels: Record<string, string>, want: Record<string, string>) => Object.entries(want).every(([k, v]) => labels[k] === v);

export class PromText {
  readonly text: string;
  readonly metrics: PromMetrics;
  /** Names of samples whose value is NaN. */
  readonly notANumber: readonly string[];

  constructor(text: string, metrics: PromMetrics, notANumber: readonly string[] = []) {
    this.text = text;
    this.metrics = metrics;
    this.notANumber = notANumber;
  }

  family(name: string): PromMetric {
    const f = this.metrics[name];
    if (!f) throw new Error(`no metric family ${name} in the exposition`);
    return f;
  }

  /** Counter or gauge samples whose labels include all of `labels`. */
  samples(name: string, labels: Record<string, string> = {}): PromData[] {
    const f = this.family(name);
    if (f.type === 'histogram' || f.type === 'summary') throw new Error(`${name} is a ${f.type}`);
    return (f.data as PromData[]).filter((d) => matches(d.labels, labels));
  }

  /** The sum of the matching samples' values. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((acc, d) => acc + d.value, 0);
  }

  histograms(name: string, labels: Record<string, string> = {}): PromHistogramData[] {
    const f = this.family(name);
    if (f.type !== 'histogram') throw new Error(`${name} is a ${f.type}, not a histogram`);
    return (f.data as PromHistogramData[]).filter((d) => matches(d.labels, labels));
  }

  /** Every label value of every series, for checks on what may never appear. */
  labelValues(): string[] {
    const out: string[] = [];
    for (const f of Object.values(this.metrics)) for (const d of f.data) out.push(...Object.values(d.labels));
    return out;
  }
}
