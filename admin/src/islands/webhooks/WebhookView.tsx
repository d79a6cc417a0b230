// One subscription (?name=<webhook>): where it sends and what, the endpoint's state (with Enable
// after the hub disabled it), its signing keys (Rotate shows the new secret once), Edit, Delete,
// and its delivery log.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { WebhookItem } from '../../lib/webhooks.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import BackLink from '../bindings/BackLink.tsx';
import StatusBadge from './StatusBadge.tsx';
import SigningKeys from './SigningKeys.tsx';
import WebhookActions from './WebhookActions.tsx';
import DeliveryLog from './DeliveryLog.tsx';
import { getWebhook, pageFormats, timeZone } from './data.ts';

export default function WebhookView({ name }: { name: string }) {
  const [data, setData] = useState<{ commit: string; webhook: WebhookItem; tz: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const f = useMemo(pageFormats, []);
  const load = () => Promise.all([getWebhook(name), timeZone()]).then(([r, tz]) => (setData({ commit: r.commit, webhook: r.webhook, tz }), setError(null)), setError);
  useEffect(() => void load(), []);
  if (!data) return error ? <><BackLink href="/webhooks" label={t('webhooks.back')} /><ApiErrorView error={error} /></> : <p role="status">{t('webhooks.loading')}</p>;
  const w = data.webhook;
  return (
    <div class="bd-screen wh-view" data-webhook={w.name}>
      <BackLink href="/webhooks" label={t('webhooks.back')} />
      <div class="bd-head">
        <h2>{t('webhooks.view.title', { name: w.name })}</h2>
        <a class="button button-quiet" href={`/webhooks?name=${encodeURIComponent(w.name)}&edit=1`}>{t('webhooks.edit')}</a>
      </div>
      {w.description ? <p>{w.description}</p> : null}
      <dl class="bd-facts wh-facts">
        <dt>{t('webhooks.col.url')}</dt><dd><code dir="ltr" class="wh-url">{w.url}</code></dd>
        <dt>{t('webhooks.col.events')}</dt><dd><span class="wh-events" dir="ltr">{w.events.map((e) => <code key={e}>{e}</code>)}</span></dd>
        <dt>{t('webhooks.field.environment')}</dt><dd>{w.environment ?? t('webhooks.allEnvironments')}</dd>
        <dt>{t('webhooks.col.state')}</dt><dd><StatusBadge webhook={w} f={f} tz={data.tz} full /></dd>
      </dl>
      <SigningKeys webhook={w} f={f} tz={data.tz} />
      <ApiErrorView error={error} />
      <WebhookActions webhook={w} base={data.commit} reload={load} />
      <DeliveryLog name={w.name} f={f} tz={data.tz} />
    </div>
  );
}
