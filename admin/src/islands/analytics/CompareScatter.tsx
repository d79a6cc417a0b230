// A small scatter of a binding's targets (SVG: a handful of labelled points, which uPlot has no
// labels for): both axes from zero, three ticks each, values through the page's formats. Laid out
// left to right in Arabic as well, like the time charts. Targets without a figure are named below.
import { t } from '../../i18n/index.ts';
import { COLORS } from '../../lib/analytics-charts.ts';

interface Axis { label: string; format(v: number): string; range?: [number, number] }
export interface ScatterProps {
  id: string;
  title: string;
  hint: string;
  x: Axis;
  y: Axis;
  points: { label: string; x: number | null; y: number | null }[];
}

const W = 360, H = 230, L = 70, R = 16, T = 14, B = 40;
const PALETTE = [COLORS.accent, COLORS.warn, COLORS.teal, COLORS.pink, COLORS.danger, COLORS.ok];
const top = (a: Axis, values: number[]) => a.range?.[1] ?? (Math.max(0, ...values) * 1.15 || 1);

export default function CompareScatter({ id, title, hint, x, y, points }: ScatterProps) {
  const drawn = points.map((p, i) => ({ ...p, color: PALETTE[i % PALETTE.length] })).filter((p): p is typeof p & { x: number; y: number } => p.x !== null && p.y !== null);
  const missing = points.filter((p) => p.x === null || p.y === null);
  const xMax = top(x, drawn.map((p) => p.x));
  const yMax = top(y, drawn.map((p) => p.y));
  const px = (v: number) => L + (v / xMax) * (W - L - R);
  const py = (v: number) => H - B - (v / yMax) * (H - B - T);
  const ticks = [0, 0.5, 1];
  return (
    <figure class="an-scatter card" data-scatter={id}>
      <figcaption class="an-chart-title" id={`an-sc-${id}`}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`an-sc-${id}`} dir="ltr" class="an-scatter-svg">
        {ticks.map((k) => (
          <g key={k}>
            <line class="an-grid" x1={L} x2={W - R} y1={py(k * yMax)} y2={py(k * yMax)} />
            <text class="an-tick" x={L - 6} y={py(k * yMax) + 4} text-anchor="end">{y.format(k * yMax)}</text>
            <line class="an-grid" x1={px(k * xMax)} x2={px(k * xMax)} y1={T} y2={H - B} />
            <text class="an-tick" x={px(k * xMax)} y={H - B + 15} text-anchor={k === 0 ? 'start' : k === 1 ? 'end' : 'middle'}>{x.format(k * xMax)}</text>
          </g>
        ))}
        <text class="an-axis-label" x={(L + W - R) / 2} y={H - 4} text-anchor="middle">{x.label}</text>
        <text class="an-axis-label" x={12} y={(T + H - B) / 2} text-anchor="middle" transform={`rotate(-90 12 ${(T + H - B) / 2})`}>{y.label}</text>
        {drawn.map((p) => (
          <g key={p.label} data-point={p.label}>
            <circle cx={px(p.x)} cy={py(p.y)} r={6} fill={p.color} />
            <title>{`${p.label}: ${x.label} ${x.format(p.x)}, ${y.label} ${y.format(p.y)}`}</title>
          </g>
        ))}
      </svg>
      <ul class="an-scatter-legend">
        {drawn.map((p) => (
          <li key={p.label}><span class="an-dot" aria-hidden="true" style={{ background: p.color }} /><code dir="ltr">{p.label}</code> {x.format(p.x)} · {y.format(p.y)}</li>
        ))}
        {missing.map((p) => <li key={p.label} class="an-muted"><code dir="ltr">{p.label}</code> {t('analytics.compare.noFigure')}</li>)}
      </ul>
      <p class="an-muted an-hint">{hint}</p>
    </figure>
  );
}
