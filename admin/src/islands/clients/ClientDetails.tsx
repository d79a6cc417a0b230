// One client (?name=<client>): what it may call, its tokens (issue: shown once; revoke), its
// settings to edit, and Delete (asks first: its tokens stop working).
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import type { Client } from '../../lib/bindings.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import ConfirmDialog from '../bindings/ConfirmDialog.tsx';
import BackLink from '../bindings/BackLink.tsx';
import { get, loadContext, type Context } from '../bindings/data.ts';
import ClientForm from './ClientForm.tsx';
import TokenPanel from './TokenPanel.tsx';

export default function ClientDetails({ name, created }: { name: string; created: boolean }) {
  const [data, setData] = useState<{ ctx: Context; commit: string; client: Client } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState(created ? t('clients.created', { name }) : '');
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    const [ctx, one] = await Promise.all([loadContext(), get<{ commit: string; client: Client }>(`/api/clients/${encodeURIComponent(name)}`)]);
    setData({ ctx, commit: one.commit, client: one.client });
  };
  useEffect(() => void load().catch(setError), []);
  if (!data) return error ? <><BackLink href="/clients" label={t('clients.back')} /><ApiErrorView error={error} /></> : <p role="status">{t('clients.loading')}</p>;

  const { client } = data;
  const remove = () => {
    setBusy(true);
    api.send('DELETE', `/api/clients/${client.name}`, { base: data.commit }).then(() => location.assign('/clients'), (e) => (setError(e), setBusy(false)));
  };
  const allowed = client.bindings?.includes('*') ? t('clients.bindings.all') : client.bindings?.join(', ') || t('clients.bindings.none');
  return (
    <article class="cl-details" aria-labelledby="cl-title">
      <BackLink href="/clients" label={t('clients.back')} />
      <div class="bd-head">
        <h2 id="cl-title"><code>{client.name}</code></h2>
        {client.enabled === false ? <span class="bd-badge bd-badge-off">{t('bindings.disabled')}</span> : null}
      </div>
      {notice ? <p class="notice notice-ok" role="status">{notice}</p> : null}
      <dl class="bd-facts">
        <dt>{t('clients.field.environment')}</dt><dd>{client.environment}</dd>
        <dt>{t('clients.field.bindings')}</dt><dd>{allowed}</dd>
        <dt>{t('clients.field.ipAllowlist')}</dt><dd dir="ltr">{client.ipAllowlist?.join(', ') || t('clients.ip.any')}</dd>
        {client.description ? <><dt>{t('clients.field.description')}</dt><dd>{client.description}</dd></> : null}
      </dl>
      <TokenPanel client={client} commit={data.commit} reload={load} />
      <ClientForm key={data.commit} ctx={data.ctx} commit={data.commit} original={client} onSaved={(_n, commit) => void load().then(() => setNotice(t('clients.saved', { commit: commit.slice(0, 7) })))} />
      <div class="bd-actions"><button type="button" class="button bd-danger" onClick={() => setConfirm(true)}>{t('clients.delete')}</button></div>
      {!confirm ? <ApiErrorView error={error} /> : null}
      <ConfirmDialog open={confirm} title={t('clients.delete.title', { name: client.name })} confirmLabel={t('clients.delete.confirm')} danger busy={busy} onConfirm={remove} onClose={() => setConfirm(false)}>
        <p>{t('clients.delete.text')}</p>
        <ApiErrorView error={error} />
      </ConfirmDialog>
    </article>
  );
}
