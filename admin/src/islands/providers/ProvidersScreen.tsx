// The main screen: every provider with its status, instant search, status and category
// filters, cards / list / details views, and the Add provider, Import and Export actions.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { t } from '../../i18n/index.ts';
import { applyHealth, categoriesOf, filterProviders, indexProviders, parseState, stateToSearch, statusCounts, type Filter, type Indexed, type ProviderSummary, type View } from '../../lib/providers.ts';
import { addHref } from './links.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import SearchBar from './SearchBar.tsx';
import Filters from './Filters.tsx';
import ViewSwitch from './ViewSwitch.tsx';
import ProviderList from './ProviderList.tsx';
import ImportDialog from './ImportDialog.tsx';
import ExportButton from './ExportButton.tsx';

const VIEW_KEY = 'sil.providers.view';
const HEALTH_POLL_MS = 5000;
const storedView = (): View => {
  try {
    return (localStorage.getItem(VIEW_KEY) as View | null) ?? 'cards';
  } catch {
    return 'cards';
  }
};

export default function ProvidersScreen() {
  const initial = useMemo(() => parseState(location.search, storedView()), []);
  const [index, setIndex] = useState<Indexed[] | null>(null);
  const [commit, setCommit] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState<Filter>({ query: initial.query, status: initial.status, category: initial.category });
  const [view, setView] = useState<View>(initial.view);

  const load = () =>
    api.get<{ commit: string; providers: ProviderSummary[] }>('/api/providers').then((r) => {
      setIndex(indexProviders(r.providers));
      setCommit(r.commit);
      setError(null);
    }, setError);
  useEffect(() => void load(), []);
  // Live status: the health monitor every few seconds (a failed poll keeps the last statuses).
  useEffect(() => {
    const poll = () => api.get<{ providers: { provider: string; status: 'active' | 'degraded' | 'error' | 'disabled'; reason: string; since: number }[] }>('/api/health')
      .then((r) => setIndex((i) => (i ? applyHealth(i, r.providers) : i)), () => {});
    const timer = setInterval(poll, HEALTH_POLL_MS);
    return () => clearInterval(timer);
  }, []);

  // The address keeps the search and filters (shareable, kept on reload): at once for a click,
  // when typing pauses for the search (a reload right after a click keeps what was clicked).
  const typed = useRef(initial.query);
  useEffect(() => {
    const write = () => {
      typed.current = filter.query;
      history.replaceState(history.state, '', `${location.pathname}${stateToSearch(filter, view)}`);
    };
    if (filter.query === typed.current) return write();
    const timer = setTimeout(write, 250);
    return () => clearTimeout(timer);
  }, [filter, view]);
  const changeView = (v: View) => {
    setView(v);
    try {
      localStorage.setItem(VIEW_KEY, v);
    } catch { /* private mode */ }
  };

  const shown = useMemo(() => (index ? filterProviders(index, filter) : []), [index, filter]);
  const counts = useMemo(() => (index ? statusCounts(index) : null), [index]);
  const categories = useMemo(() => (index ? categoriesOf(index) : []), [index]);

  return (
    <section class="pv-screen" aria-labelledby="pv-title">
      <header class="pv-head">
        <h1 id="pv-title">{t('providers.title')}</h1>
        <div class="pv-actions">
          <a class="button" href={addHref}>{t('providers.add')}</a>
          <ImportDialog onImported={() => void load()} />
          <ExportButton />
        </div>
      </header>
      {error ? <ApiErrorView error={error} /> : null}
      <div class="pv-toolbar">
        <SearchBar value={filter.query} onInput={(query) => setFilter((f) => ({ ...f, query }))} />
        <Filters filter={filter} counts={counts} categories={categories} onChange={setFilter} />
        <ViewSwitch view={view} onChange={changeView} />
      </div>
      {index === null && !error ? <p class="pv-loading" role="status">{t('providers.loading')}</p> : null}
      {index !== null ? <ProviderList items={shown} total={index.length} view={view} filterKey={`${filter.query}|${filter.status}|${filter.category}`} commit={commit} /> : null}
    </section>
  );
}
