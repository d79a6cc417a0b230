// The period's totals as tiles: requests (errors, refused by limits), success rate, latency
// percentiles, cost and tokens. They wrap onto more rows on narrow screens.
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import type { Summary } from '../../lib/analytics.ts';

interface Tile { id: string; label: string; value: string; sub?: string }

export default function SummaryTiles({ s, f, currency }: { s: Summary; f: Formats; currency: string }) {
  const tiles: Tile[] = [
    { id: 'requests', label: t('analytics.tile.requests'), value: f.number(s.requests), sub: t('analytics.tile.requests.sub', { errors: f.number(s.errors), limited: f.number(s.limited) }) },
    { id: 'success', label: t('analytics.tile.success'), value: f.percent(s.successRate), sub: t('analytics.tile.success.sub', { failovers: f.number(s.failovers) }) },
    { id: 'p50', label: t('analytics.tile.p50'), value: f.ms(s.p50Ms) },
    { id: 'p95', label: t('analytics.tile.p95'), value: f.ms(s.p95Ms) },
    { id: 'p99', label: t('analytics.tile.p99'), value: f.ms(s.p99Ms) },
    { id: 'cost', label: t('analytics.tile.cost'), value: f.money(s.cost, currency) },
    { id: 'tokens', label: t('analytics.tile.tokens'), value: f.number(s.inputTokens + s.outputTokens), sub: t('analytics.tile.tokens.sub', { input: f.number(s.inputTokens), output: f.number(s.outputTokens) }) },
  ];
  if (s.score !== null) tiles.push({ id: 'score', label: t('analytics.tile.score'), value: f.percent(s.score), sub: t('analytics.tile.score.sub', { count: f.number(s.scoreCount) }) });
  return (
    <dl class="an-tiles">
      {tiles.map((x) => (
        <div class="an-tile card" key={x.id} data-tile={x.id}>
          <dt class="an-tile-label">{x.label}</dt>
          <dd class="an-tile-value">{x.value}</dd>
          {x.sub ? <dd class="an-tile-sub">{x.sub}</dd> : null}
        </div>
      ))}
    </dl>
  );
}
