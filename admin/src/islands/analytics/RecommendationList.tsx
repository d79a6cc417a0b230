// Recommendations, most severe first: the kind and severity, the title and detail, the evidence
// as a small table and one action link (a console path; anything else is not linked). The texts
// are written in the page's language from the hub's ids and raw figures (lib/analytics-recommendations.ts);
// a text the console has no template for shows the hub's English, marked lang="en".
import { dictionaries, dir, lang, t } from '../../i18n/index.ts';
import { safeAction, type Recommendation } from '../../lib/analytics.ts';
import { recommendationView, type Piece } from '../../lib/analytics-recommendations.ts';
import { pageFormats } from './data.ts';

const RANK = { critical: 0, warning: 1, info: 2 } as const;

/** The hub's English inside an Arabic page: lang="en", its own direction. */
const marks = (p: Piece) => (p.fallback ? { lang: 'en', dir: 'auto' as const } : {});

export default function RecommendationList({ items, links = true }: { items: Recommendation[]; links?: boolean }) {
  if (!items.length) return <p class="an-empty">{t('analytics.recommendations.none')}</p>;
  const l = lang();
  const dict = dictionaries[l];
  const lookup = (key: string) => (Object.hasOwn(dict, key) ? dict[key] : undefined);
  const f = pageFormats();
  const sorted = [...items].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return (
    <ul class="an-recs">
      {sorted.map((r) => {
        const href = safeAction(r.action.href);
        const v = recommendationView(r, lookup, f, dir(l) === 'rtl');
        return (
          <li key={r.id} class={`an-rec card an-rec-${r.severity}`} data-kind={r.kind} data-text={r.text?.id}>
            <p class="an-rec-kind">
              <span class={`an-badge an-badge-${r.severity}`}>{t(`analytics.severity.${r.severity}`)}</span> {t(`analytics.kind.${r.kind}`)}
            </p>
            <h3 class="an-rec-title" {...marks(v.title)}>{v.title.text}</h3>
            <p class="an-rec-detail" {...marks(v.detail)}>{v.detail.text}</p>
            {v.evidence.length ? (
              <table class="an-evidence">
                <caption class="sr-only">{t('analytics.evidence')}</caption>
                <tbody>
                  {v.evidence.map((e) => (
                    <tr key={e.id} data-evidence={e.id}><th scope="row" {...marks(e.label)}>{e.label.text}</th><td dir="auto">{e.value}</td></tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {links && href ? <a class="button an-rec-action" href={href} {...marks(v.action)}>{v.action.text}</a> : null}
          </li>
        );
      })}
    </ul>
  );
}
