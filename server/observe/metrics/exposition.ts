// The hub's metrics as a prom-client Registry, filled at scrape time from what the hub keeps
// anyway: the request tables (request-metrics.ts), the config reload counts, the circuit breakers
// and the limiter. Names and labels: docs/metrics.md.
import { Counter, Gauge, Registry } from 'prom-client';
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { CircuitState } from '../../core/circuit-breaker.ts';
import type { LimitStatusSource } from '../../limits/limit-status.ts';
import { DURATION_BUCKETS, HistogramCell } from './histogram-cell.ts';
import type { RequestMetrics } from './request-metrics.ts';
import { ScrapedHistogram, type CellSeries } from './scraped-histogram.ts';
import { circuitLevels, type LabelledValue } from './circuit-levels.ts';
import { limitRejections } from './limit-rejections.ts';

export interface ReloadCounts { loaded: number; rejected: number }

export interface ExpositionSources {
  requests: RequestMetrics;
  reloads: Readonly<ReloadCounts>;
  snapshot: () => ConfigSnapshot | null;
  /** The proxy's circuit breakers: [`provider/service/key`, state] pairs. */
  circuits?: () => Iterable<readonly [string, CircuitState]>;
  /** The limiter, once the hub has one; until then refusals are counted from the proxy's outcomes. */
  limiter?: () => LimitStatusSource | undefined;
}

/** A metric set at scrape time: cleared, then given each value `read` returns. */
function scraped(kind: 'counter' | 'gauge', registry: Registry, name: string, help: string, labelNames: readonly string[], read: () => Iterable<LabelledValue>): void {
  if (kind === 'counter') {
    const counter: Counter<string> = new Counter({ name, help, labelNames, registers: [registry], collect() {
      counter.reset();
      for (const { labels, value } of read()) counter.inc(labels, value);
    } });
  } else {
    const gauge: Gauge<string> = new Gauge({ name, help, labelNames, registers: [registry], collect() {
      gauge.reset();
      for (const { labels, value } of read()) gauge.set(labels, value);
    } });
  }
}

/** Sums cells over the labels left out: one series per combination of `keep`. */
function* sumBy<C>(series: Iterable<{ labels: Readonly<Record<string, string>>; cell: C }>, keep: readonly string[], value: (c: C) => number): Generator<LabelledValue> {
  const out = new Map<string, LabelledValue>();
  for (const { labels, cell } of series) {
    const key = keep.map((k) => labels[k]).join('\u0001');
    const found = out.get(key);
    if (found) found.value += value(cell);
    else out.set(key, { labels: Object.fromEntries(keep.map((k) => [k, labels[k]])), value: value(cell) });
  }
  yield* out.values();
}

export function hubRegistry(src: ExpositionSources): Registry {
  const registry = new Registry();
  const { requests } = src;

  scraped('counter', registry, 'sil_requests_total', 'Requests the proxy answered or refused, by binding, last provider tried, status class of the answer and door (unified API or /bind).', requests.requests.labelNames, function* () {
    for (const { labels, cell } of requests.requests.series()) yield { labels: { ...labels }, value: cell.requests };
  });
  new ScrapedHistogram({ name: 'sil_request_duration_seconds', help: 'Time from the request to the answer\'s head going out (time to first byte for streams), whole request with failover.', labelNames: ['binding', 'door', 'status_class'], buckets: DURATION_BUCKETS, registry }, function* (): Generator<CellSeries> {
    const out = new Map<string, CellSeries>();
    for (const { labels, cell } of requests.requests.series()) {
      const key = `${labels.binding}\u0001${labels.door}\u0001${labels.status_class}`;
      let sum = out.get(key);
      if (!sum) out.set(key, (sum = { labels: { binding: labels.binding, door: labels.door, status_class: labels.status_class }, cell: new HistogramCell() }));
      sum.cell.add(cell.duration);
    }
    yield* out.values();
  });
  new ScrapedHistogram({ name: 'sil_upstream_request_duration_seconds', help: 'Duration of each attempt at a provider, by provider and outcome (status class, 429, timeout, connect-error).', labelNames: requests.upstream.labelNames, buckets: DURATION_BUCKETS, registry }, () => requests.upstream.series());
  scraped('counter', registry, 'sil_failovers_total', 'Times the proxy moved on to the next target, by binding.', ['binding'], () => sumBy(requests.requests.series(), ['binding'], (c) => c.failovers));
  scraped('counter', registry, 'sil_tokens_total', 'Tokens providers reported, by provider, model and direction (input or output).', ['provider', 'model', 'direction'], function* () {
    for (const { labels, cell } of requests.tokens.series()) {
      yield { labels: { ...labels, direction: 'input' }, value: cell.input };
      yield { labels: { ...labels, direction: 'output' }, value: cell.output };
    }
  });
  scraped('counter', registry, 'sil_cost_total', 'Estimated cost from the provider templates\' prices, by provider, model and currency.', requests.cost.labelNames, function* () {
    for (const { labels, cell } of requests.cost.series()) yield { labels: { ...labels }, value: cell.value };
  });
  scraped('counter', registry, 'sil_limit_rejections_total', 'Requests refused by a policy\'s rate limit, quota or budget, by policy and limit.', ['policy', 'limit'], () => limitRejections(src.snapshot(), src.limiter?.(), requests.limitRefusals));
  scraped('counter', registry, 'sil_config_reloads_total', 'Config commits loaded (including the first at start-up) or rejected by validation.', ['result'], () => [
    { labels: { result: 'loaded' }, value: src.reloads.loaded },
    { labels: { result: 'rejected' }, value: src.reloads.rejected },
  ]);
  scraped('gauge', registry, 'sil_circuit_state', 'Circuit breaker state per provider service: 0 closed, 1 half-open, 2 open (the worst of its keys).', ['provider', 'service'], () => circuitLevels(src.snapshot(), src.circuits?.() ?? []));
  return registry;
}
