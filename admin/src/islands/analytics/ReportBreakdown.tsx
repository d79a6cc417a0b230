// One breakdown of the printable report: its heading and table (or the API's error).
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import type { BreakdownAnswer, BreakdownBy } from '../../lib/analytics.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { useRead } from './data.ts';
import BreakdownTable from './BreakdownTable.tsx';

export default function ReportBreakdown({ path, by, f }: { path: string; by: BreakdownBy; f: Formats }) {
  const { data, error } = useRead<BreakdownAnswer>(path);
  return (
    <section class="an-section an-report-section" aria-labelledby={`an-r-${by}`} data-report-by={by}>
      <h2 id={`an-r-${by}`}>{t('analytics.report.by', { by: t(`analytics.by.${by}`) })}</h2>
      <ApiErrorView error={error} />
      {data ? <BreakdownTable answer={data} f={f} /> : null}
    </section>
  );
}
