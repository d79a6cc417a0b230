// The answers of the analytics API (/api/analytics/...), shared by the server and the console.
// Times are epoch milliseconds; latency in ms; cost in `currency` (rows of other currencies are
// reported separately in `otherCurrencies`, never added up).

export type PeriodName = '1h' | '24h' | '7d' | '30d' | 'custom';
export type BreakdownBy = 'provider' | 'binding' | 'client' | 'model' | 'key';

export interface Summary {
  requests: number;
  ok: number;
  errors: number;
  limited: number;
  /** ok / requests, 0..1; null without requests. */
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  avgLatencyMs: number | null;
  attempts: number;
  failovers: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  /** Average caller score 0..1, null without feedback. */
  score: number | null;
  scoreCount: number;
}

export interface Window {
  period: PeriodName;
  from: number;
  to: number;
  /** The rollup the series uses and the width of one point. */
  step: 'minute' | 'hour' | 'day';
  stepMs: number;
  timeZone: string;
  currency: string;
  filter: { binding?: string; provider?: string; client?: string; model?: string };
}

/** GET /api/analytics/overview */
export interface OverviewAnswer extends Window {
  totals: Summary;
  series: {
    t: number[];
    requests: number[];
    errors: number[];
    successRate: (number | null)[];
    p50Ms: (number | null)[];
    p95Ms: (number | null)[];
    p99Ms: (number | null)[];
    inputTokens: number[];
    outputTokens: number[];
    cost: number[];
  };
  otherCurrencies: { currency: string; cost: number }[];
}

/** GET /api/analytics/breakdown?by=... */
export interface BreakdownAnswer extends Window {
  by: BreakdownBy;
  rows: (Summary & { key: string; label: string })[];
}

/** GET /api/analytics/compare?binding=... — the targets of one binding side by side. */
export interface CompareAnswer extends Window {
  binding: string;
  targets: (Summary & {
    provider: string;
    model: string;
    /** Place in the binding's order (0 = first), null when no longer a target. */
    order: number | null;
    costPerRequest: number | null;
    /** successRate, blended with the caller score when there is feedback: 0..1. */
    quality: number | null;
  })[];
}

export type RecommendationKind = 'cheaper-target' | 'slow-target' | 'no-backup' | 'key-quota' | 'budget-burn' | 'key-rotation';

/**
 * One id per sentence form of a recommendation's title and detail: with `params` a client writes
 * them in its own language (the console does, admin/src/i18n/analytics.*.ts).
 */
export const RECOMMENDATION_TEXT_IDS = [
  'cheaper-target',
  'slow-target',
  'no-backup.single',
  'no-backup.same-provider',
  'key-quota.requests.used',
  'key-quota.requests.spent',
  'key-quota.tokens.used',
  'key-quota.tokens.spent',
  'budget-burn.spent',
  'budget-burn.forecast',
  'key-rotation.due',
  'key-rotation.due-today',
  'key-rotation.overdue',
] as const;
export type RecommendationTextId = (typeof RECOMMENDATION_TEXT_IDS)[number];

/** One id per action label form (its params are the recommendation's `text.params`). */
export const RECOMMENDATION_ACTION_IDS = ['reorder-targets', 'edit-binding', 'add-target', 'open-provider', 'open-subject', 'rotate-key'] as const;
export type RecommendationActionId = (typeof RECOMMENDATION_ACTION_IDS)[number];

/**
 * The machine-readable form of a recommendation's texts: raw values, never formatted — names as
 * they are, counts and amounts as numbers, shares as 0..1, times as epoch ms (with `timeZone`),
 * amounts with their `currency`; a few params are words from a closed set (e.g. `onExceeded`:
 * block | alert). An evidence entry whose id is also a param has its raw value there.
 */
export interface RecommendationText {
  id: RecommendationTextId;
  params: Record<string, string | number>;
}

/** GET /api/analytics/recommendations */
export interface Recommendation {
  /** Stable for the same finding (kind + subject), so the console can key on it. */
  id: string;
  kind: RecommendationKind;
  severity: 'info' | 'warning' | 'critical';
  /** English texts, for API users; `text` is the same in a form to translate. */
  title: string;
  detail: string;
  text: RecommendationText;
  /** The figures the finding rests on, stable id (e.g. requestsInPeriod) → value (a small table). */
  evidence: Record<string, string | number>;
  /** One action: a console path (e.g. /bindings?edit=chat) with a label (English) and its id. */
  action: { id: RecommendationActionId; label: string; href: string };
}

export interface RecommendationsAnswer extends Window {
  items: Recommendation[];
}
