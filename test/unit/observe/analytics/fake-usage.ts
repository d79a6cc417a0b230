// In-memory usage rows for the analytics' unit tests: minute rows as the proxy would count them,
// rolled up to hours and days (in the zone) when asked, as the usage store does.
import { periodStart } from '../../../../server/core/time-zone.ts';
import { LATENCY_BOUNDS_MS, type Granularity, type RollupRow, type UsageDims, type UsageQuery } from '../../../../server/observe/usage-store/types.ts';
import type { AnalyticsSources } from '../../../../server/observe/analytics/sources.ts';
import type { ConfigSnapshot } from '../../../../server/config/snapshot.ts';
import type { LimitStatus } from '../../../../server/limits/limit-status.ts';

export const T0 = Date.UTC(2026, 4, 10, 12, 0, 0); // 2026-05-10 12:00 UTC

/** A histogram with one count per latency given. */
export function histogram(latencies: readonly number[]): number[] {
  const h = new Array(LATENCY_BOUNDS_MS.length + 1).fill(0);
  for (const ms of latencies) {
    const i = LATENCY_BOUNDS_MS.findIndex((b) => ms <= b);
    h[i < 0 ? LATENCY_BOUNDS_MS.length : i]++;
  }
  return h;
}

export interface RowSpec extends Partial<UsageDims> {
  t: number;
  requests?: number;
  /** Failed answers among `requests` (5xx). */
  failed?: number;
  limited?: number;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  cost?: number;
  scores?: number[];
}

export function row(s: RowSpec): RollupRow {
  const requests = s.requests ?? 1;
  const failed = s.failed ?? 0;
  const limited = s.limited ?? 0;
  const latency = s.latencyMs ?? 100;
  return {
    t: s.t - (s.t % 60_000),
    client: s.client ?? 'web', binding: s.binding ?? 'chat', provider: s.provider ?? 'a', keyId: s.keyId ?? 'k1', fingerprint: s.fingerprint ?? 'sha256:abcd...wxyz', model: s.model ?? 'm1', currency: s.currency ?? 'USD',
    requests, ok: requests - failed - limited, clientErrors: limited, serverErrors: failed, limited, attempts: requests, failovers: 0,
    latency: histogram(new Array(requests).fill(latency)), latencySumMs: latency * requests,
    inputTokens: s.inputTokens ?? 0, outputTokens: s.outputTokens ?? 0, cost: s.cost ?? 0,
    scoreSum: (s.scores ?? []).reduce((a, b) => a + b, 0), scoreCount: (s.scores ?? []).length,
  };
}

function add(into: RollupRow, r: RollupRow): void {
  for (const k of ['requests', 'ok', 'clientErrors', 'serverErrors', 'limited', 'attempts', 'failovers', 'latencySumMs', 'inputTokens', 'outputTokens', 'cost', 'scoreSum', 'scoreCount'] as const) into[k] += r[k];
  r.latency.forEach((n, i) => (into.latency[i] += n));
}

export class FakeUsage implements UsageQuery {
  readonly minuteRows: RollupRow[] = [];
  readonly calls: { granularity: Granularity; from: number; to: number; filter?: Partial<UsageDims> }[] = [];
  readonly zone: string;
  constructor(zone = 'UTC') {
    this.zone = zone;
  }

  add(...specs: RowSpec[]): this {
    for (const s of specs) this.minuteRows.push(row(s));
    return this;
  }

  async rows(granularity: Granularity, fromMs: number, toMs: number, filter?: Partial<UsageDims>): Promise<RollupRow[]> {
    this.calls.push({ granularity, from: fromMs, to: toMs, filter });
    const out = new Map<string, RollupRow>();
    for (const r of this.minuteRows) {
      const t = periodStart(r.t, granularity, this.zone);
      if (t < fromMs || t >= toMs) continue;
      if (filter && Object.entries(filter).some(([k, v]) => v !== undefined && r[k as keyof UsageDims] !== v)) continue;
      const key = `${t}|${r.client}|${r.binding}|${r.provider}|${r.keyId}|${r.model}|${r.currency}`;
      const have = out.get(key);
      if (have) add(have, r);
      else out.set(key, { ...r, t, latency: [...r.latency] });
    }
    return [...out.values()].sort((a, b) => a.t - b.t);
  }

  timeZone(): string {
    return this.zone;
  }
}

export interface FakeBinding { name: string; targets: { provider: string; model?: string }[]; strategy?: string; enabled?: boolean }

/** A snapshot with the bindings (and providers with keys) the analytics read. */
export function snapshotWith(bindings: FakeBinding[], keys: Record<string, { id: string; status?: string; created: string; rotated?: string; fingerprint?: string }[]> = {}, rotationDays = 90): ConfigSnapshot {
  const providers = new Map(Object.keys(keys).map((id) => [id, { id, keyRotationDays: rotationDays }]));
  const keyrings = new Map(Object.entries(keys).map(([id, list]) => [id, { provider: id, keys: list.map((k) => ({ status: 'active', fingerprint: `sha256:${k.id}...1234`, ...k })) }]));
  return {
    bindings: new Map(bindings.map((b) => [b.name, { name: b.name, enabled: b.enabled ?? true, strategy: b.strategy ?? 'priority', environment: 'prod', protocol: 'openai-chat', targets: b.targets.map((t) => ({ service: 'chat', weight: 1, ...t })) }])),
    providers,
    keyrings,
    settings: { timeZone: 'UTC' },
  } as unknown as ConfigSnapshot;
}

export function sources(usage: FakeUsage, opts: { snapshot?: ConfigSnapshot | null; limits?: LimitStatus[]; now?: number } = {}): AnalyticsSources {
  return {
    usage,
    snapshot: () => opts.snapshot ?? null,
    ...(opts.limits ? { limits: { status: () => opts.limits!, rejections: () => new Map() } } : {}),
    now: () => opts.now ?? T0,
  };
}
