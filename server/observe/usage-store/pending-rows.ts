// What the aggregator holds and no flush merged yet, as query rows of one granularity: few rows
// (the last seconds), summed per bucket and dims, to add to the rows of the files.
import { periodStart } from '../../core/time-zone.ts';
import type { UsageAggregator } from './aggregator.ts';
import { addCounters } from './counters.ts';
import { dimsKey, matchesFilter } from './dims.ts';
import type { Granularity, RollupRow, UsageDims } from './types.ts';

export class PendingRows {
  /** bucket start + dims key → row */
  readonly rows = new Map<string, RollupRow>();
  readonly #ts = new Set<number>();

  constructor(recorder: UsageAggregator, g: Granularity, fromMs: number, toMs: number, filter: Partial<UsageDims> | undefined, timeZone: string) {
    let lastMinute = Number.NaN;
    let lastT = 0;
    recorder.forEachPending((minute, e) => {
      if (minute !== lastMinute) {
        lastMinute = minute;
        lastT = g === 'minute' ? minute : periodStart(minute, g, timeZone);
      }
      if (lastT < fromMs || lastT >= toMs || !matchesFilter(e.dims, filter)) return;
      const k = `${lastT}\u001e${dimsKey(e.dims)}`;
      const had = this.rows.get(k);
      if (had) addCounters(had, e.c);
      else {
        this.rows.set(k, { t: lastT, ...e.dims, ...e.c, latency: e.c.latency.slice() });
        this.#ts.add(lastT);
      }
    });
  }

  /** Adds the pending counts of the same bucket and dims into a file's row (once). */
  addInto(key: string, row: RollupRow): void {
    if (!this.#ts.has(row.t)) return;
    const k = `${row.t}\u001e${key}`;
    const more = this.rows.get(k);
    if (more) {
      addCounters(row, more);
      this.rows.delete(k);
    }
  }
}
