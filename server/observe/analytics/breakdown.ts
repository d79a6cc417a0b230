// GET /api/analytics/breakdown?by=provider|binding|client|model|key: the period's figures per
// value of one dimension, most requests first. Keys are `provider/keyId`, labelled with the
// key's fingerprint so an owner can tell which secret it is.
import { SilError } from '../../errors.ts';
import type { RollupRow } from '../usage-store/types.ts';
import type { BreakdownAnswer, BreakdownBy, Summary } from './types.ts';
import { addRow, emptyTally, summarize, type Tally } from './summary.ts';
import { select, type AnalyticsQuery, type AnalyticsSources } from './sources.ts';

export const BREAKDOWN_BY: readonly BreakdownBy[] = ['provider', 'binding', 'client', 'model', 'key'];

/** Rows sil answered before a value was known (a refused token, no attempt made). */
export const NONE_LABEL = '(none)';

export type BreakdownRow = Summary & { key: string; label: string };

export function parseBy(value: string | undefined): BreakdownBy {
  if (!value) throw new SilError('SIL_ANALYTICS_QUERY', `by: give one of ${BREAKDOWN_BY.join(', ')}`);
  if (!(BREAKDOWN_BY as readonly string[]).includes(value)) throw new SilError('SIL_ANALYTICS_QUERY', `by: "${value.slice(0, 40)}" is not one of ${BREAKDOWN_BY.join(', ')}`);
  return value as BreakdownBy;
}

function keyOf(row: RollupRow, by: BreakdownBy): string {
  if (by !== 'key') return row[by];
  return row.keyId ? `${row.provider}/${row.keyId}` : '';
}

/** The figures per value of `by`, most requests first (then by key). */
export function breakdownRows(rows: readonly RollupRow[], by: BreakdownBy, currency: string): BreakdownRow[] {
  const tallies = new Map<string, { tally: Tally; fingerprint: string }>();
  for (const row of rows) {
    const key = keyOf(row, by);
    let entry = tallies.get(key);
    if (!entry) tallies.set(key, (entry = { tally: emptyTally(), fingerprint: '' }));
    addRow(entry.tally, row, currency);
    if (row.fingerprint) entry.fingerprint = row.fingerprint;
  }
  const out: BreakdownRow[] = [];
  for (const [key, { tally, fingerprint }] of tallies) {
    const label = key === '' ? NONE_LABEL : by === 'key' && fingerprint ? `${key} (${fingerprint})` : key;
    out.push({ key, label, ...summarize(tally) });
  }
  return out.sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key));
}

export async function breakdown(sources: AnalyticsSources, query: AnalyticsQuery): Promise<BreakdownAnswer> {
  const by = parseBy(query.by);
  const { rows, currency, window } = await select(sources, query);
  return { ...window, by, rows: breakdownRows(rows, by, currency) };
}
