// /metrics for one hub: the recorder the proxy reports to, the registry read at scrape time, the
// route, and the config reload counts (from LiveConfig's events). main.ts wires it:
//   const metrics = createHubMetrics({ live, circuits: () => choice.breakers.states(), limiter: () => ... });
//   recorders.push(metrics.recorder); closers.push(metrics.close); createApp({ ..., metrics: metrics.route })
import type { Middleware } from 'koa';
import type { Registry } from 'prom-client';
import type { LiveConfig } from '../../config/live-config.ts';
import type { CircuitState } from '../../core/circuit-breaker.ts';
import type { LimitStatusSource } from '../../limits/limit-status.ts';
import { hubRegistry, type ReloadCounts } from './exposition.ts';
import { processRegistry } from './process-metrics.ts';
import { RequestMetrics, DEFAULT_MAX_SERIES } from './request-metrics.ts';
import { metricsRoute } from './route.ts';

export interface HubMetricsDeps {
  live: LiveConfig;
  circuits?: () => Iterable<readonly [string, CircuitState]>;
  limiter?: () => LimitStatusSource | undefined;
  /** Series per metric before new label combinations are counted as "other" (default 2000). */
  maxSeries?: number;
  /** Leave out prom-client's process_* and nodejs_* metrics (default: included). */
  processMetrics?: boolean;
}

export interface HubMetrics {
  recorder: RequestMetrics;
  registry: Registry;
  reloads: Readonly<ReloadCounts>;
  /** The whole exposition text (process metrics, then the hub's). */
  render(): Promise<string>;
  route: Middleware;
  /** Stops counting config reloads. */
  close(): void;
}

export function createHubMetrics(deps: HubMetricsDeps): HubMetrics {
  const { live } = deps;
  const recorder = new RequestMetrics(() => live.snapshot, deps.maxSeries ?? DEFAULT_MAX_SERIES);
  const reloads: ReloadCounts = { loaded: 0, rejected: 0 };
  const onLoaded = () => void reloads.loaded++;
  const onRejected = () => void reloads.rejected++;
  live.on('loaded', onLoaded);
  live.on('rejected', onRejected);
  const registry = hubRegistry({ requests: recorder, reloads, snapshot: () => live.snapshot, circuits: deps.circuits, limiter: deps.limiter });
  const withProcess = deps.processMetrics !== false;
  const render = async () => (withProcess ? `${await processRegistry().metrics()}\n` : '') + (await registry.metrics());
  return {
    recorder,
    registry,
    reloads,
    render,
    route: metricsRoute({ live, render, contentType: registry.contentType }) as Middleware,
    close() {
      live.off('loaded', onLoaded);
      live.off('rejected', onRejected);
    },
  };
}
