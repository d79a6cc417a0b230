// Every client: environment, the bindings it may call, active tokens; and New client.
import { t } from '../../i18n/index.ts';
import { activeTokens, type Client } from '../../lib/bindings.ts';
import NamedList from '../NamedList.tsx';
import { get } from '../bindings/data.ts';

export default function ClientList() {
  return (
    <NamedList<Client>
      headingId="cl-list-title"
      title={t('clients.list.title')}
      newHref="/clients?new=1"
      newLabel={t('clients.new')}
      loading={t('clients.loading')}
      empty={t('clients.empty')}
      disabledLabel={t('bindings.disabled')}
      load={() => get<{ clients: Client[] }>('/api/clients').then((r) => r.clients)}
      columns={[t('clients.field.name'), t('clients.field.environment'), t('clients.field.bindings'), t('clients.tokens.active')]}
      href={(c) => `/clients?name=${c.name}`}
      cells={(c) => (
        <>
          <td>{c.environment}</td>
          <td>{c.bindings?.includes('*') ? t('clients.bindings.all') : c.bindings?.join(', ') || t('clients.bindings.none')}</td>
          <td>{activeTokens(c)}</td>
        </>
      )}
    />
  );
}
