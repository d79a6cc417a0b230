// What the owner can do to a subscription besides editing it: rotate its secret (grace hours;
// the new secret shown once), enable it again after the hub disabled it, delete it (asked first).
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { parseGraceHours, type WebhookItem } from '../../lib/webhooks.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import ConfirmDialog from '../bindings/ConfirmDialog.tsx';
import SecretOnce from './SecretOnce.tsx';
import { deleteWebhook, enableWebhook, rotateSecret } from './data.ts';

interface Props { webhook: WebhookItem; base: string; reload: () => Promise<void> }

export default function WebhookActions({ webhook, base, reload }: Props) {
  const [dialog, setDialog] = useState<'' | 'rotate' | 'delete'>('');
  const [grace, setGrace] = useState('');
  const [secret, setSecret] = useState('');
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const name = webhook.name;
  const hours = parseGraceHours(grace);
  const act = (fn: () => Promise<unknown>) => (setBusy(true), setError(null), setNotice(''), fn().catch(setError).finally(() => setBusy(false)));
  const rotate = () => hours !== null && act(async () => {
    const r = await rotateSecret(name, base, hours);
    setDialog('');
    setGrace('');
    setSecret(r.secret);
    await reload();
  });
  const enable = () => act(async () => (await enableWebhook(name), setNotice(t('webhooks.enabled.notice')), await reload()));
  const remove = () => act(async () => (await deleteWebhook(name, base), location.assign('/webhooks')));
  const close = () => (setDialog(''), setError(null));
  return (
    <div class="wh-actions">
      {secret ? <SecretOnce name={name} secret={secret} onDone={() => setSecret('')} /> : null}
      {notice ? <p class="notice notice-ok" role="status">{notice}</p> : null}
      {dialog ? null : <ApiErrorView error={error} onReload={() => location.reload()} />}
      <div class="bd-actions">
        {webhook.state?.disabledByHub ? <button type="button" class="button" disabled={busy} onClick={enable}>{t('webhooks.enable')}</button> : null}
        <button type="button" class="button button-quiet" onClick={() => setDialog('rotate')}>{t('webhooks.rotate')}</button>
        <button type="button" class="button bd-danger" onClick={() => setDialog('delete')}>{t('webhooks.delete')}</button>
      </div>
      <ConfirmDialog open={dialog === 'rotate'} title={t('webhooks.rotate.title', { name })} confirmLabel={t('webhooks.rotate.confirm')} busy={busy || hours === null} onConfirm={rotate} onClose={close}>
        <p>{t('webhooks.rotate.text')}</p>
        <div class="field bd-field">
          <label for="wh-grace">{t('webhooks.rotate.grace')}</label>
          <input id="wh-grace" inputMode="numeric" dir="ltr" placeholder="24" value={grace} aria-invalid={hours === null ? true : undefined} aria-describedby="wh-grace-help" onInput={(e) => setGrace((e.currentTarget as HTMLInputElement).value)} />
          <p id="wh-grace-help" class={hours === null ? 'field-error' : 'field-help'}>{t(hours === null ? 'webhooks.rotate.grace.problem' : 'webhooks.rotate.grace.help')}</p>
        </div>
        <ApiErrorView error={error} />
      </ConfirmDialog>
      <ConfirmDialog open={dialog === 'delete'} title={t('webhooks.delete.title', { name })} confirmLabel={t('webhooks.delete.confirm')} danger busy={busy} onConfirm={remove} onClose={close}>
        <p>{t('webhooks.delete.text')}</p>
        <ApiErrorView error={error} />
      </ConfirmDialog>
    </div>
  );
}
