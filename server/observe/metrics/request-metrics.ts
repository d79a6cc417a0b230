// What /metrics counts about requests, kept in plain objects on the hot path: the proxy reports
// each request here (a UsageRecorder) and the exposition reads these tables at scrape time.
// Per request: a few Map lookups keyed by bounded labels and some additions; no prom-client.
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { RequestOutcome, UsageRecord, UsageRecorder } from '../usage-recorder.ts';
import { HistogramCell } from './histogram-cell.ts';
import { attemptOutcome, labelBoundsOf, OTHER, statusClass } from './label-bounds.ts';
import { keyOf, SeriesTable } from './series-table.ts';

export interface RequestCell { requests: number; failovers: number; duration: HistogramCell }
export interface TokenCell { input: number; output: number }
export interface SumCell { value: number }

/** Series per metric unless told otherwise; with "other" for unknown names this is rarely reached. */
export const DEFAULT_MAX_SERIES = 2000;

const CURRENCY = /^[A-Z]{3}$/;

export class RequestMetrics implements UsageRecorder {
  /** Per binding, provider, status class and door: requests, failovers, whole-request duration. */
  readonly requests: SeriesTable<RequestCell>;
  /** Per provider and attempt outcome: each attempt's duration. */
  readonly upstream: SeriesTable<HistogramCell>;
  readonly tokens: SeriesTable<TokenCell>;
  readonly cost: SeriesTable<SumCell>;
  /** Requests refused by a limit, per error code (SIL_LIMIT_*): used while no limiter reports its own. */
  readonly limitRefusals = new Map<string, number>();
  readonly #snapshot: () => ConfigSnapshot | null;

  constructor(snapshot: () => ConfigSnapshot | null, maxSeries = DEFAULT_MAX_SERIES) {
    this.#snapshot = snapshot;
    this.requests = new SeriesTable(['binding', 'provider', 'status_class', 'door'], () => ({ requests: 0, failovers: 0, duration: new HistogramCell() }), maxSeries);
    this.upstream = new SeriesTable(['provider', 'outcome'], () => new HistogramCell(), maxSeries);
    this.tokens = new SeriesTable(['provider', 'model'], () => ({ input: 0, output: 0 }), maxSeries);
    this.cost = new SeriesTable(['provider', 'model', 'currency'], () => ({ value: 0 }), maxSeries);
  }

  outcome(r: RequestOutcome): void {
    const bounds = labelBoundsOf(this.#snapshot());
    const cell = this.requests.cell(keyOf(bounds.binding(r.binding), bounds.provider(r.provider), statusClass(r.status), r.door));
    cell.requests++;
    cell.failovers += r.failovers;
    cell.duration.observe(r.latencyMs / 1000);
    for (const a of r.attemptRecords) {
      this.upstream.cell(keyOf(bounds.provider(a.provider), attemptOutcome(a.status, a.outcome))).observe(a.ms / 1000);
    }
    if (r.errorCode !== undefined && r.errorCode.startsWith('SIL_LIMIT_')) {
      this.limitRefusals.set(r.errorCode, (this.limitRefusals.get(r.errorCode) ?? 0) + 1);
    }
  }

  record(r: UsageRecord): void {
    const bounds = labelBoundsOf(this.#snapshot());
    const provider = bounds.provider(r.provider);
    const model = bounds.model(r.model);
    const input = r.usage.inputTokens ?? 0;
    const output = r.usage.outputTokens ?? 0;
    if (input > 0 || output > 0) {
      const t = this.tokens.cell(keyOf(provider, model));
      t.input += input;
      t.output += output;
    }
    if (r.cost !== undefined && r.cost > 0) {
      const currency = r.currency === undefined ? 'USD' : CURRENCY.test(r.currency) ? r.currency : OTHER;
      this.cost.cell(keyOf(provider, model, currency)).value += r.cost;
    }
  }
}
