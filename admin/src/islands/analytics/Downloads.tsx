// The period's report: CSV and JSON downloads (GET /api/analytics/report, an attachment) and the
// printable page of the same period and filters.
import { t } from '../../i18n/index.ts';
import { paths, type AnalyticsQuery } from '../../lib/analytics.ts';

export default function Downloads({ q }: { q: AnalyticsQuery }) {
  return (
    <div class="an-downloads" role="group" aria-label={t('analytics.report')}>
      <a class="button button-quiet" href={paths.report(q, 'csv')} download="" data-download="csv">{t('analytics.download.csv')}</a>
      <a class="button button-quiet" href={paths.report(q, 'json')} download="" data-download="json">{t('analytics.download.json')}</a>
      <a class="button button-quiet" href={paths.printable(q)} data-printable>{t('analytics.printable')}</a>
    </div>
  );
}
