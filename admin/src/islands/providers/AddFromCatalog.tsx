// Picking a template from the catalog (searchable, by category), then its generated form.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { CATEGORIES, queryTokens } from '../../lib/providers.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import CatalogFieldForm from './CatalogFieldForm.tsx';
import type { Template } from './types.ts';

interface Summary { id: string; name: string; category: string; description?: string; services: { id: string; name?: string }[] }

export default function AddFromCatalog({ environments, base, initial }: { environments: string[]; base: string; initial?: string }) {
  const [list, setList] = useState<(Summary & { hay: string })[] | null>(null);
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState('');
  const [picked, setPicked] = useState<Template | null>(null);
  const [error, setError] = useState<unknown>(null);

  const pick = (id: string) => api.get<{ template: Template }>(`/api/catalog/${id}`).then((r) => setPicked(r.template), setError);
  useEffect(() => {
    api.get<{ templates: Summary[] }>('/api/catalog').then((r) => setList(r.templates.map((s) => ({ ...s, hay: [s.id, s.name, s.category, s.description ?? '', ...s.services.flatMap((v) => [v.id, v.name ?? ''])].join('\u0000').toLowerCase() }))), setError);
    if (initial) void pick(initial);
  }, []);
  const shown = useMemo(() => {
    const words = queryTokens(query);
    return (list ?? []).filter((s) => (!category || s.category === category) && words.every((w) => s.hay.includes(w)));
  }, [list, query, category]);

  if (picked) {
    return (
      <div>
        <button type="button" class="button button-quiet pv-ghost" onClick={() => setPicked(null)}>← {t('providers.add.backToCatalog')}</button>
        <CatalogFieldForm key={picked.id} template={picked} environments={environments} base={base} />
      </div>
    );
  }
  return (
    <div class="pv-catalog">
      <div class="pv-toolbar">
        <div class="pv-search" role="search">
          <label class="pv-label" for="pv-cat-q">{t('providers.add.searchCatalog')}</label>
          <input id="pv-cat-q" type="search" value={query} autocomplete="off" placeholder={t('providers.add.searchPlaceholder')} onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <label class="pv-label" for="pv-cat-c">{t('providers.filter.category')}</label>
        <select id="pv-cat-c" value={category} onChange={(e) => setCategory((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('providers.filter.allCategories')}</option>
          {CATEGORIES.filter((c) => c !== 'Custom').map((c) => <option key={c} value={c}>{t(`providers.category.${c}`)}</option>)}
        </select>
      </div>
      {error ? <ApiErrorView error={error} /> : null}
      {list === null && !error ? <p role="status">{t('providers.loading')}</p> : null}
      <p class="pv-summary" role="status" aria-live="polite">{list ? t('providers.add.templates', { count: shown.length }) : ''}</p>
      <ul class="pv-cards pv-templates">
        {shown.map((s) => (
          <li key={s.id}>
            <button type="button" class="pv-card pv-template" onClick={() => void pick(s.id)} aria-label={t('providers.add.pick', { name: s.name })}>
              <span class="pv-card-title">{s.name}</span>
              <span class="pv-meta">{t(`providers.category.${s.category}`)} · {s.services.map((v) => v.name ?? v.id).slice(0, 3).join(', ')}</span>
              {s.description ? <span class="field-help pv-clamp">{s.description}</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
