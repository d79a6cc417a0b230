// Numbers and times of the analytics screens in the console's language, through Intl. Arabic
// shows Arabic-Indic digits (١٢٣) where the locale does: the browser's own Arabic locale when it
// names a region (ar-MA, ar-DZ and ar-TN write Latin digits, ar-EG and ar-SA Arabic-Indic),
// otherwise `ar-u-nu-arab` (plain `ar` now defaults to Latin digits in CLDR). The calendar is
// always Gregorian (ar-SA would default to the Hijri one), so dates match the API's periods.
// Times are shown in the hub's time zone (sil.yaml `timeZone`, given by every answer).
// Pure apart from the formatter cache: tested in Node.

/** The Intl locale of a console language, given the browser's preferred languages. */
export function formatLocale(l: 'en' | 'ar', browser: readonly string[] = []): string {
  if (l === 'en') return 'en';
  const regional = browser.find((b) => /^ar-[A-Za-z]{2}$/.test(b));
  return regional ? `${regional}-u-ca-gregory` : 'ar-u-nu-arab-ca-gregory';
}

export interface Formats {
  locale: string;
  number(n: number | null | undefined, digits?: number): string;
  /** A 0..1 ratio as a percentage. */
  percent(r: number | null | undefined): string;
  /** Milliseconds as "120 ms" or "1.2 s". */
  ms(n: number | null | undefined): string;
  money(n: number | null | undefined, currency: string): string;
  /** Large counts shortened (12.3K). */
  compact(n: number | null | undefined): string;
  /** A point in time: `step` decides how much of it is shown (axis labels). */
  time(ms: number, step: 'minute' | 'hour' | 'day', timeZone: string): string;
  /** A full date and time (report headers, tooltips). */
  dateTime(ms: number, timeZone: string): string;
  /** A calendar day (15 March 2026). */
  date(ms: number, timeZone: string): string;
  /** A count of days with its noun in the language's plural form (8 days, ٨ أيام). */
  days(n: number | null | undefined): string;
}

const DASH = '—';

export function formats(locale: string): Formats {
  const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
  const nf = (key: string, o: Intl.NumberFormatOptions) => {
    let f = cache.get(key) as Intl.NumberFormat | undefined;
    if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, o)));
    return f;
  };
  const df = (key: string, o: Intl.DateTimeFormatOptions) => {
    let f = cache.get(key) as Intl.DateTimeFormat | undefined;
    if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, o)));
    return f;
  };
  const ok = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);
  return {
    locale,
    number: (n, digits = 0) => (ok(n) ? nf(`n${digits}`, { maximumFractionDigits: digits }).format(n) : DASH),
    percent: (r) => (ok(r) ? nf('pct', { style: 'percent', maximumFractionDigits: 1 }).format(r) : DASH),
    ms: (n) => {
      if (!ok(n)) return DASH;
      if (n >= 1000) return nf('s', { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 2 }).format(n / 1000);
      return nf('ms', { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: 0 }).format(n);
    },
    money: (n, currency) => {
      if (!ok(n)) return DASH;
      // A request costs fractions of a cent: two significant digits where two decimals show nothing.
      return nf(`c${currency}`, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2, minimumSignificantDigits: 2, maximumSignificantDigits: 2, roundingPriority: 'morePrecision' }).format(n);
    },
    compact: (n) => (ok(n) ? nf('compact', { notation: 'compact', maximumFractionDigits: 1 }).format(n) : DASH),
    time: (ms, step, timeZone) => {
      const o: Intl.DateTimeFormatOptions =
        step === 'day' ? { month: 'short', day: 'numeric', timeZone } : step === 'hour' ? { month: 'short', day: 'numeric', hour: 'numeric', timeZone } : { hour: 'numeric', minute: '2-digit', timeZone };
      return df(`t${step}${timeZone}`, o).format(ms);
    },
    dateTime: (ms, timeZone) => df(`dt${timeZone}`, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ms),
    date: (ms, timeZone) => df(`d${timeZone}`, { year: 'numeric', month: 'long', day: 'numeric', timeZone }).format(ms),
    days: (n) => (ok(n) ? nf('days', { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(n) : DASH),
  };
}
