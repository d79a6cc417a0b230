// Recommendations in the console's languages (admin/src/lib/analytics-recommendations.ts with the
// templates of admin/src/i18n/analytics.recommendations.*.ts): every text id, evidence id and
// action id the hub's recommendation rules produce has a template in English and in Arabic, and
// renders with its params — no placeholder left, figures through Intl (Arabic-Indic digits in
// Arabic), names kept as they are; an id the console does not know shows the hub's English.
import { beforeAll, describe, expect, it } from 'vitest';
import { recommendations } from '../../../server/observe/analytics/recommendations/index.ts';
import { budgetBurn, keyQuota } from '../../../server/observe/analytics/recommendations/limits.ts';
import { keyRotations } from '../../../server/observe/analytics/recommendations/key-rotation.ts';
import { RECOMMENDATION_ACTION_IDS, RECOMMENDATION_TEXT_IDS, type Recommendation } from '../../../server/observe/analytics/types.ts';
import type { LimitStatus } from '../../../server/limits/limit-status.ts';
import { recommendationView, type Lookup } from '../../../admin/src/lib/analytics-recommendations.ts';
import { formatLocale, formats } from '../../../admin/src/lib/analytics-format.ts';
import en from '../../../admin/src/i18n/analytics.recommendations.en.ts';
import ar from '../../../admin/src/i18n/analytics.recommendations.ar.ts';
import { FakeUsage, snapshotWith, sources, T0 } from '../observe/analytics/fake-usage.ts';

const HOUR = 3_600_000;
const ARABIC_INDIC = /[\u0660-\u0669]/;
const LATIN_DIGIT = /[0-9]/;
const ARABIC_LETTER = /[\u0621-\u064A]/;
const at = T0 - 2 * HOUR;

