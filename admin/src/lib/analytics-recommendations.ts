// A recommendation's texts in the console's language: the hub sends each one in English (title,
// detail, evidence labels, action label) and in a machine-readable form — `text.id` with raw
// `params`, evidence ids, `action.id` — which this writes through the templates of
// i18n/analytics.<lang>.ts:
//   analytics.rec.<text id>.title / .detail    the sentences, {param} placeholders
//   analytics.rec.evidence.<evidence id>       an evidence label (may use params too)
//   analytics.rec.action.<action id>           the action button's label
//   analytics.rec.choice.<param>.<value>       a word or clause for a param from a closed set
// Numbers, money, shares, latency, days and times are formatted with Intl in the page's locale
// (Arabic-Indic digits in Arabic); names (bindings, providers, keys) are kept as they are, in
// Unicode isolates where the text runs right to left. Where a template is missing (a finding
// newer than the console) the hub's English text is shown. Pure: the dictionary is given.
import type { Recommendation } from './analytics.ts';
import type { Formats } from './analytics-format.ts';

/** A template of the page's language, or undefined. */
export type Lookup = (key: string) => string | undefined;

type ParamFormat = 'number' | 'percent' | 'money' | 'ms' | 'dateTime' | 'date' | 'days' | 'choice';

/** How a param is written, by name (params not named here: numbers as numbers, text as is). */
export const PARAM_FORMATS: Readonly<Record<string, ParamFormat>> = {
  less: 'percent', preferredQuality: 'percent', cheaperQuality: 'percent', successRate: 'percent', share: 'percent', spentShare: 'percent', periodPassed: 'percent',
  preferredCostPerRequest: 'money', cheaperCostPerRequest: 'money', saving: 'money', spent: 'money', budget: 'money', perDay: 'money',
  p95Ms: 'ms', peerP95Ms: 'ms', p50Ms: 'ms',
  renewsAt: 'dateTime', periodEndsAt: 'dateTime', exhaustAt: 'dateTime',
  // Key dates are calendar days (UTC, as the hub writes them in its evidence).
  rotated: 'date', created: 'date',
  rotationDays: 'days', daysUntilDue: 'days', daysOverdue: 'days',
  subjectKind: 'choice', onExceeded: 'choice', sinceEvent: 'choice',
};

/** One text of a recommendation; `fallback` when it is the hub's English (no template). */
export interface Piece {
  text: string;
  fallback: boolean;
}

export interface RecommendationView {
  title: Piece;
  detail: Piece;
  evidence: { id: string; label: Piece; value: string }[];
  action: Piece;
}

type Params = Record<string, string | number>;

// First strong isolate … pop directional isolate: a Latin name inside Arabic keeps its own order.
const isolated = (s: string) => `\u2068${s}\u2069`;

function formatValue(name: string, value: string | number, params: Params, f: Formats): string {
  if (typeof value !== 'number') return value;
  switch (PARAM_FORMATS[name]) {
    case 'percent': return f.percent(value);
    case 'money': return f.money(value, typeof params.currency === 'string' ? params.currency : 'USD');
    case 'ms': return f.ms(value);
    case 'dateTime': return f.dateTime(value, typeof params.timeZone === 'string' ? params.timeZone : 'UTC');
    case 'date': return f.date(value, 'UTC');
    case 'days': return f.days(value);
    default: return f.number(value, 2);
  }
}

/** `template` with each {param} written in the page's language; unknown placeholders stay. */
export function fill(template: string, params: Params, lookup: Lookup, f: Formats, isolate: boolean, depth = 0): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    if (!Object.hasOwn(params, name)) return m;
    const value = params[name];
    if (PARAM_FORMATS[name] === 'choice') {
      const clause = lookup(`analytics.rec.choice.${name}.${value}`);
      // A clause may hold placeholders of its own (one level deep).
      if (clause !== undefined) return depth ? clause : fill(clause, params, lookup, f, isolate, depth + 1);
      return String(value);
    }
    if (typeof value === 'string') return isolate ? isolated(value) : value;
    return formatValue(name, value, params, f);
  });
}

/** The recommendation's texts in the page's language (`isolate` for right-to-left pages). */
export function recommendationView(r: Recommendation, lookup: Lookup, f: Formats, isolate = false): RecommendationView {
  const params: Params = r.text?.params ?? {};
  const piece = (key: string | null, english: string): Piece => {
    const template = key === null ? undefined : lookup(key);
    return template === undefined ? { text: english, fallback: true } : { text: fill(template, params, lookup, f, isolate), fallback: false };
  };
  const id = r.text?.id;
  return {
    title: piece(id ? `analytics.rec.${id}.title` : null, r.title),
    detail: piece(id ? `analytics.rec.${id}.detail` : null, r.detail),
    evidence: Object.entries(r.evidence).map(([key, value]) => ({
      id: key,
      label: piece(`analytics.rec.evidence.${key}`, key),
      value: formatValue(key, Object.hasOwn(params, key) ? params[key] : value, params, f),
    })),
    action: piece(r.action.id ? `analytics.rec.action.${r.action.id}` : null, r.action.label),
  };
}
