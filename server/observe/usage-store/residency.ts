// Which rollup files stay in memory: those that may still change. Counts reach a file when a
// flush merges the aggregator's minute buckets, which are at most a flush interval old, except
// late ones (a stream's tokens land in the minute it ended, a caller's score in the minute of the
// request it scores). An hour or day row is cut in sil.yaml's timeZone, so a row starting near
// the end of a UTC file period goes on growing after it: an hour row at most 1 h, a day row at
// most 25 h (a daylight-saving day). Anything later still lands: the flush reads the file back
// first (usage-store.ts), it is just not kept for it. Pure.
import { periodStart } from '../../core/time-zone.ts';
import { fileEndOf, fileStartOf } from './file-layout.ts';
import type { Granularity } from './types.ts';

/** How late counts may come and still find their file in memory, beside the flush interval. */
export const LATE_MS = 10 * 60_000;

/** How long a row starting at the end of a file period may still grow. */
const ROW_SPAN_MS: Readonly<Record<Granularity, number>> = { minute: 60_000, hour: 3_600_000, day: 25 * 3_600_000 };

/**
 * True while the file of period `start` may still change: its period has begun and ended less
 * than a row's span plus `graceMs` (LATE_MS + the flush interval) ago.
 */
export function mayChange(g: Granularity, start: number, now: number, graceMs: number): boolean {
  return start <= now && now < fileEndOf(g, start) + ROW_SPAN_MS[g] + graceMs;
}

/** The files a minute bucket's counts go to: its minute, hour and day rows (cut in `timeZone`). */
export function targetsOf(minute: number, timeZone: string): [Granularity, number, number][] {
  const hour = periodStart(minute, 'hour', timeZone);
  const day = periodStart(minute, 'day', timeZone);
  return [['minute', minute, fileStartOf('minute', minute)], ['hour', hour, fileStartOf('hour', hour)], ['day', day, fileStartOf('day', day)]];
}
