// A client's tokens: id, last characters, dates and status; issue a new one (optionally with an
// expiry), shown once; revoke one after a confirmation.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import type { Client, ClientToken } from '../../lib/bindings.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import ConfirmDialog from '../bindings/ConfirmDialog.tsx';
import TokenCreated from './TokenCreated.tsx';

interface Props { client: Client; commit: string; reload: () => Promise<void> }
const day = (iso?: string) => (iso ? new Date(iso).toLocaleDateString(document.documentElement.lang) : '—');

export default function TokenPanel({ client, commit, reload }: Props) {
  const [created, setCreated] = useState<{ token: string; tokenId: string } | null>(null);
  const [expires, setExpires] = useState('');
  const [revoke, setRevoke] = useState<ClientToken | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const act = (fn: () => Promise<void>) => (setBusy(true), setError(null), fn().then(reload).catch(setError).finally(() => setBusy(false)));
  const issue = () => act(async () => setCreated(await api.send<{ token: string; tokenId: string }>('POST', `/api/clients/${client.name}/tokens`, { base: commit, ...(expires ? { expiresAt: `${expires}T00:00:00Z` } : {}) })));
  const doRevoke = () => act(async () => { await api.send('DELETE', `/api/clients/${client.name}/tokens/${revoke!.id}`, { base: commit }); setRevoke(null); });
  const tokens = client.tokens ?? [];

  return (
    <section class="bd-fieldset" aria-labelledby="cl-tokens-title">
      <h2 id="cl-tokens-title">{t('clients.tokens')}</h2>
      {created ? <TokenCreated {...created} onDone={() => setCreated(null)} /> : null}
      {tokens.length === 0 ? <p class="bd-empty">{t('clients.tokens.none')}</p> : (
        <div class="bd-table-wrap">
          <table class="bd-table">
            <thead><tr><th scope="col">{t('clients.token.id')}</th><th scope="col">{t('clients.token.hint')}</th><th scope="col">{t('clients.token.createdAt')}</th><th scope="col">{t('clients.token.expiresAt')}</th><th scope="col">{t('clients.token.status')}</th><th scope="col"><span class="sr-only">{t('clients.token.actions')}</span></th></tr></thead>
            <tbody>
              {tokens.map((tk) => (
                <tr key={tk.id}>
                  <th scope="row"><code>{tk.id}</code></th>
                  <td><code dir="ltr">{tk.hint ? `…${tk.hint}` : '—'}</code></td>
                  <td>{day(tk.createdAt)}</td>
                  <td>{day(tk.expiresAt)}</td>
                  <td><span class={`bd-badge bd-badge-${tk.status}`}>{t(`clients.token.status.${tk.status}`)}</span></td>
                  <td>{tk.status === 'active' ? <button type="button" class="button button-quiet bd-small" onClick={() => setRevoke(tk)} aria-label={t('clients.token.revoke.label', { id: tk.id })}>{t('clients.token.revoke')}</button> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="bd-actions cl-issue">
        <div class="field bd-field">
          <label for="cl-expires">{t('clients.token.expires')}</label>
          <input id="cl-expires" type="date" value={expires} onInput={(e) => setExpires((e.currentTarget as HTMLInputElement).value)} aria-describedby="cl-expires-help" />
          <p id="cl-expires-help" class="field-help">{t('clients.token.expires.help')}</p>
        </div>
        <button type="button" class="button" disabled={busy} onClick={issue}>{t('clients.token.create')}</button>
      </div>
      <ApiErrorView error={revoke ? null : error} onReload={() => location.reload()} />
      <ConfirmDialog open={revoke !== null} title={t('clients.token.revoke.title', { id: revoke?.id ?? '' })} confirmLabel={t('clients.token.revoke')} danger busy={busy} onConfirm={doRevoke} onClose={() => setRevoke(null)}>
        <p>{t('clients.token.revoke.text', { client: client.name })}</p>
        <ApiErrorView error={error} />
      </ConfirmDialog>
    </section>
  );
}
