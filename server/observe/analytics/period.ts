// The period of an analytics query: `period=1h|24h|7d|30d|custom` (custom with `from` and `to`,
// ISO 8601), the filters, and the step of the series. Pure: takes the query and the clock.
import { SilError } from '../../errors.ts';
import { nextPeriodStart, periodStart } from '../../core/time-zone.ts';
import { RETENTION_MS, type Granularity } from '../usage-store/types.ts';
import type { PeriodName, Window } from './types.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** How far back a custom period may start (the day rollups' retention). */
export const MAX_LOOKBACK_MS = 2 * 366 * DAY;

export const FILTERS = ['binding', 'provider', 'client', 'model'] as const;
type Filter = Window['filter'];

/** Where the window's points start, the rollup they come from and how wide each is. */
export interface Period extends Omit<Window, 'currency'> {
  /** Start of each point of the series, ascending; the last point ends at `to`. */
  starts: number[];
}

type Query = Readonly<Record<string, string | undefined>>;

const bad = (param: string, message: string) => new SilError('SIL_ANALYTICS_QUERY', `${param}: ${message}`);

/** Named periods: their length, the rollup, and the points per step of that rollup. */
const NAMED: Record<Exclude<PeriodName, 'custom'>, { length: number; step: Granularity; stepMs: number }> = {
  '1h': { length: HOUR, step: 'minute', stepMs: MINUTE },
  '24h': { length: DAY, step: 'minute', stepMs: 5 * MINUTE },
  '7d': { length: 7 * DAY, step: 'hour', stepMs: HOUR },
  '30d': { length: 30 * DAY, step: 'day', stepMs: DAY },
};

/**
 * The step for a custom period: at most ~300 points, and never a rollup whose retention has
 * dropped the period's start (minute rollups are kept 48 h, hour rollups 90 days).
 */
export function customStep(from: number, to: number, now: number): { step: Granularity; stepMs: number } {
  const length = to - from;
  const age = now - from;
  if (age <= RETENTION_MS.minute && length <= 5 * HOUR) return { step: 'minute', stepMs: MINUTE };
  if (age <= RETENTION_MS.minute && length <= 25 * HOUR) return { step: 'minute', stepMs: 5 * MINUTE };
  if (age <= RETENTION_MS.hour && length <= 300 * HOUR) return { step: 'hour', stepMs: HOUR };
  return { step: 'day', stepMs: DAY };
}

/** Start of the step containing `ms` (steps of several minutes are cut from the epoch). */
function stepStart(ms: number, step: Granularity, stepMs: number, timeZone: string): number {
  if (step === 'minute') return Math.floor(ms / stepMs) * stepMs;
  return periodStart(ms, step, timeZone);
}

function nextStep(ms: number, step: Granularity, stepMs: number, timeZone: string): number {
  if (step === 'minute') return ms + stepMs;
  return nextPeriodStart(ms, step, timeZone);
}

function isoTime(value: string | undefined, param: string): number {
  if (!value) throw bad(param, 'period=custom needs `from` and `to` (ISO 8601 times, e.g. 2026-05-01T00:00:00Z)');
  // A date alone or a date-time with a zone; Date.parse would take local time for zone-less times.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i.test(value)) {
    throw bad(param, `"${value.slice(0, 40)}" is not an ISO 8601 time with a zone (e.g. 2026-05-01T00:00:00Z or 2026-05-01)`);
  }
  const ms = Date.parse(value);
  // Date.parse rolls 2026-02-30 over into March: the calendar date must exist as written.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  if (!Number.isFinite(ms) || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) throw bad(param, `"${value.slice(0, 40)}" is not a valid time`);
  return ms;
}

function filterOf(query: Query): Filter {
  const filter: Filter = {};
  for (const name of FILTERS) {
    const v = query[name];
    if (v === undefined || v === '') continue;
    if (v.length > 200) throw bad(name, 'is longer than 200 characters');
    filter[name] = v;
  }
  return filter;
}

/** The window of a query, aligned to whole steps; `to` includes the step `now` is in. */
export function parsePeriod(query: Query, now: number, timeZone: string, fallback: Exclude<PeriodName, 'custom'> = '24h'): Period {
  const name = (query.period || fallback) as PeriodName;
  const filter = filterOf(query);
  let from: number;
  let to: number;
  let step: Granularity;
  let stepMs: number;
  if (name === 'custom') {
    const rawFrom = isoTime(query.from, 'from');
    const rawTo = isoTime(query.to, 'to');
    if (rawFrom >= rawTo) throw bad('from', 'must be before `to`');
    if (rawFrom < now - MAX_LOOKBACK_MS) throw bad('from', 'is more than 2 years back (usage is kept that long)');
    if (rawFrom > now) throw bad('from', 'is in the future');
    ({ step, stepMs } = customStep(rawFrom, rawTo, now));
    from = stepStart(rawFrom, step, stepMs, timeZone);
    const last = stepStart(rawTo - 1, step, stepMs, timeZone);
    to = nextStep(last, step, stepMs, timeZone);
  } else if (Object.hasOwn(NAMED, name)) {
    if (query.from || query.to) throw bad('period', '`from` and `to` go with period=custom only');
    const spec = NAMED[name];
    ({ step, stepMs } = spec);
    to = nextStep(stepStart(now, step, stepMs, timeZone), step, stepMs, timeZone);
    from = step === 'day' ? stepStart(to - spec.length, step, stepMs, timeZone) : to - spec.length;
  } else {
    throw bad('period', `"${String(name).slice(0, 20)}" is not one of 1h, 24h, 7d, 30d, custom`);
  }
  const starts: number[] = [];
  // Bounded: at most ~750 points (2 years of days); the guard stops a clock gone wrong.
  for (let t = from; t < to && starts.length < 1_000; t = nextStep(t, step, stepMs, timeZone)) starts.push(t);
  return { period: name, from, to, step, stepMs, timeZone, filter, starts };
}

/** Index of the point containing `t` (the last start ≤ t), or -1 before the first. */
export function pointIndex(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0 || t < starts[0]) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
