// What the analytics read, injected: the usage rollups, the live config, the limiter's counters
// and the clock. And the first step of every answer: the query's window, its rows and currency.
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { LimitStatusSource } from '../../limits/limit-status.ts';
import type { RollupRow, UsageQuery } from '../usage-store/types.ts';
import type { PeriodName, Window } from './types.ts';
import { parsePeriod, type Period } from './period.ts';
import { mainCurrency } from './summary.ts';

export interface AnalyticsSources {
  usage: UsageQuery;
  snapshot: () => ConfigSnapshot | null;
  limits?: LimitStatusSource;
  now: () => number;
}

export type AnalyticsQuery = Readonly<Record<string, string | undefined>>;

export interface Selection {
  period: Period;
  rows: RollupRow[];
  currency: string;
  otherCurrencies: { currency: string; cost: number }[];
  /** The Window fields every answer starts with. */
  window: Window;
}

/** Parses the query and reads the period's rows (filtered) from the usage store. */
export async function select(sources: AnalyticsSources, query: AnalyticsQuery, fallback: Exclude<PeriodName, 'custom'> = '24h'): Promise<Selection> {
  const period = parsePeriod(query, sources.now(), sources.usage.timeZone(), fallback);
  const rows = await sources.usage.rows(period.step, period.from, period.to, period.filter);
  const { currency, others } = mainCurrency(rows);
  const { starts: _starts, ...fields } = period;
  return { period, rows, currency, otherCurrencies: others, window: { ...fields, currency } };
}
