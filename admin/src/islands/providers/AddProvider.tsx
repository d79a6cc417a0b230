// The Add provider page: from the catalog or a custom provider, as two tabs. `?template=<id>`
// opens a template's form directly; `?custom` the custom form.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import AddFromCatalog from './AddFromCatalog.tsx';
import CustomProviderForm from './CustomProviderForm.tsx';

type Tab = 'catalog' | 'custom';
const TABS: Tab[] = ['catalog', 'custom'];

export default function AddProvider() {
  const params = useMemo(() => new URLSearchParams(location.search), []);
  const [tab, setTab] = useState<Tab>(params.has('custom') ? 'custom' : 'catalog');
  const [env, setEnv] = useState<{ commit: string; names: string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const tabs = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api.get<{ commit: string; environments: { name: string }[] }>('/api/environments')
      .then((r) => setEnv({ commit: r.commit, names: r.environments.map((e) => e.name) }), setError);
  }, []);

  // Arrow keys move between the tabs (WAI-ARIA tabs pattern).
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const next = TABS[(TABS.indexOf(tab) + 1) % TABS.length];
    setTab(next);
    tabs.current?.querySelector<HTMLElement>(`#pv-tab-${next}`)?.focus();
  };

  return (
    <section class="pv-add" aria-labelledby="pv-add-title">
      <h1 id="pv-add-title">{t('providers.add.title')}</h1>
      <div class="pv-tabs" role="tablist" aria-label={t('providers.add.title')} ref={tabs} onKeyDown={onKey}>
        {TABS.map((k) => (
          <button key={k} id={`pv-tab-${k}`} type="button" role="tab" aria-selected={tab === k} aria-controls={`pv-panel-${k}`}
            tabIndex={tab === k ? 0 : -1} class="pv-tab" onClick={() => setTab(k)}>
            {t(`providers.add.tab.${k}`)}
          </button>
        ))}
      </div>
      {error ? <ApiErrorView error={error} /> : null}
      {env ? (
        <div id={`pv-panel-${tab}`} role="tabpanel" aria-labelledby={`pv-tab-${tab}`} class="pv-panel">
          {tab === 'catalog'
            ? <AddFromCatalog environments={env.names} base={env.commit} initial={params.get('template') ?? undefined} />
            : <CustomProviderForm environments={env.names} base={env.commit} />}
        </div>
      ) : !error ? <p role="status">{t('providers.loading')}</p> : null}
    </section>
  );
}
