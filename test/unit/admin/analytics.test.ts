// The analytics screens' pure logic (admin/src/lib/analytics.ts and analytics-format.ts): the
// query in the address bar and the API paths built from it, custom periods, safe action links,
// and numbers and times in English and Arabic (Arabic-Indic digits, the hub's time zone).
import { describe, expect, it } from 'vitest';
import { customRange, DEFAULT_QUERY, fieldValue, parseQuery, paths, safeAction, searchOf } from '../../../admin/src/lib/analytics.ts';
import { formatLocale, formats } from '../../../admin/src/lib/analytics-format.ts';

const ARABIC_INDIC = /[\u0660-\u0669]/;

describe('analytics query', () => {
  it('reads the defaults from an empty search and drops what it does not know', () => {
    expect(parseQuery('')).toEqual(DEFAULT_QUERY);
    expect(parseQuery('?period=2y&by=colour&x=1')).toEqual(DEFAULT_QUERY);
  });

  it('keeps period, filters, breakdown and comparison through the address bar', () => {
    const q = parseQuery('?period=7d&binding=chat&model=gpt-4o&by=model&compare=chat');
    expect(q).toEqual({ period: '7d', filter: { binding: 'chat', model: 'gpt-4o' }, by: 'model', compare: 'chat' });
    expect(parseQuery(searchOf(q))).toEqual(q);
    expect(searchOf(DEFAULT_QUERY)).toBe('');
  });

  it('takes a custom period only with both bounds in order (ISO or epoch ms)', () => {
    const from = Date.parse('2026-03-01T00:00:00Z');
    const to = Date.parse('2026-03-08T00:00:00Z');
    expect(parseQuery(`?period=custom&from=2026-03-01T00:00:00Z&to=${to}`)).toMatchObject({ period: 'custom', from, to });
    expect(parseQuery('?period=custom&from=2026-03-08T00:00:00Z&to=2026-03-01T00:00:00Z').period).toBe('24h');
    expect(parseQuery('?period=custom&from=2026-03-01T00:00:00Z').period).toBe('24h');
  });

  it('builds the API paths with the period and filters', () => {
    const q = parseQuery('?period=custom&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&client=web&by=client');
    expect(paths.overview(q)).toBe('/api/analytics/overview?period=custom&from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-02T00%3A00%3A00.000Z&client=web');
    expect(paths.breakdown(q)).toContain('&by=client');
    expect(paths.breakdown(q, 'model')).toContain('&by=model');
    expect(paths.compare(parseQuery('?binding=a'), 'chat')).toBe('/api/analytics/compare?period=24h&binding=chat');
    expect(paths.recommendations(parseQuery('?period=1h'))).toBe('/api/analytics/recommendations?period=1h');
    expect(paths.report(parseQuery('?period=30d'), 'csv')).toBe('/api/analytics/report?period=30d&format=csv');
    expect(paths.printable(parseQuery('?period=7d&provider=openai-main&by=model&compare=chat'))).toBe('/analytics/report?period=7d&provider=openai-main');
  });

  it('checks a custom range from the form fields', () => {
    expect(customRange('', '2026-03-01T10:00')).toEqual({ error: 'analytics.custom.missing' });
    expect(customRange('2026-03-02T10:00', '2026-03-01T10:00')).toEqual({ error: 'analytics.custom.order' });
    const r = customRange('2026-03-01T10:00', '2026-03-02T10:00');
    expect('from' in r && r.to - r.from).toBe(86_400_000);
    expect(fieldValue(new Date(2026, 2, 1, 9, 5).getTime())).toBe('2026-03-01T09:05');
  });

  it('links only paths of the console from a recommendation', () => {
    expect(safeAction('/bindings?name=chat')).toBe('/bindings?name=chat');
    expect(safeAction('//evil.example/x')).toBeNull();
    expect(safeAction('https://evil.example/')).toBeNull();
    expect(safeAction('/\\evil.example')).toBeNull();
    expect(safeAction('javascript:alert(1)')).toBeNull();
  });
});

describe('analytics formats', () => {
  it('chooses Arabic-Indic digits for Arabic unless the browser names a region that writes Latin ones', () => {
    expect(formatLocale('en', ['ar-EG'])).toBe('en');
    expect(formatLocale('ar', [])).toBe('ar-u-nu-arab-ca-gregory');
    expect(formatLocale('ar', ['en-US', 'ar-EG'])).toBe('ar-EG-u-ca-gregory');
    expect(formats(formatLocale('ar')).number(1234)).toMatch(ARABIC_INDIC);
    expect(formats(formatLocale('ar', ['ar-MA'])).number(1234)).not.toMatch(ARABIC_INDIC);
    // The Gregorian calendar even where the region's default is another.
    expect(formats(formatLocale('ar', ['ar-SA'])).time(Date.UTC(2026, 2, 15), 'day', 'UTC')).toMatch(/مارس/);
  });

  it('writes numbers, percentages, latency, money and counts in English', () => {
    const f = formats('en');
    expect(f.number(1234567)).toBe('1,234,567');
    expect(f.number(null)).toBe('—');
    expect(f.percent(0.9567)).toBe('95.7%');
    expect(f.ms(123.4)).toBe('123 ms');
    expect(f.ms(1530)).toBe('1.53 sec');
    expect(f.money(12.5, 'USD')).toBe('$12.50');
    expect(f.money(0.00123, 'USD')).toBe('$0.0012');
    expect(f.money(0.0000075, 'USD')).toBe('$0.0000075');
    expect(f.money(0.5, 'USD')).toBe('$0.50');
    expect(f.money(1234.567, 'EUR')).toBe('€1,234.57');
    expect(f.money(0, 'USD')).toBe('$0.00');
    expect(f.compact(12_300)).toBe('12.3K');
  });

  it('writes times in the hub\'s time zone with as much detail as the step needs', () => {
    const f = formats('en');
    const t = Date.UTC(2026, 2, 15, 13, 30);
    expect(f.time(t, 'minute', 'UTC')).toBe('1:30 PM');
    expect(f.time(t, 'minute', 'Asia/Kolkata')).toBe('7:00 PM');
    expect(f.time(t, 'day', 'UTC')).toBe('Mar 15');
    expect(f.dateTime(t, 'UTC')).toBe('Mar 15, 2026, 1:30 PM');
  });

  it('writes Arabic figures with Arabic-Indic digits', () => {
    const f = formats(formatLocale('ar'));
    for (const s of [f.number(42), f.percent(0.5), f.ms(250), f.money(3.5, 'USD'), f.time(Date.UTC(2026, 0, 1, 9), 'minute', 'UTC')]) expect(s).toMatch(ARABIC_INDIC);
  });
});
