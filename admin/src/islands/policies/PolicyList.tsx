// Every policy with what it limits, where it is attached and its live use; the counters are read
// again every few seconds (and on Refresh), the rest once.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { loadOverview, pageFormats, REFRESH_SECONDS, useLiveLimits, type Overview } from './data.ts';
import PolicyRow from './PolicyRow.tsx';

export default function PolicyList() {
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const live = useLiveLimits();
  const f = useMemo(pageFormats, []);
  useEffect(() => void loadOverview().then(setData, setError), []);
  const columns = ['policy', 'limits', 'attached', 'use'];
  return (
    <section class="bd-screen" aria-labelledby="policies-list-title">
      <div class="bd-head">
        <h2 id="policies-list-title">{t('policies.list.title')}</h2>
        <a class="button" href="/policies?new=1">+ {t('policies.new')}</a>
      </div>
      <ApiErrorView error={error ?? live.error} />
      {data === null && !error ? <p role="status">{t('policies.loading')}</p> : null}
      {data?.policies.length === 0 ? <p class="bd-empty">{t('policies.empty')}</p> : null}
      {data?.policies.length ? (
        <>
          <div class="po-toolbar">
            <p class="bd-muted" data-testid="po-updated">{live.data ? t('policies.updated', { time: f.dateTime(live.data.at, data.timeZone), seconds: f.number(REFRESH_SECONDS) }) : ''}</p>
            <button type="button" class="button button-quiet" onClick={live.refresh}>{t('policies.refresh')}</button>
          </div>
          <div class="bd-table-wrap po-table-wrap">
            <table class="bd-table po-table">
              <thead>
                <tr>{columns.map((c) => <th scope="col" key={c}>{t(`policies.col.${c}`)}</th>)}</tr>
              </thead>
              <tbody>
                {data.policies.map((p) => <PolicyRow key={p.name} policy={p} attached={data.attached.get(p.name) ?? []} live={live.data} f={f} timeZone={data.timeZone} />)}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
