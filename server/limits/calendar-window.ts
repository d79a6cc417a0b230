// The fixed calendar window of a quota or budget (a day or a month in sil.yaml's timeZone): its
// start names the counter, its end is when the counter expires and the limit renews. Working out
// a day or month boundary asks Intl (a few µs), so each window is kept until it ends: the hot
// path pays for it once per period, not per request.
import { nextPeriodStart, periodStart } from '../core/time-zone.ts';

export type WindowPeriod = 'day' | 'month';

export interface CalendarWindow {
  start: number;
  end: number;
}

/** The window containing `now`. Pure. */
export function windowAt(now: number, period: WindowPeriod, timeZone: string): CalendarWindow {
  return { start: periodStart(now, period, timeZone), end: nextPeriodStart(now, period, timeZone) };
}

/** Remembers the current window per period and zone; a new one is worked out when `now` leaves it. */
export class WindowCache {
  readonly #current = new Map<string, CalendarWindow>();

  at(now: number, period: WindowPeriod, timeZone: string): CalendarWindow {
    const key = `${period}|${timeZone}`;
    const w = this.#current.get(key);
    if (w && now >= w.start && now < w.end) return w;
    const fresh = windowAt(now, period, timeZone);
    // Bounded: two periods times the zones ever configured.
    if (this.#current.size > 64) this.#current.clear();
    this.#current.set(key, fresh);
    return fresh;
  }
}
