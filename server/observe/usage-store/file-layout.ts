// Which file a rollup row lives in. Files are cut by UTC periods of the row's bucket start, small
// enough that a flush rewrites little (a flush touches the current file of each granularity):
// minute rows one file per UTC hour (≤ 60 buckets), hour rows one per UTC day (≤ 24), day rows
// one per UTC month (≤ 31). Retention then drops whole files.
import type { Granularity } from './types.ts';

export const GRANULARITIES: readonly Granularity[] = Object.freeze(['minute', 'hour', 'day']);

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Start of the file period holding a bucket starting at `t`. */
export function fileStartOf(g: Granularity, t: number): number {
  if (g === 'minute') return Math.floor(t / HOUR) * HOUR;
  if (g === 'hour') return Math.floor(t / DAY) * DAY;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** End (exclusive) of the file period starting at `start`. */
export function fileEndOf(g: Granularity, start: number): number {
  if (g === 'minute') return start + HOUR;
  if (g === 'hour') return start + DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The file's name in its granularity's folder: 2026-01-15T13.json, 2026-01-15.json, 2026-01.json. */
export function fileNameOf(g: Granularity, start: number): string {
  const d = new Date(start);
  const month = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
  if (g === 'day') return `${month}.json`;
  const day = `${month}-${pad(d.getUTCDate())}`;
  return g === 'hour' ? `${day}.json` : `${day}T${pad(d.getUTCHours())}.json`;
}

const PATTERNS: Record<Granularity, RegExp> = {
  minute: /^(\d{4})-(\d{2})-(\d{2})T(\d{2})\.json$/,
  hour: /^(\d{4})-(\d{2})-(\d{2})\.json$/,
  day: /^(\d{4})-(\d{2})\.json$/,
};

/** The period start a file name stands for, or null when it is not a rollup file's name. */
export function parseFileName(g: Granularity, name: string): number | null {
  const m = PATTERNS[g].exec(name);
  if (!m) return null;
  const [y, mo, d, h] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1), Number(m[4] ?? 0)];
  const start = Date.UTC(y, mo - 1, g === 'day' ? 1 : d, g === 'minute' ? h : 0);
  return fileNameOf(g, start) === name ? start : null;
}
