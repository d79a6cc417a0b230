// When does a failed attempt move a request to the next target? A binding's `failover.on`
// (connect-error, timeout, status classes like "5xx", status codes like "429") compiled once
// into a matcher, and the Retry-After header read into milliseconds. Pure: no clock, no I/O.

export type TimeoutPhase = 'connect' | 'first-byte' | 'total';

/** What one attempt ended with, as the sender saw it. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfterMs?: number }
  | { kind: 'connect-error' }
  | { kind: 'timeout'; phase: TimeoutPhase };

export interface FailoverMatcher {
  readonly connectError: boolean;
  readonly timeout: boolean;
  /** Status classes listed, as their first digit (5 for "5xx"). */
  readonly classes: ReadonlySet<number>;
  /** Status codes listed (429 for "429"). */
  readonly codes: ReadonlySet<number>;
}

const CLASS = /^([1-5])xx$/;
const CODE = /^[1-5][0-9]{2}$/;

/** Compiles `failover.on`; throws on an entry the binding schema would refuse. */
export function compileConditions(on: readonly string[]): FailoverMatcher {
  let connectError = false;
  let timeout = false;
  const classes = new Set<number>();
  const codes = new Set<number>();
  for (const raw of on) {
    const c = raw.trim().toLowerCase();
    if (c === 'connect-error') connectError = true;
    else if (c === 'timeout') timeout = true;
    else if (CLASS.test(c)) classes.add(Number(c[0]));
    else if (CODE.test(c)) codes.add(Number(c));
    else throw new TypeError(`unknown failover condition "${raw}" (connect-error, timeout, a class like 5xx or a code like 429)`);
  }
  return Object.freeze({ connectError, timeout, classes, codes });
}

/** True when the outcome is one the binding fails over on. */
export function shouldFailOver(outcome: AttemptOutcome, matcher: FailoverMatcher): boolean {
  switch (outcome.kind) {
    case 'connect-error': return matcher.connectError;
    case 'timeout': return matcher.timeout;
    case 'response': {
      const s = outcome.status;
      if (!Number.isInteger(s)) return false;
      return matcher.codes.has(s) || matcher.classes.has(Math.floor(s / 100));
    }
  }
}

/** Retry-After values above this are treated as this (a day). */
export const MAX_RETRY_AFTER_MS = 86_400_000;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form and asctime; all three are GMT.
const IMF = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850 = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;
const SECONDS = /^\d+(?:\.\d+)?$/;

function utc(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const mon = MONTHS.indexOf(month.toLowerCase());
  if (mon < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const t = Date.UTC(year, mon, day, h, m, Math.min(s, 59));
  // Date.UTC rolls 31 Feb over into March: refuse dates that do not exist.
  return new Date(t).getUTCDate() === day ? t : undefined;
}

/** An HTTP date (any of the three forms) as epoch milliseconds, or undefined. */
export function parseHttpDate(value: string, now: number): number | undefined {
  let m = IMF.exec(value);
  if (m) return utc(Number(m[3]), m[2], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850.exec(value);
  if (m) {
    // Two-digit years: a year more than 50 years ahead is in the past century (RFC 9110).
    const thisYear = new Date(now).getUTCFullYear();
    let year = 2000 + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    return utc(year, m[2], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME.exec(value);
  if (m) return utc(Number(m[6]), m[1], Number(m[2].trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/**
 * A Retry-After header (delay-seconds or an HTTP date) as milliseconds from `now`, capped at a
 * day; a date in the past gives 0; a missing or malformed value gives undefined.
 */
export function parseRetryAfter(headerValue: string | null | undefined, now: number): number | undefined {
  if (headerValue == null) return undefined;
  const v = headerValue.trim();
  if (v === '' || v.length > 64) return undefined;
  if (SECONDS.test(v)) return Math.min(Math.ceil(Number(v) * 1000), MAX_RETRY_AFTER_MS);
  const at = parseHttpDate(v, now);
  if (at === undefined) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
