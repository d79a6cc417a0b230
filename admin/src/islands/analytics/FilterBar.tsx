// The filters: binding, provider, client and model, each "all" or one name. A name in the address
// bar that the lists do not (or no longer) hold stays selectable.
import { t } from '../../i18n/index.ts';
import { FILTERS, type AnalyticsQuery } from '../../lib/analytics.ts';
import type { Choices } from './data.ts';

export interface FilterBarProps {
  q: AnalyticsQuery;
  choices: Choices | null;
  onChange(filter: AnalyticsQuery['filter']): void;
}

export default function FilterBar({ q, choices, onChange }: FilterBarProps) {
  const set = (name: (typeof FILTERS)[number], value: string) => {
    const next = { ...q.filter };
    if (value) next[name] = value;
    else delete next[name];
    onChange(next);
  };
  return (
    <div class="an-filters" role="group" aria-label={t('analytics.filters')}>
      {FILTERS.map((name) => {
        const current = q.filter[name] ?? '';
        const options = choices?.[name] ?? [];
        const all = current && !options.includes(current) ? [current, ...options] : options;
        return (
          <div class="field" key={name}>
            <label for={`an-filter-${name}`}>{t(`analytics.filter.${name}`)}</label>
            <select id={`an-filter-${name}`} value={current} onChange={(e) => set(name, e.currentTarget.value)}>
              <option value="">{t('analytics.filter.all')}</option>
              {all.map((v) => <option key={v} value={v}>{v}</option>)}
            </select>
          </div>
        );
      })}
    </div>
  );
}
