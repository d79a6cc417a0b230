// The details view: one table row per provider with every summary field.
import { t } from '../../i18n/index.ts';
import type { Indexed } from '../../lib/providers.ts';
import { categoryLabel, problemText, servicesOn } from './ProviderCard.tsx';
import { detailsHref } from './links.ts';
import StatusBadge from './StatusBadge.tsx';

export default function ProviderTable({ items }: { items: Indexed[] }) {
  return (
    <div class="pv-table-wrap">
      <table class="pv-table">
        <caption class="sr-only">{t('providers.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('providers.col.name')}</th>
            <th scope="col">{t('providers.col.status')}</th>
            <th scope="col">{t('providers.col.category')}</th>
            <th scope="col">{t('providers.col.environment')}</th>
            <th scope="col">{t('providers.col.template')}</th>
            <th scope="col">{t('providers.col.services')}</th>
            <th scope="col">{t('providers.col.keys')}</th>
            <th scope="col">{t('providers.col.problems')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.p.id}>
              <th scope="row">
                <a href={detailsHref(e.p.id)}>{e.p.name}</a>
                <code class="pv-sub">{e.p.id}</code>
              </th>
              <td><StatusBadge status={e.status} reason={e.p.health?.reason} /></td>
              <td>{categoryLabel(e)}</td>
              <td>{e.p.environment}</td>
              <td>{e.p.template ?? t('providers.custom')}</td>
              <td>{t('providers.servicesOn', { on: servicesOn(e), total: e.p.services.length })}</td>
              <td>
                {t('providers.keysSummary', { active: e.p.keys.active, total: e.p.keys.total })}
                {e.p.keys.default ? <span class="pv-sub">{t('providers.defaultKey', { id: e.p.keys.default })}</span> : null}
              </td>
              <td class="pv-problem">{e.p.problems.map(problemText).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
