// One uPlot chart over time from a ChartSpec (lib/analytics-charts.ts): numbers and times through
// Intl in the console's locale (axis labels and legend), times in the hub's time zone, and the
// width of its container (a ResizeObserver resizes it: phones, the sidebar folding). The time
// axis runs left to right in Arabic too (docs/console.md says why); the value axis sits on the
// page's starting side (right in Arabic).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ChartSpec } from '../../lib/analytics-charts.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { dir, t } from '../../i18n/index.ts';

export interface TimeChartProps {
  spec: ChartSpec;
  f: Formats;
  step: 'minute' | 'hour' | 'day';
  timeZone: string;
  height?: number;
}

/** Points are drawn where a line alone would not show: a series with few values (or lone ones between gaps). */
const few = (values: (number | null)[]) => values.filter((v) => v !== null).length <= 48;

/** Room for the longest value label (money with many decimals is wide), estimated from its length. */
const labelWidth = (values: string[] | null) => Math.max(48, Math.max(0, ...(values ?? []).map((v) => v.length)) * 7 + 18);

function options(p: TimeChartProps, width: number, ink: string, grid: string): uPlot.Options {
  const { spec, f, step, timeZone } = p;
  const value = (_u: uPlot, v: number | null) => spec.format(v);
  const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width,
    height: p.height ?? 200,
    ms: 1,
    tzDate: (ts) => uPlot.tzDate(new Date(ts), timeZone),
    cursor: { points: { size: 6 } },
    scales: { x: { time: true }, y: { range: spec.range ?? ((_u, _min, max) => [0, max > 0 ? max * 1.1 : 1]) } },
    axes: [
      { ...axis, values: (_u, splits) => splits.map((v) => f.time(v, step, timeZone)) },
      { ...axis, side: dir() === 'rtl' ? 1 : 3, size: (_u, values) => labelWidth(values), values: (_u, splits) => splits.map((v) => spec.format(v)) },
    ],
    series: [
      { label: t('analytics.series.time'), value: (_u, v) => (v === null ? '—' : f.dateTime(v, timeZone)) },
      ...spec.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, value, ...(s.fill ? { fill: `${s.color}26` } : {}), points: { show: few(s.values) } })),
    ],
  };
}

export default function TimeChart(p: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const style = getComputedStyle(el);
    const data: uPlot.AlignedData = [p.spec.t, ...p.spec.series.map((s) => s.values)];
    const width = () => Math.max(240, Math.floor(el.clientWidth));
    const plot = new uPlot(options(p, width(), style.color, style.borderTopColor), data, el);
    const observer = new ResizeObserver(() => {
      if (Math.abs(plot.width - width()) > 1) plot.setSize({ width: width(), height: plot.height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [p.spec, p.f, p.step, p.timeZone]);
  return (
    <figure class="an-chart card" data-chart={p.spec.id}>
      <figcaption class="an-chart-title">{p.spec.title}</figcaption>
      <div class="an-chart-plot" ref={box} dir="ltr" />
    </figure>
  );
}
