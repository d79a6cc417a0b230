// The period's automatic recommendations (GET /api/analytics/recommendations).
import { t } from '../../i18n/index.ts';
import { paths, type AnalyticsQuery, type RecommendationsAnswer } from '../../lib/analytics.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { useRead } from './data.ts';
import RecommendationList from './RecommendationList.tsx';

export default function Recommendations({ q }: { q: AnalyticsQuery }) {
  const { data, error } = useRead<RecommendationsAnswer>(paths.recommendations(q));
  return (
    <section class="an-section" aria-labelledby="an-rec-title">
      <h2 id="an-rec-title">{t('analytics.recommendations')}</h2>
      <ApiErrorView error={error} />
      {!data && !error ? <p role="status" class="an-muted">{t('analytics.loading')}</p> : null}
      {data ? <RecommendationList items={data.items} /> : null}
    </section>
  );
}
