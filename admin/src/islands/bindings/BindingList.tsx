// Every binding: its name, environment, protocol, strategy and targets in failover order.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { Binding } from '../../lib/bindings.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { get } from './data.ts';

export default function BindingList() {
  const [bindings, setBindings] = useState<Binding[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void get<{ bindings: Binding[] }>('/api/bindings').then((r) => setBindings(r.bindings.sort((a, b) => (a.name < b.name ? -1 : 1))), setError), []);

  return (
    <section class="bd-screen" aria-labelledby="bd-list-title">
      <div class="bd-head">
        <h2 id="bd-list-title">{t('bindings.list.title')}</h2>
        <a class="button" href="/bindings?new=1">+ {t('bindings.new')}</a>
      </div>
      <ApiErrorView error={error} />
      {bindings === null && !error ? <p role="status">{t('bindings.loading')}</p> : null}
      {bindings?.length === 0 ? <p class="bd-empty">{t('bindings.empty')}</p> : null}
      {bindings?.length ? (
        <div class="bd-table-wrap">
          <table class="bd-table">
            <thead>
              <tr>
                <th scope="col">{t('bindings.field.name')}</th>
                <th scope="col">{t('bindings.field.environment')}</th>
                <th scope="col">{t('bindings.field.protocol')}</th>
                <th scope="col">{t('bindings.field.strategy')}</th>
                <th scope="col">{t('bindings.targets')}</th>
              </tr>
            </thead>
            <tbody>
              {bindings.map((b) => (
                <tr key={b.name}>
                  <th scope="row">
                    <a href={`/bindings?name=${b.name}`}><code>{b.name}</code></a>
                    {b.enabled === false ? <span class="bd-badge bd-badge-off">{t('bindings.disabled')}</span> : null}
                    {b.description ? <span class="bd-muted bd-block">{b.description}</span> : null}
                  </th>
                  <td>{b.environment}</td>
                  <td><code>{b.protocol}</code></td>
                  <td>{t(`bindings.strategy.${b.strategy ?? 'priority'}`)}</td>
                  <td>
                    <ol class="bd-chain">
                      {b.targets.map((x, i) => <li key={i}><code>{x.provider}</code>{x.model ? <span class="bd-muted"> · {x.model}</span> : null}</li>)}
                    </ol>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
