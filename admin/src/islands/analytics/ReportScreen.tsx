// The printable report of a period (/analytics/report?period=…&binding=…): its window, totals
// and charts, the breakdowns by provider, binding, client and model, and the recommendations.
// "Print / save as PDF" opens the browser's print dialog; styles/analytics.css has the print rules.
import { useMemo } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { paths, parseQuery, searchOf, type BreakdownBy, type OverviewAnswer, type RecommendationsAnswer } from '../../lib/analytics.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { pageFormats, useRead } from './data.ts';
import OverviewBody from './OverviewBody.tsx';
import ReportBreakdown from './ReportBreakdown.tsx';
import RecommendationList from './RecommendationList.tsx';

const SECTIONS: BreakdownBy[] = ['provider', 'binding', 'client', 'model'];

export default function ReportScreen() {
  const q = useMemo(() => parseQuery(location.search), []);
  const f = useMemo(pageFormats, []);
  const overview = useRead<OverviewAnswer>(paths.overview(q));
  const recs = useRead<RecommendationsAnswer>(paths.recommendations(q));
  const filters = Object.entries(q.filter).map(([k, v]) => `${t(`analytics.filter.${k}`)}: ${v}`);
  return (
    <article class="an-report">
      <div class="an-report-tools">
        <button type="button" class="button" onClick={() => window.print()}>{t('analytics.print')}</button>
        <a class="button button-quiet" href={`/analytics${searchOf(q)}`}>{t('analytics.back')}</a>
      </div>
      <p class="an-muted">
        {t(`analytics.period.${q.period}`)}{filters.length ? ` · ${filters.join(' · ')}` : ''} · {t('analytics.generated', { at: f.dateTime(Date.now(), overview.data?.timeZone ?? 'UTC') })}
      </p>
      <section class="an-section an-report-section" aria-labelledby="an-r-overview">
        <h2 id="an-r-overview">{t('analytics.overview')}</h2>
        <ApiErrorView error={overview.error} />
        {!overview.data && !overview.error ? <p role="status" class="an-muted">{t('analytics.loading')}</p> : null}
        {overview.data ? <OverviewBody o={overview.data} f={f} /> : null}
      </section>
      {SECTIONS.map((by) => (
        <ReportBreakdown key={by} path={paths.breakdown(q, by)} by={by} f={f} />
      ))}
      <section class="an-section an-report-section" aria-labelledby="an-r-recs">
        <h2 id="an-r-recs">{t('analytics.recommendations')}</h2>
        <ApiErrorView error={recs.error} />
        {recs.data ? <RecommendationList items={recs.data.items} links={false} /> : null}
      </section>
    </article>
  );
}
