// Status filter (all / active / degraded / error / disabled: the live health status, with counts) and category filter.
import { t } from '../../i18n/index.ts';
import type { Filter, StatusFilter } from '../../lib/providers.ts';

interface Props {
  filter: Filter;
  counts: Record<StatusFilter, number> | null;
  categories: string[];
  onChange: (update: (f: Filter) => Filter) => void;
}

const STATUS_FILTERS: StatusFilter[] = ['all', 'active', 'degraded', 'error', 'disabled'];

export default function Filters({ filter, counts, categories, onChange }: Props) {
  return (
    <div class="pv-filters">
      <div class="pv-segmented" role="group" aria-label={t('providers.filter.status')}>
        {STATUS_FILTERS.map((s) => (
          <button
            type="button"
            key={s}
            class={`pv-seg pv-seg-${s}`}
            aria-pressed={filter.status === s}
            onClick={() => onChange((f) => ({ ...f, status: s }))}
          >
            {t(`providers.status.${s}`)}
            {counts ? <span class="pv-count">{counts[s]}</span> : null}
          </button>
        ))}
      </div>
      <label class="pv-label" for="pv-category">{t('providers.filter.category')}</label>
      <select
        id="pv-category"
        value={filter.category}
        onChange={(e) => {
          const category = (e.currentTarget as HTMLSelectElement).value;
          onChange((f) => ({ ...f, category }));
        }}
      >
        <option value="">{t('providers.filter.allCategories')}</option>
        {categories.map((c) => <option key={c} value={c}>{t(`providers.category.${c}`) || c}</option>)}
      </select>
    </div>
  );
}
