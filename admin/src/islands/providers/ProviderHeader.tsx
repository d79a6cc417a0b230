// The provider's name, status and facts, with Enable/Disable and Delete (confirmed).
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { uiStatus } from '../../lib/providers.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import Dialog from './Dialog.tsx';
import StatusBadge from './StatusBadge.tsx';
import { listHref } from './links.ts';
import type { Change, Loaded } from './types.ts';

export default function ProviderHeader({ data, change }: { data: Loaded; change: Change }) {
  const { summary: s } = data;
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const path = `/api/providers/${s.id}`;

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try { await fn(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const remove = () => act(async () => {
    await api.send('DELETE', path, { base: data.commit });
    location.href = listHref;
  });

  return (
    <header class="pv-d-head">
      <p><a href={listHref}>← {t('providers.details.back')}</a></p>
      <div class="pv-d-title">
        <h1 id="pv-d-title">{s.name}</h1>
        <StatusBadge status={uiStatus(s)} />
      </div>
      <dl class="pv-dl pv-facts">
        <dt>{t('providers.col.id')}</dt><dd><code>{s.id}</code></dd>
        <dt>{t('providers.col.category')}</dt><dd>{s.category ? t(`providers.category.${s.category}`) : '—'}</dd>
        <dt>{t('providers.col.environment')}</dt><dd>{s.environment}</dd>
        <dt>{t('providers.col.template')}</dt><dd>{s.template ?? t('providers.custom')}</dd>
      </dl>
      <div class="pv-actions">
        <button type="button" class="button button-quiet" disabled={busy} onClick={() => act(() => change('POST', `${path}/${s.enabled ? 'disable' : 'enable'}`))}>
          {s.enabled ? t('providers.details.disable') : t('providers.details.enable')}
        </button>
        <button type="button" class="button pv-danger" onClick={() => setConfirm(true)}>{t('providers.details.delete')}</button>
      </div>
      {error ? <ApiErrorView error={error} /> : null}
      <Dialog open={confirm} title={t('providers.details.deleteTitle', { name: s.name })} onClose={() => setConfirm(false)}>
        <p>{t('providers.details.deleteText', { keys: s.keys.total })}</p>
        {error ? <ApiErrorView error={error} /> : null}
        <div class="pv-form-actions">
          <button type="button" class="button button-quiet" onClick={() => setConfirm(false)}>{t('providers.cancel')}</button>
          <button type="button" class="button pv-danger" disabled={busy} onClick={remove}>{t('providers.details.deleteConfirm')}</button>
        </div>
      </Dialog>
    </header>
  );
}
