// Every subscription: name (a link to it) and description, URL, events, and the endpoint's state
// as the hub sees it; Refresh reads it again.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { WebhookItem } from '../../lib/webhooks.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { listWebhooks, pageFormats, timeZone } from './data.ts';
import StatusBadge from './StatusBadge.tsx';

export default function WebhookList() {
  const [data, setData] = useState<{ webhooks: WebhookItem[]; tz: string; at: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const f = useMemo(pageFormats, []);
  const load = () => Promise.all([listWebhooks(), timeZone()]).then(([r, tz]) => (setData({ webhooks: [...r.webhooks].sort((a, b) => (a.name < b.name ? -1 : 1)), tz, at: Date.now() }), setError(null)), setError);
  useEffect(() => void load(), []);
  const columns = ['name', 'url', 'events', 'state'];
  return (
    <section class="bd-screen" aria-labelledby="wh-list-title">
      <div class="bd-head">
        <h2 id="wh-list-title">{t('webhooks.list.title')}</h2>
        <a class="button" href="/webhooks?new=1">+ {t('webhooks.new')}</a>
      </div>
      <ApiErrorView error={error} />
      {data === null && !error ? <p role="status">{t('webhooks.loading')}</p> : null}
      {data?.webhooks.length === 0 ? <p class="bd-empty">{t('webhooks.empty')}</p> : null}
      {data?.webhooks.length ? (
        <>
          <div class="wh-toolbar">
            <p class="bd-muted" data-testid="wh-updated">{t('webhooks.updated', { time: f.dateTime(data.at, data.tz) })}</p>
            <button type="button" class="button button-quiet" onClick={() => void load()}>{t('webhooks.refresh')}</button>
          </div>
          <div class="bd-table-wrap">
            <table class="bd-table wh-table">
              <thead><tr>{columns.map((c) => <th scope="col" key={c}>{t(`webhooks.col.${c}`)}</th>)}</tr></thead>
              <tbody>
                {data.webhooks.map((w) => (
                  <tr key={w.name} data-webhook={w.name}>
                    <th scope="row">
                      <a href={`/webhooks?name=${encodeURIComponent(w.name)}`}><code>{w.name}</code></a>
                      {w.description ? <span class="bd-muted bd-block">{w.description}</span> : null}
                    </th>
                    <td class="wh-url"><code dir="ltr">{w.url}</code></td>
                    <td><span class="wh-events" dir="ltr">{w.events.map((e) => <code key={e}>{e}</code>)}</span></td>
                    <td><StatusBadge webhook={w} f={f} tz={data.tz} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
