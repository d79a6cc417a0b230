// The clients screen: the list, a new client (?new=1), or one client (?name=<client>; after
// creating, &created=1 says so). The build is static, so the item is a query parameter.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import BackLink from '../bindings/BackLink.tsx';
import { loadContext, type Context } from '../bindings/data.ts';
import ClientList from './ClientList.tsx';
import ClientDetails from './ClientDetails.tsx';
import ClientForm from './ClientForm.tsx';

function NewClient() {
  const [ctx, setCtx] = useState<Context | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void loadContext().then(setCtx, setError), []);
  return (
    <>
      <BackLink href="/clients" label={t('clients.back')} />
      <ApiErrorView error={error} />
      {ctx ? <ClientForm ctx={ctx} commit={ctx.commit} original={null} onSaved={(name) => location.assign(`/clients?name=${name}&created=1`)} /> : error ? null : <p role="status">{t('clients.loading')}</p>}
    </>
  );
}

export default function ClientsScreen() {
  const q = useMemo(() => new URLSearchParams(location.search), []);
  const name = q.get('name');
  if (name) return <ClientDetails name={name} created={q.has('created')} />;
  return q.has('new') ? <NewClient /> : <ClientList />;
}
