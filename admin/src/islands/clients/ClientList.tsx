// Every client: environment, the bindings it may call, active tokens; and New client.
import { t } from '../../i18n/index.ts';
import { activeTokens, type Client } from '../../lib/bindings.ts';
import NamedList from '../NamedList.tsx';

export default function ClientList() {
  return (
    <NamedList<Client>
      resource="clients"
      columns={[t('clients.field.name'), t('clients.field.environment'), t('clients.field.bindings'), t('clients.tokens.active')]}
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
