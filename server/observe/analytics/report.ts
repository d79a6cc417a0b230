// GET /api/analytics/report?format=csv|json: the analytics of a period to download — totals, the
// series, and the breakdown by every dimension — as one JSON document or one CSV table (a row
// for the totals, then a row per value of each dimension).
import { SilError } from '../../errors.ts';
import type { BreakdownBy, OverviewAnswer, Summary } from './types.ts';
import { overviewOf } from './overview.ts';
import { BREAKDOWN_BY, breakdownRows, type BreakdownRow } from './breakdown.ts';
import { select, type AnalyticsQuery, type AnalyticsSources } from './sources.ts';
import { csv, type Cell } from './csv.ts';

export interface ReportAnswer extends OverviewAnswer {
  generatedAt: number;
  breakdowns: Record<BreakdownBy, BreakdownRow[]>;
}

export interface ReportFile { fileName: string; contentType: string; body: string }

export async function report(sources: AnalyticsSources, query: AnalyticsQuery): Promise<ReportAnswer> {
  const selection = await select(sources, query);
  const answer = overviewOf(selection);
  const { rows, currency } = selection;
  const breakdowns = Object.fromEntries(BREAKDOWN_BY.map((by) => [by, breakdownRows(rows, by, currency)])) as Record<BreakdownBy, BreakdownRow[]>;
  return { ...answer, generatedAt: sources.now(), breakdowns };
}

const SUMMARY_COLUMNS = ['requests', 'ok', 'errors', 'limited', 'successRate', 'p50Ms', 'p95Ms', 'p99Ms', 'avgLatencyMs', 'attempts', 'failovers', 'inputTokens', 'outputTokens', 'cost', 'score', 'scoreCount'] as const satisfies readonly (keyof Summary)[];

export const CSV_HEADER = ['dimension', 'key', 'label', ...SUMMARY_COLUMNS, 'currency', 'from', 'to'] as const;

export function reportCsv(r: ReportAnswer): string {
  const from = new Date(r.from).toISOString();
  const to = new Date(r.to).toISOString();
  const line = (dimension: string, key: string, label: string, s: Summary): Cell[] => [dimension, key, label, ...SUMMARY_COLUMNS.map((c) => s[c]), r.currency, from, to];
  const rows: Cell[][] = [line('total', '', 'all requests', r.totals)];
  for (const by of BREAKDOWN_BY) for (const row of r.breakdowns[by]) rows.push(line(by, row.key, row.label, row));
  return csv(CSV_HEADER, rows);
}

/** `20260501T1200Z`: a compact UTC time for file names. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z').replace(/00Z$/, 'Z');

export async function reportFile(sources: AnalyticsSources, query: AnalyticsQuery): Promise<ReportFile> {
  const format = query.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new SilError('SIL_ANALYTICS_QUERY', `format: "${format.slice(0, 20)}" is not csv or json`);
  const r = await report(sources, query);
  const fileName = `sil-analytics-${stamp(r.from)}-${stamp(r.to)}.${format}`;
  return format === 'csv'
    ? { fileName, contentType: 'text/csv; charset=utf-8; header=present', body: reportCsv(r) }
    : { fileName, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(r, null, 2)}\n` };
}
