// Alert rules of policies (`alerts:` in policies/<name>.yaml), evaluated against the minute rows
// of the usage store and the limiter's counters. A rule watches the traffic of everything its
// policy is attached to (clients, bindings, providers naming it) over its window and fires when
// the figure is at or above its threshold (above 0 for a threshold of 0). Pure.
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { RollupRow } from '../usage-store/types.ts';
import type { LimitStatus } from '../../limits/limit-status.ts';
import { addRow, emptyTally, latencyPercentile, mainCurrency, roundCost } from '../analytics/summary.ts';
import type { Policy } from '../../../schemas/types.gen.ts';
import type { AlertRaise } from './types.ts';

type Rule = NonNullable<Policy['alerts']>[number];
type Metric = Rule['metric'];

/** Error rate and latency need this many requests in the window before they may fire. */
export const MIN_REQUESTS = 5;
export const DEFAULT_WINDOW_MINUTES = 5;

export interface Attachment { clients: Set<string>; bindings: Set<string>; providers: Set<string> }

export function attachmentOf(snapshot: Pick<ConfigSnapshot, 'clients' | 'bindings' | 'providers'>, policy: string): Attachment {
  const names = (m: ReadonlyMap<string, { policy?: string }>) => new Set([...m].filter(([, v]) => v.policy === policy).map(([k]) => k));
  return { clients: names(snapshot.clients), bindings: names(snapshot.bindings), providers: names(snapshot.providers) };
}

const watches = (a: Attachment, r: RollupRow) => a.clients.has(r.client) || a.bindings.has(r.binding) || a.providers.has(r.provider);

/** The id of a rule's alert: policy, metric and threshold (a policy may have two rules of one metric). */
export const policyAlertId = (policy: string, rule: Pick<Rule, 'metric' | 'threshold'>) => `policy:${policy}/${rule.metric}>=${rule.threshold}`;

/** The longest window of every rule, in minutes (what to read from the usage store). */
export function longestWindow(snapshot: Pick<ConfigSnapshot, 'policies'>): number {
  let max = 0;
  for (const p of snapshot.policies.values()) for (const r of p.alerts ?? []) max = Math.max(max, r.windowMinutes ?? DEFAULT_WINDOW_MINUTES);
  return max;
}

interface Figure { value: number | null; evidence: Record<string, string | number> }

function figure(metric: Metric, rows: RollupRow[], quota: LimitStatus[]): Figure {
  if (metric === 'quota-percent') {
    let worst: LimitStatus | undefined;
    let pct = -1;
    for (const s of quota) {
      const p = s.max > 0 ? (s.used / s.max) * 100 : 0;
      if (p > pct) [pct, worst] = [p, s];
    }
    if (!worst) return { value: null, evidence: {} };
    return { value: Math.round(pct * 10) / 10, evidence: { percent: Math.round(pct * 10) / 10, used: Math.round(worst.used), max: worst.max, limit: worst.limit, scope: worst.scope } };
  }
  const t = emptyTally();
  const { currency } = mainCurrency(rows);
  for (const r of rows) addRow(t, r, currency);
  const errors = t.requests - t.ok - t.limited;
  switch (metric) {
    case 'error-rate':
      if (t.requests < MIN_REQUESTS) return { value: null, evidence: { requests: t.requests } };
      return { value: Math.round((errors / t.requests) * 10_000) / 10_000, evidence: { requests: t.requests, errors, errorRate: Math.round((errors / t.requests) * 10_000) / 10_000 } };
    case 'latency-p95-ms': {
      const p95 = t.requests < MIN_REQUESTS ? null : latencyPercentile(t.latency, 0.95);
      return { value: p95, evidence: { requests: t.requests, ...(p95 !== null ? { p95Ms: p95 } : {}) } };
    }
    case 'cost':
      return { value: roundCost(t.cost), evidence: { requests: t.requests, cost: roundCost(t.cost), currency } };
    case 'failovers':
      return { value: t.failovers, evidence: { requests: t.requests, failovers: t.failovers } };
  }
}

const fires = (value: number | null, threshold: number) => value !== null && value >= threshold && value > 0;

const UNIT: Record<Metric, (v: number, e: Record<string, string | number>) => string> = {
  'error-rate': (v) => `${Math.round(v * 1000) / 10} % of requests failed`,
  'latency-p95-ms': (v) => `p95 latency ${Math.round(v)} ms`,
  cost: (v, e) => `${v} ${e.currency ?? ''} spent`.replace(/ +$/, ''),
  'quota-percent': (v) => `${v} % of a quota used`,
  failovers: (v) => `${v} failover${v === 1 ? '' : 's'}`,
};
const LIMIT: Record<Metric, (t: number) => string> = {
  'error-rate': (t) => `${Math.round(t * 1000) / 10} %`,
  'latency-p95-ms': (t) => `${t} ms`,
  cost: (t) => String(t),
  'quota-percent': (t) => `${t} %`,
  failovers: (t) => String(t),
};

/** The alerts of every policy rule that holds now (those not listed do not hold). */
export function evaluatePolicyRules(snapshot: Pick<ConfigSnapshot, 'clients' | 'bindings' | 'providers' | 'policies'>, rows: readonly RollupRow[], limits: readonly LimitStatus[], now: number): AlertRaise[] {
  const out: AlertRaise[] = [];
  for (const policy of snapshot.policies.values()) {
    if (!policy.alerts?.length) continue;
    const attached = attachmentOf(snapshot, policy.name);
    const mine = rows.filter((r) => watches(attached, r));
    const quota = limits.filter((s) => s.policy === policy.name && s.limit.startsWith('quota.'));
    for (const rule of policy.alerts) {
      const windowMinutes = rule.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
      const from = now - windowMinutes * 60_000;
      const f = figure(rule.metric, mine.filter((r) => r.t >= from - 59_999), quota);
      if (!fires(f.value, rule.threshold)) continue;
      const value = f.value as number;
      const over = rule.metric === 'quota-percent' ? 'now' : `over the last ${windowMinutes} min`;
      out.push({
        id: policyAlertId(policy.name, rule),
        kind: 'policy',
        subject: `${policy.name}/${rule.metric}`,
        severity: rule.severity ?? 'warning',
        title: `${policy.name}: ${UNIT[rule.metric](value, f.evidence)} ${over}`,
        detail: `Policy ${policy.name} alerts at ${LIMIT[rule.metric](rule.threshold)} (${rule.metric}); it watches ${describe(attached)}.`,
        ...(rule.channels ? { channels: [...rule.channels] } : {}),
        evidence: { policy: policy.name, metric: rule.metric, value, threshold: rule.threshold, windowMinutes, ...f.evidence },
      });
    }
  }
  return out;
}

function describe(a: Attachment): string {
  const parts = [...[...a.clients].map((c) => `client ${c}`), ...[...a.bindings].map((b) => `binding ${b}`), ...[...a.providers].map((p) => `provider ${p}`)];
  return parts.length ? parts.join(', ') : 'nothing (it is not attached)';
}
