// A subscription's delivery log, newest first: time, event, webhook-id, attempts, the last
// attempt and its duration, state; read again every few seconds and on Refresh. Details opens one delivery below.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { lastOutcomeParts, type DeliverySummary } from '../../lib/webhooks.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import DeliveryDetail from './DeliveryDetail.tsx';
import { deliveries, when } from './data.ts';

export const REFRESH_SECONDS = 5;
const COLUMNS = ['time', 'type', 'id', 'attempts', 'last', 'ms', 'state'];

export default function DeliveryLog({ name, f, tz }: { name: string; f: Formats; tz: string }) {
  const [data, setData] = useState<{ deliveries: DeliverySummary[]; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = () => setTick((n) => n + 1);
  useEffect(() => {
    let live = true;
    deliveries(name).then((d) => live && (setData(d), setError(null)), (e: unknown) => live && setError(e));
    const timer = setTimeout(refresh, REFRESH_SECONDS * 1000);
    return () => ((live = false), clearTimeout(timer));
  }, [tick]);
  return (
    <section class="wh-log" aria-labelledby="wh-log-title">
      <div class="wh-toolbar">
        <h3 id="wh-log-title">{t('webhooks.log.title')}</h3>
        {data ? <span class="bd-muted">{t('webhooks.log.total', { count: f.number(data.total) })}</span> : null}
        <button type="button" class="button button-quiet" onClick={refresh}>{t('webhooks.refresh')}</button>
      </div>
      <ApiErrorView error={error} />
      {data?.deliveries.length === 0 ? <p class="bd-empty">{t('webhooks.log.empty')}</p> : null}
      {data?.deliveries.length ? (
        <div class="bd-table-wrap">
          <table class="bd-table wh-log-table">
            <thead><tr>{COLUMNS.map((c) => <th scope="col" key={c}>{t(`webhooks.log.col.${c}`)}</th>)}<th scope="col"><span class="sr-only">{t('webhooks.log.open')}</span></th></tr></thead>
            <tbody>
              {data.deliveries.map((d) => (
                <tr key={d.id} data-delivery={d.id} data-webhook-id={d.webhookId} data-state={d.state} aria-current={open === d.id ? 'true' : undefined}>
                  <td class="wh-nowrap">{when(f, d.createdAt, tz)}</td>
                  <td><code dir="ltr">{d.type}</code></td>
                  <td><code dir="ltr" class="wh-id">{d.webhookId}</code></td>
                  <td class="wh-num">{f.number(d.attempts)}</td>
                  <td class="wh-last" dir="ltr">{lastOutcomeParts(d, t).map((part, i) => (i === 0 ? <span class="wh-keep" key={i}>{part}</span> : ` · ${part}`))}</td>
                  <td class="wh-num wh-ms">{f.ms(d.lastMs)}</td>
                  <td><span class={`wh-badge wh-state-${d.state}`}>{t(`webhooks.state.${d.state}`)}</span></td>
                  <td><button type="button" class="button button-quiet bd-small" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>{t('webhooks.log.open')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {open ? <DeliveryDetail key={open} id={open} f={f} tz={tz} onClose={() => setOpen(null)} onReplayed={refresh} /> : null}
    </section>
  );
}
