// Every client: environment, the bindings it may call, active tokens; and New client.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { activeTokens, type Client } from '../../lib/bindings.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { get } from '../bindings/data.ts';

export default function ClientList() {
  const [clients, setClients] = useState<Client[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void get<{ clients: Client[] }>('/api/clients').then((r) => setClients(r.clients.sort((a, b) => (a.name < b.name ? -1 : 1))), setError), []);
  return (
    <section class="bd-screen" aria-labelledby="cl-list-title">
      <div class="bd-head">
        <h2 id="cl-list-title">{t('clients.list.title')}</h2>
        <a class="button" href="/clients?new=1">+ {t('clients.new')}</a>
      </div>
      <ApiErrorView error={error} />
      {clients === null && !error ? <p role="status">{t('clients.loading')}</p> : null}
      {clients?.length === 0 ? <p class="bd-empty">{t('clients.empty')}</p> : null}
      {clients?.length ? (
        <div class="bd-table-wrap">
          <table class="bd-table">
            <thead>
              <tr>
                <th scope="col">{t('clients.field.name')}</th>
                <th scope="col">{t('clients.field.environment')}</th>
                <th scope="col">{t('clients.field.bindings')}</th>
                <th scope="col">{t('clients.tokens.active')}</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.name}>
                  <th scope="row">
                    <a href={`/clients?name=${c.name}`}><code>{c.name}</code></a>
                    {c.enabled === false ? <span class="bd-badge bd-badge-off">{t('bindings.disabled')}</span> : null}
                  </th>
                  <td>{c.environment}</td>
                  <td>{c.bindings?.includes('*') ? t('clients.bindings.all') : c.bindings?.join(', ') || t('clients.bindings.none')}</td>
                  <td>{activeTokens(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
