// The targets of one binding side by side: cost against performance, speed against quality, and
// the table. The binding is picked from the list (the filter's binding, else the first one).
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { paths, type AnalyticsQuery, type CompareAnswer } from '../../lib/analytics.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { useRead } from './data.ts';
import CompareViews from './CompareViews.tsx';

export interface ComparePanelProps {
  q: AnalyticsQuery;
  f: Formats;
  bindings: string[];
  onPick(binding: string): void;
}

export default function ComparePanel({ q, f, bindings, onPick }: ComparePanelProps) {
  const binding = q.compare ?? q.filter.binding ?? bindings[0] ?? null;
  const { data, error } = useRead<CompareAnswer>(binding ? paths.compare(q, binding) : null);
  const options = binding && !bindings.includes(binding) ? [binding, ...bindings] : bindings;
  return (
    <section class="an-section" aria-labelledby="an-compare-title">
      <div class="an-head">
        <h2 id="an-compare-title">{t('analytics.compare')}</h2>
        {options.length ? (
          <div class="field an-inline-field">
            <label for="an-compare">{t('analytics.compare.binding')}</label>
            <select id="an-compare" value={binding ?? ''} onChange={(e) => onPick(e.currentTarget.value)}>
              {options.map((b) => <option key={b} value={b}>{b}</option>)}
            </select>
          </div>
        ) : null}
      </div>
      <p class="an-muted">{t('analytics.compare.intro')}</p>
      {!binding ? <p class="an-empty">{t('analytics.compare.none')}</p> : null}
      <ApiErrorView error={error} />
      {binding && !data && !error ? <p role="status" class="an-muted">{t('analytics.loading')}</p> : null}
      {data ? <CompareViews c={data} f={f} /> : null}
    </section>
  );
}
