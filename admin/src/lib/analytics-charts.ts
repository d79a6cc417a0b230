// The overview's charts as data: which series each chart draws, in what colour and with which
// value format. Pure (no uPlot, no DOM): islands/analytics/TimeChart.tsx turns a spec into a
// uPlot chart. Colours read well on both themes' backgrounds.
import { t } from '../i18n/index.ts';
import type { Formats } from './analytics-format.ts';
import type { OverviewAnswer } from './analytics.ts';

export const COLORS = { accent: '#6366f1', danger: '#dc2626', ok: '#16a34a', warn: '#d97706', teal: '#0d9488', pink: '#db2777' };

export interface SeriesSpec {
  label: string;
  color: string;
  values: (number | null)[];
  /** Draw as a filled area (counts) rather than a line. */
  fill?: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  t: number[];
  series: SeriesSpec[];
  /** How a y value is written (axis and legend). */
  format: (v: number | null) => string;
  /** Fixed y range (percentages), else from the data starting at 0. */
  range?: [number, number];
}

export function overviewCharts(o: OverviewAnswer, f: Formats): ChartSpec[] {
  const s = o.series;
  const count = (v: number | null) => f.compact(v);
  return [
    {
      id: 'requests',
      title: t('analytics.chart.requests'),
      t: s.t,
      series: [
        { label: t('analytics.series.requests'), color: COLORS.accent, values: s.requests, fill: true },
        { label: t('analytics.series.errors'), color: COLORS.danger, values: s.errors, fill: true },
      ],
      format: count,
    },
    {
      id: 'success',
      title: t('analytics.chart.success'),
      t: s.t,
      series: [{ label: t('analytics.series.successRate'), color: COLORS.ok, values: s.successRate }],
      format: (v) => f.percent(v),
      range: [0, 1],
    },
    {
      id: 'latency',
      title: t('analytics.chart.latency'),
      t: s.t,
      series: [
        { label: 'p50', color: COLORS.teal, values: s.p50Ms },
        { label: 'p95', color: COLORS.warn, values: s.p95Ms },
        { label: 'p99', color: COLORS.danger, values: s.p99Ms },
      ],
      format: (v) => f.ms(v),
    },
    {
      id: 'cost',
      title: t('analytics.chart.cost', { currency: o.currency }),
      t: s.t,
      series: [{ label: t('analytics.series.cost'), color: COLORS.pink, values: s.cost, fill: true }],
      format: (v) => f.money(v, o.currency),
    },
    {
      id: 'tokens',
      title: t('analytics.chart.tokens'),
      t: s.t,
      series: [
        { label: t('analytics.series.inputTokens'), color: COLORS.accent, values: s.inputTokens },
        { label: t('analytics.series.outputTokens'), color: COLORS.teal, values: s.outputTokens },
      ],
      format: count,
    },
  ];
}

/** Whether a period had any traffic worth drawing. */
export const hasTraffic = (o: OverviewAnswer): boolean => o.totals.requests > 0;
