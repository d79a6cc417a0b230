// The period split by provider, binding, client, model or key (the by-selector), as a table.
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { BREAKDOWNS, paths, type AnalyticsQuery, type BreakdownAnswer, type BreakdownBy } from '../../lib/analytics.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { useRead } from './data.ts';
import BreakdownTable from './BreakdownTable.tsx';

export default function Breakdown({ q, f, onBy }: { q: AnalyticsQuery; f: Formats; onBy(by: BreakdownBy): void }) {
  const { data, error } = useRead<BreakdownAnswer>(paths.breakdown(q));
  return (
    <section class="an-section" aria-labelledby="an-breakdown-title">
      <div class="an-head">
        <h2 id="an-breakdown-title">{t('analytics.breakdown')}</h2>
        <div class="field an-inline-field">
          <label for="an-by">{t('analytics.by')}</label>
          <select id="an-by" value={q.by} onChange={(e) => onBy(e.currentTarget.value as BreakdownBy)}>
            {BREAKDOWNS.map((b) => <option key={b} value={b}>{t(`analytics.by.${b}`)}</option>)}
          </select>
        </div>
      </div>
      <ApiErrorView error={error} />
      {!data && !error ? <p role="status" class="an-muted">{t('analytics.loading')}</p> : null}
      {data ? <BreakdownTable answer={data} f={f} /> : null}
    </section>
  );
}
