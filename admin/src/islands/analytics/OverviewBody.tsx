// An overview answer drawn: the period (from–to in the hub's time zone), the tiles, the charts
// and costs in other currencies; "no traffic" instead when the period has none. Shared by the
// analytics screen and the printable report.
import { useMemo } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { hasTraffic, overviewCharts } from '../../lib/analytics-charts.ts';
import type { OverviewAnswer } from '../../lib/analytics.ts';
import SummaryTiles from './SummaryTiles.tsx';
import TimeChart from './TimeChart.tsx';

export default function OverviewBody({ o, f }: { o: OverviewAnswer; f: Formats }) {
  const charts = useMemo(() => overviewCharts(o, f), [o, f]);
  return (
    <>
      <p class="an-window an-muted" data-testid="an-window">
        {t('analytics.window', { from: f.dateTime(o.from, o.timeZone), to: f.dateTime(o.to, o.timeZone), zone: o.timeZone })}
      </p>
      {hasTraffic(o) ? (
        <>
          <SummaryTiles s={o.totals} f={f} currency={o.currency} />
          {o.otherCurrencies.length ? (
            <p class="an-muted">{t('analytics.otherCurrencies', { list: o.otherCurrencies.map((c) => f.money(c.cost, c.currency)).join(' · ') })}</p>
          ) : null}
          <div class="an-charts">
            {charts.map((c) => <TimeChart key={c.id} spec={c} f={f} step={o.step} timeZone={o.timeZone} />)}
          </div>
        </>
      ) : (
        <p class="an-empty" data-testid="an-empty">{t('analytics.empty')}</p>
      )}
    </>
  );
}
