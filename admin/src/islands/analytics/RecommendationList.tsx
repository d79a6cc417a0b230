// Recommendations, most severe first: the kind and severity, the hub's title and detail, the
// evidence as a small table and one action link (a console path; anything else is not linked).
// The hub writes titles and details in English; the kind and severity are shown in the page's language.
import { t } from '../../i18n/index.ts';
import { safeAction, type Recommendation } from '../../lib/analytics.ts';

const RANK = { critical: 0, warning: 1, info: 2 } as const;

export default function RecommendationList({ items, links = true }: { items: Recommendation[]; links?: boolean }) {
  if (!items.length) return <p class="an-empty">{t('analytics.recommendations.none')}</p>;
  const sorted = [...items].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return (
    <ul class="an-recs">
      {sorted.map((r) => {
        const href = safeAction(r.action.href);
        return (
          <li key={r.id} class={`an-rec card an-rec-${r.severity}`} data-kind={r.kind}>
            <p class="an-rec-kind">
              <span class={`an-badge an-badge-${r.severity}`}>{t(`analytics.severity.${r.severity}`)}</span> {t(`analytics.kind.${r.kind}`)}
            </p>
            <h3 class="an-rec-title" lang="en" dir="auto">{r.title}</h3>
            <p class="an-rec-detail" lang="en" dir="auto">{r.detail}</p>
            {Object.keys(r.evidence).length ? (
              <table class="an-evidence">
                <caption class="sr-only">{t('analytics.evidence')}</caption>
                <tbody>
                  {Object.entries(r.evidence).map(([k, v]) => (
                    <tr key={k}><th scope="row" lang="en" dir="auto">{k}</th><td dir="auto">{String(v)}</td></tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {links && href ? <a class="button an-rec-action" href={href}>{r.action.label}</a> : null}
          </li>
        );
      })}
    </ul>
  );
}
