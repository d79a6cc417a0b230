// The analytics screens' query: period (1h, 24h, 7d, 30d or a custom from/to), filters and the
// breakdown / comparison choices, read from and written to the address bar (the build is static,
// so the state lives in the query string), and the API paths built from it. Pure: no DOM, no I/O.
import type { BreakdownBy, PeriodName } from '../../../server/observe/analytics/types.ts';

export type { BreakdownAnswer, BreakdownBy, CompareAnswer, OverviewAnswer, PeriodName, Recommendation, RecommendationsAnswer, Summary } from '../../../server/observe/analytics/types.ts';
export type { LimitStatus } from '../../../server/limits/limit-status.ts';

export const PERIODS: readonly PeriodName[] = ['1h', '24h', '7d', '30d', 'custom'];
export const BREAKDOWNS: readonly BreakdownBy[] = ['provider', 'binding', 'client', 'model', 'key'];
export const FILTERS = ['binding', 'provider', 'client', 'model'] as const;
export type FilterName = (typeof FILTERS)[number];

export interface AnalyticsQuery {
  period: PeriodName;
  /** Custom period bounds, epoch ms (only with period custom). */
  from?: number;
  to?: number;
  filter: Partial<Record<FilterName, string>>;
  /** The breakdown table's dimension. */
  by: BreakdownBy;
  /** The binding whose targets are compared. */
  compare?: string;
}

export const DEFAULT_QUERY: AnalyticsQuery = { period: '24h', filter: {}, by: 'provider' };

const time = (s: string | null): number | undefined => {
  if (!s) return undefined;
  const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isFinite(n) ? n : undefined;
};

/** The query of an address bar search string; anything unknown falls back to the defaults. */
export function parseQuery(search: string): AnalyticsQuery {
  const q = new URLSearchParams(search);
  const period = PERIODS.find((p) => p === q.get('period')) ?? DEFAULT_QUERY.period;
  const by = BREAKDOWNS.find((b) => b === q.get('by')) ?? DEFAULT_QUERY.by;
  const filter: AnalyticsQuery['filter'] = {};
  for (const f of FILTERS) {
    const v = q.get(f);
    if (v) filter[f] = v;
  }
  const out: AnalyticsQuery = { period, filter, by };
  const compare = q.get('compare');
  if (compare) out.compare = compare;
  if (period === 'custom') {
    const from = time(q.get('from'));
    const to = time(q.get('to'));
    if (from !== undefined && to !== undefined && from < to) Object.assign(out, { from, to });
    else out.period = DEFAULT_QUERY.period;
  }
  return out;
}

/** The period and filters as API parameters: period=…[&from=ISO&to=ISO][&binding=…]. */
export function periodParams(q: AnalyticsQuery): URLSearchParams {
  const p = new URLSearchParams({ period: q.period });
  if (q.period === 'custom' && q.from !== undefined && q.to !== undefined) {
    p.set('from', new Date(q.from).toISOString());
    p.set('to', new Date(q.to).toISOString());
  }
  for (const f of FILTERS) if (q.filter[f]) p.set(f, q.filter[f]!);
  return p;
}

/** The address bar's search string for a query (defaults left out). */
export function searchOf(q: AnalyticsQuery): string {
  const p = periodParams(q);
  if (q.period === DEFAULT_QUERY.period) p.delete('period');
  if (q.by !== DEFAULT_QUERY.by) p.set('by', q.by);
  if (q.compare) p.set('compare', q.compare);
  const s = p.toString();
  return s ? `?${s}` : '';
}

const withParams = (path: string, p: URLSearchParams) => `${path}?${p.toString()}`;

export const paths = {
  overview: (q: AnalyticsQuery) => withParams('/api/analytics/overview', periodParams(q)),
  breakdown: (q: AnalyticsQuery, by: BreakdownBy = q.by) => {
    const p = periodParams(q);
    p.set('by', by);
    return withParams('/api/analytics/breakdown', p);
  },
  compare: (q: AnalyticsQuery, binding: string) => {
    const p = periodParams(q);
    p.delete('binding');
    p.set('binding', binding);
    return withParams('/api/analytics/compare', p);
  },
  recommendations: (q: AnalyticsQuery) => withParams('/api/analytics/recommendations', periodParams(q)),
  report: (q: AnalyticsQuery, format: 'csv' | 'json') => {
    const p = periodParams(q);
    p.set('format', format);
    return withParams('/api/analytics/report', p);
  },
  /** The printable page of the same period and filters. */
  printable: (q: AnalyticsQuery) => `/analytics/report${searchOf({ period: q.period, from: q.from, to: q.to, filter: q.filter, by: DEFAULT_QUERY.by })}`,
};

/** A custom period from two datetime-local field values (the browser's time), or an error key. */
export function customRange(fromField: string, toField: string): { from: number; to: number } | { error: string } {
  const from = fromField ? new Date(fromField).getTime() : NaN;
  const to = toField ? new Date(toField).getTime() : NaN;
  if (!Number.isFinite(from) || !Number.isFinite(to)) return { error: 'analytics.custom.missing' };
  if (from >= to) return { error: 'analytics.custom.order' };
  return { from, to };
}

/** An epoch ms as a datetime-local field value in the browser's time (yyyy-mm-ddThh:mm). */
export function fieldValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An action link of a recommendation: a path of this console only (never another site). */
export function safeAction(href: string): string | null {
  return href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/\\') ? href : null;
}