/** One recommendation of every sentence form, from the hub's own rules. */
async function everyForm(): Promise<Recommendation[]> {
  const two = { name: 'chat', targets: [{ provider: 'a', model: 'm1' }, { provider: 'b', model: 'm2' }] };
  const cheaper = new FakeUsage().add({ t: at, provider: 'a', model: 'm1', requests: 100, failed: 2, cost: 1 }, { t: at, provider: 'b', model: 'm2', requests: 40, failed: 1, cost: 0.2 });
  const slow = new FakeUsage().add({ t: at, provider: 'a', model: 'm1', requests: 30, latencyMs: 4_000 }, { t: at, provider: 'b', model: 'm2', requests: 30, latencyMs: 400 });
  const lonely = new FakeUsage().add({ t: at, binding: 'solo', provider: 'openai-main', requests: 1234 });
  const status = (s: Partial<LimitStatus>): LimitStatus => ({ policy: 'p', attachedTo: { kind: 'provider', name: 'openai-main' }, scope: 'provider:openai-main', limit: 'quota.requests', used: 0, max: 1000, periodStart: T0 - 12 * HOUR, resetsAt: T0 + 12 * HOUR, ...s });
  const budget = (s: Partial<LimitStatus>) => status({ limit: 'budget', currency: 'USD', max: 100, periodStart: Date.UTC(2026, 4, 1), resetsAt: Date.UTC(2026, 5, 1), attachedTo: { kind: 'client', name: 'web' }, scope: 'client:web', ...s });
  const keys = (created: string, rotated?: string) => snapshotWith([], { 'openai-main': [{ id: 'primary', created, ...(rotated ? { rotated } : {}) }] });
  return [
    ...(await recommendations(sources(cheaper, { snapshot: snapshotWith([two]) }), {})).items,
    ...(await recommendations(sources(slow, { snapshot: snapshotWith([two]) }), {})).items,
    ...(await recommendations(sources(lonely, { snapshot: snapshotWith([{ name: 'solo', targets: [{ provider: 'openai-main' }] }, { name: 'same', targets: [{ provider: 'a', model: 'm1' }, { provider: 'a', model: 'm2' }] }]) }), {})).items,
    keyQuota(status({ used: 850 }), 'UTC')!,
    keyQuota(status({ used: 1000 }), 'UTC')!,
    keyQuota(status({ limit: 'quota.tokens', used: 90_000, max: 100_000 }), 'Asia/Riyadh')!,
    keyQuota(status({ limit: 'quota.tokens', used: 100_000, max: 100_000 }), 'UTC')!,
    budgetBurn(budget({ used: 120, onExceeded: 'block' }), T0, 'UTC')!,
    budgetBurn(budget({ used: 100, attachedTo: { kind: 'binding', name: 'chat' }, scope: 'binding:chat' }), T0, 'UTC')!,
    budgetBurn(budget({ used: 50 }), T0, 'Asia/Riyadh')!,
    ...keyRotations(keys('2026-02-18T00:00:00Z'), T0),
    ...keyRotations(keys('2026-02-10T00:00:00Z'), T0),
    ...keyRotations(keys('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), T0),
  ];
}

const dicts = { en: en as Record<string, string>, ar: ar as Record<string, string> };
const lookupIn = (l: 'en' | 'ar'): Lookup => (key) => (Object.hasOwn(dicts[l], key) ? dicts[l][key] : undefined);
const render = (r: Recommendation, l: 'en' | 'ar') => recommendationView(r, lookupIn(l), formats(formatLocale(l)), l === 'ar');
const NAMES = /openai-main\/primary|openai-main|[ab]\/m[12]|primary|solo|same|chat|web|sha256:\S+|\bp\b/g;

describe('recommendations in the console\'s languages', () => {
  let all: Recommendation[] = [];
  beforeAll(async () => {
    all = await everyForm();
  });

  it('the fixtures cover every text id and action id the hub declares', () => {
    expect([...new Set(all.map((r) => r.text.id))].sort()).toEqual([...RECOMMENDATION_TEXT_IDS].sort());
    expect([...new Set(all.map((r) => r.action.id))].sort()).toEqual([...RECOMMENDATION_ACTION_IDS].sort());
  });

  it.each(['en', 'ar'] as const)('every text, evidence label and action label has a %s template and renders with its params', (l) => {
    for (const r of all) {
      const v = render(r, l);
      const where = `${l} ${r.text.id}`;
      for (const [part, piece] of [['title', v.title], ['detail', v.detail], ['action', v.action], ...v.evidence.map((e) => [`evidence ${e.id}`, e.label] as const)] as const) {
        expect(piece.fallback, `${where} ${part}: no template`).toBe(false);
        expect(piece.text, `${where} ${part}: a placeholder left`).not.toMatch(/[{}]/);
        if (l === 'ar') {
          expect(piece.text, `${where} ${part}`).toMatch(ARABIC_LETTER);
          // Figures in Arabic-Indic digits: no Latin digit outside the names (p95, sha256: ...).
          expect(piece.text.replace(NAMES, '').replace(/p(50|95)/g, ''), `${where} ${part}: Latin digits`).not.toMatch(LATIN_DIGIT);
        }
      }
      for (const e of v.evidence) if (typeof r.evidence[e.id] === 'number' || typeof r.text.params[e.id] === 'number') expect(e.value, `${where} evidence ${e.id}`).toMatch(l === 'ar' ? ARABIC_INDIC : LATIN_DIGIT);
    }
  });

  it('writes the "no backup" finding in Arabic with Arabic-Indic digits, the binding\'s name as it is', () => {
    const solo = all.find((r) => r.text.id === 'no-backup.single')!;
    const v = render(solo, 'ar');
    expect(v.title.text).toBe('لا يوجد هدف احتياطي للارتباط \u2068solo\u2069');
    expect(v.action.text).toBe('إضافة هدف إلى \u2068solo\u2069');
    expect(v.evidence.map((e) => [e.label.text, e.value])).toEqual([['الأهداف', '١'], ['المزوّد', 'openai-main'], ['الطلبات في الفترة', '١٬٢٣٤']]);
    // English: the hub's sentences, figures through Intl.
    const e = render(solo, 'en');
    expect([e.title.text, e.detail.text, e.action.text]).toEqual([solo.title, solo.detail, solo.action.label]);
    expect(e.evidence.find((x) => x.id === 'requestsInPeriod')!.value).toBe('1,234');
  });

  it('formats money, shares, latency, days and times in the locale, in the owner\'s time zone', () => {
    const forecast = all.find((r) => r.text.id === 'budget-burn.forecast')!;
    expect(render(forecast, 'en').title.text).toBe('client web: at this rate the budget runs out May 20, 2026, 3:00 AM');
    expect(render(forecast, 'en').detail.text).toMatch(/^\$50\.00 of \$100\.00 spent in 30\.6% of the period \(policy p\): about \$5\.26 a day/);
    expect(render(forecast, 'ar').title.text).toMatch(/^العميل \u2068web\u2069: بهذا المعدل تنفد الميزانية في .*٢٠٢٦/);
    const spent = all.find((r) => r.text.id === 'budget-burn.spent' && r.text.params.onExceeded === 'block')!;
    expect(render(spent, 'en').detail.text).toBe('$120.00 spent of $100.00 (policy p); the period ends Jun 1, 2026, 12:00 AM. Requests are refused until then.');
    expect(render(spent, 'ar').detail.text).toContain('تُرفض الطلبات حتى ذلك الحين.');
    const quota = all.find((r) => r.text.id === 'key-quota.requests.used')!;
    expect(render(quota, 'en').title.text).toBe('openai-main: 85% of the request quota is used');
    expect(render(quota, 'ar').title.text).toBe('\u2068openai-main\u2069: استُخدم ٨٥٪؜ من حصة الطلبات');
    const slow = all.find((r) => r.text.id === 'slow-target')!;
    expect(render(slow, 'en').detail.text).toMatch(/^Its p95 latency was [\d.]+ sec over the period; the other targets' median p95 was \d+ ms \([\d.]+×\)/);
    const overdue = all.find((r) => r.text.id === 'key-rotation.overdue')!;
    expect(render(overdue, 'en').title.text).toBe('openai-main/primary: rotation is overdue by 40 days');
    expect(render(overdue, 'en').detail.text).toMatch(/^The key was last rotated January 1, 2026; openai-main rotates keys every 90 days\./);
    expect(render(overdue, 'ar').title.text).toContain('ومدة التأخير ٤٠ يومًا');
    const due = all.find((r) => r.text.id === 'key-rotation.due')!;
    expect(render(due, 'en').title.text).toBe(due.title);
    expect(render(due, 'ar').detail.text).toMatch(/^أُنشئ المفتاح في ١٨ فبراير ٢٠٢٦، ومدة تدوير المفاتيح لدى \u2068openai-main\u2069 هي ٩٠ يومًا\./);
  });

  it('falls back to the hub\'s English for a text, label or action it has no template for', () => {
    const solo = all.find((r) => r.text.id === 'no-backup.single')!;
    const newer = { ...solo, text: { id: 'from-a-newer-hub', params: { binding: 'solo' } }, evidence: { ...solo.evidence, 'a new figure': 3 }, action: { ...solo.action, id: 'something-new' } } as unknown as Recommendation;
    const v = render(newer, 'ar');
    expect(v.title).toEqual({ text: solo.title, fallback: true });
    expect(v.detail).toEqual({ text: solo.detail, fallback: true });
    expect(v.action).toEqual({ text: solo.action.label, fallback: true });
    expect(v.evidence.at(-1)).toEqual({ id: 'a new figure', label: { text: 'a new figure', fallback: true }, value: '٣' });
    // A hub without `text` at all.
    const { text: _, ...old } = solo;
    expect(render(old as Recommendation, 'ar').title).toEqual({ text: solo.title, fallback: true });
  });
});
