// The period at a glance: the summary tiles and the charts over time, or "no traffic" when the
// period has none (no empty charts), or the API's error.
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { paths, type AnalyticsQuery, type OverviewAnswer } from '../../lib/analytics.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { useRead } from './data.ts';
import OverviewBody from './OverviewBody.tsx';

export default function Overview({ q, f }: { q: AnalyticsQuery; f: Formats }) {
  const { data, error } = useRead<OverviewAnswer>(paths.overview(q));
  return (
    <section class="an-section" aria-labelledby="an-overview-title">
      <h2 id="an-overview-title">{t('analytics.overview')}</h2>
      <ApiErrorView error={error} />
      {!data && !error ? <p role="status" class="an-muted">{t('analytics.loading')}</p> : null}
      {data ? <OverviewBody o={data} f={f} /> : null}
    </section>
  );
}
