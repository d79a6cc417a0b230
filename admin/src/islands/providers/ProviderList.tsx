// The filtered providers in the chosen view. Only the first rows are rendered, more as the
// list scrolls into view (or with "Show more"), so a keystroke re-renders a light DOM even with
// hundreds of providers.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { Indexed, View } from '../../lib/providers.ts';
import { ProviderCard, ProviderRow } from './ProviderCard.tsx';
import ProviderTable from './ProviderTable.tsx';

export const PAGE = 24;

interface Props { items: Indexed[]; total: number; view: View; filterKey: string; commit: string }

export default function ProviderList({ items, total, view, filterKey }: Props) {
  const [more, setMore] = useState({ key: filterKey, limit: PAGE });
  const limit = more.key === filterKey ? more.limit : PAGE;
  const visible = items.length > limit ? items.slice(0, limit) : items;
  const sentinel = useRef<HTMLDivElement>(null);
  const showMore = () => setMore({ key: filterKey, limit: limit + PAGE });

  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) showMore();
    }, { rootMargin: '400px' });
    io.observe(el);
    return () => io.disconnect();
  }, [filterKey, limit, items.length > limit]);

  return (
    <div class="pv-results">
      <p class="pv-summary" role="status" aria-live="polite">
        {t('providers.count', { shown: items.length, total })}
      </p>
      {items.length === 0 ? (
        <p class="pv-empty">{total === 0 ? t('providers.empty') : t('providers.noMatch')}</p>
      ) : view === 'details' ? (
        <ProviderTable items={visible} />
      ) : (
        <ul class={view === 'cards' ? 'pv-cards' : 'pv-list'}>
          {visible.map((e) => (
            <li key={e.p.id}>{view === 'cards' ? <ProviderCard e={e} /> : <ProviderRow e={e} />}</li>
          ))}
        </ul>
      )}
      {items.length > limit ? (
        <div ref={sentinel} class="pv-more">
          <button type="button" class="button button-quiet" onClick={showMore}>
            {t('providers.showMore', { count: items.length - limit })}
          </button>
        </div>
      ) : null}
    </div>
  );
}
