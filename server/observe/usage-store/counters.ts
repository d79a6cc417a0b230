// Counters of one rollup bucket: a fresh set, adding one set to another, and the compact row
// the files hold — [t, dimsIndex, the 13 scalar counters in COUNTER_FIELDS order, then the
// non-zero latency buckets as index,count pairs] — so a row costs a few dozen bytes, not a
// few hundred.
import { LATENCY_BUCKETS } from './latency.ts';
import type { RollupRow, UsageCounters, UsageDims } from './types.ts';

type Scalar = Exclude<keyof UsageCounters, 'latency'>;

/** The scalar counters in the order of a compact row (append only: files on disk use it). */
export const COUNTER_FIELDS: readonly Scalar[] = Object.freeze(['requests', 'ok', 'clientErrors', 'serverErrors', 'limited', 'attempts', 'failovers', 'latencySumMs', 'inputTokens', 'outputTokens', 'cost', 'scoreSum', 'scoreCount']);
/** Where the latency pairs start in a compact row. */
export const LATENCY_AT = 2 + COUNTER_FIELDS.length;

export type CompactRow = number[];

export function emptyCounters(): UsageCounters {
  return { requests: 0, ok: 0, clientErrors: 0, serverErrors: 0, limited: 0, attempts: 0, failovers: 0, latency: new Array<number>(LATENCY_BUCKETS).fill(0), latencySumMs: 0, inputTokens: 0, outputTokens: 0, cost: 0, scoreSum: 0, scoreCount: 0 };
}

/** Adds `add` into `into`. */
export function addCounters(into: UsageCounters, add: UsageCounters): void {
  for (const f of COUNTER_FIELDS) into[f] += add[f];
  for (let i = 0; i < LATENCY_BUCKETS; i++) into.latency[i] += add.latency[i] ?? 0;
}

/** A compact row of bucket `t`, dims index `d`, holding `c`. */
export function toCompact(t: number, d: number, c: UsageCounters): CompactRow {
  const row: CompactRow = [t, d];
  for (const f of COUNTER_FIELDS) row.push(c[f]);
  for (let i = 0; i < LATENCY_BUCKETS; i++) if (c.latency[i] !== 0) row.push(i, c.latency[i]);
  return row;
}

/** The counters a compact row holds. */
export function fromCompact(row: CompactRow): UsageCounters {
  const c = emptyCounters();
  for (let i = 0; i < COUNTER_FIELDS.length; i++) c[COUNTER_FIELDS[i]] = row[2 + i];
  for (let i = LATENCY_AT; i + 1 < row.length; i += 2) c.latency[row[i]] += row[i + 1];
  return c;
}

/** Adds `c` into a compact row, in place (a new array when latency buckets were added). */
export function addToCompact(row: CompactRow, c: UsageCounters): CompactRow {
  const sum = fromCompact(row);
  addCounters(sum, c);
  return toCompact(row[0], row[1], sum);
}

/** True when `row` is a well-formed compact row for a dims table of `dimsCount` entries. */
export function isCompactRow(row: unknown, dimsCount: number): row is CompactRow {
  if (!Array.isArray(row) || row.length < LATENCY_AT || (row.length - LATENCY_AT) % 2 !== 0) return false;
  for (const n of row) if (typeof n !== 'number' || !Number.isFinite(n)) return false;
  if (!Number.isInteger(row[1]) || row[1] < 0 || row[1] >= dimsCount) return false;
  for (let i = LATENCY_AT; i < row.length; i += 2) if (!Number.isInteger(row[i]) || row[i] < 0 || row[i] >= LATENCY_BUCKETS) return false;
  return true;
}

/** A query's row from a compact one (one object of one shape, no intermediate counters). */
export function rollupRowOf(dims: UsageDims, row: CompactRow): RollupRow {
  return rollupRowAt(dims, row, 0, row.length);
}

/** A query's row from the compact row stored in `data` at [at, end) (a list or a typed array). */
export function rollupRowAt(dims: UsageDims, data: ArrayLike<number>, at: number, end: number): RollupRow {
  const latency = new Array<number>(LATENCY_BUCKETS).fill(0);
  for (let i = at + LATENCY_AT; i + 1 < end; i += 2) latency[data[i]] += data[i + 1];
  return {
    t: data[at],
    client: dims.client,
    binding: dims.binding,
    provider: dims.provider,
    keyId: dims.keyId,
    fingerprint: dims.fingerprint,
    model: dims.model,
    currency: dims.currency,
    requests: data[at + 2],
    ok: data[at + 3],
    clientErrors: data[at + 4],
    serverErrors: data[at + 5],
    limited: data[at + 6],
    attempts: data[at + 7],
    failovers: data[at + 8],
    latency,
    latencySumMs: data[at + 9],
    inputTokens: data[at + 10],
    outputTokens: data[at + 11],
    cost: data[at + 12],
    scoreSum: data[at + 13],
    scoreCount: data[at + 14],
  };
}
