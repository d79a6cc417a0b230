// Calendar periods in the owner's time zone (sil.yaml `timeZone`, IANA name, default UTC):
// quotas, budgets and day rollups start at midnight there, months on the 1st. Pure: takes
// epoch milliseconds, answers epoch milliseconds; daylight-saving shifts are handled by asking
// Intl for the zone's offset at the instant in question.

export type CalendarPeriod = 'minute' | 'hour' | 'day' | 'month';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when this Node knows the IANA zone name. */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

interface WallTime { year: number; month: number; day: number; hour: number; minute: number; second: number }

/** The wall-clock time in the zone at an instant. */
export function wallTime(ms: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** Offset of the zone from UTC at an instant, in milliseconds (e.g. +3 h for Asia/Riyadh). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant a wall-clock time happens in the zone (the earlier one when a DST change repeats it). */
function instantOf(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour);
  // Two passes settle the offset across a DST boundary.
  let t = guess - zoneOffsetMs(guess, timeZone);
  t = guess - zoneOffsetMs(t, timeZone);
  return t;
}

/** Start of the period containing `ms` in the zone. */
export function periodStart(ms: number, period: CalendarPeriod, timeZone = 'UTC'): number {
  if (period === 'minute') return Math.floor(ms / 60_000) * 60_000;
  if (period === 'hour') {
    // Whole-hour zones (most) share UTC hour boundaries; others (e.g. Asia/Kolkata) do not.
    const offset = zoneOffsetMs(ms, timeZone);
    return Math.floor((ms + offset) / 3_600_000) * 3_600_000 - offset;
  }
  const w = wallTime(ms, timeZone);
  return period === 'day' ? instantOf(w.year, w.month, w.day, 0, timeZone) : instantOf(w.year, w.month, 1, 0, timeZone);
}

/** Start of the period after the one containing `ms`. */
export function nextPeriodStart(ms: number, period: CalendarPeriod, timeZone = 'UTC'): number {
  if (period === 'minute') return periodStart(ms, period) + 60_000;
  if (period === 'hour') return periodStart(ms, 'hour', timeZone) + 3_600_000;
  const w = wallTime(periodStart(ms, period, timeZone), timeZone);
  if (period === 'day') return instantOf(w.year, w.month, w.day + 1, 0, timeZone);
  return instantOf(w.month === 12 ? w.year + 1 : w.year, w.month === 12 ? 1 : w.month + 1, 1, 0, timeZone);
}
