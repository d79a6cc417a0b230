// One provider as a card (cards view) or as a compact row (list view).
import { t } from '../../i18n/index.ts';
import { problemKey, type Indexed } from '../../lib/providers.ts';
import { detailsHref } from './links.ts';
import StatusBadge from './StatusBadge.tsx';

const servicesOn = (e: Indexed) => e.p.services.filter((s) => s.enabled).length;

function category(e: Indexed): string {
  const key = `providers.category.${e.category}`;
  const label = t(key);
  return label === key ? e.category : label;
}

/** A problem in the page's language when the console knows it, else as the API said it. */
function problem(text: string): string {
  const key = problemKey(text);
  return key ? t(key) : text;
}

export function ProviderCard({ e }: { e: Indexed }) {
  const { p } = e;
  return (
    <article class={`pv-card pv-card-${e.status}`} aria-labelledby={`pv-c-${p.id}`}>
      <header class="pv-card-head">
        <h2 id={`pv-c-${p.id}`} class="pv-card-title"><a href={detailsHref(p.id)}>{p.name}</a></h2>
        <StatusBadge status={e.status} reason={p.health?.reason} />
      </header>
      <p class="pv-meta">
        <code>{p.id}</code> · {category(e)} · {p.environment}
      </p>
      <ul class="pv-chips" aria-label={t('providers.services')}>
        {p.services.slice(0, 4).map((s) => (
          <li key={s.id} class={s.enabled ? 'pv-chip' : 'pv-chip pv-chip-off'}>{s.name ?? s.id}</li>
        ))}
        {p.services.length > 4 ? <li class="pv-chip">+{p.services.length - 4}</li> : null}
      </ul>
      <p class="pv-meta">
        {t('providers.keysSummary', { active: p.keys.active, total: p.keys.total })}
      </p>
      {e.status === 'error' && p.problems[0] ? <p class="pv-problem">{problem(p.problems[0])}</p>
        : (e.status === 'error' || e.status === 'degraded') && p.health ? <p class="pv-problem pv-health-reason">{p.health.reason}</p> : null}
    </article>
  );
}

export function ProviderRow({ e }: { e: Indexed }) {
  const { p } = e;
  return (
    <div class={`pv-row pv-row-${e.status}`}>
      <StatusBadge status={e.status} reason={e.p.health?.reason} />
      <a class="pv-row-name" href={detailsHref(p.id)}>{p.name}</a>
      <code class="pv-row-id">{p.id}</code>
      <span class="pv-row-cat">{category(e)}</span>
      <span class="pv-row-svc">{t('providers.servicesOn', { on: servicesOn(e), total: p.services.length })}</span>
      <span class="pv-row-keys">{t('providers.keysSummary', { active: p.keys.active, total: p.keys.total })}</span>
    </div>
  );
}

export { category as categoryLabel, problem as problemText, servicesOn };
