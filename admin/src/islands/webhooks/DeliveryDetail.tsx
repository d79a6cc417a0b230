// One delivery: its state, next attempt or why it stopped, every attempt (time, status, duration,
// error, the start of the answer) and the body as signed; Replay sends it again with the same webhook-id.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { prettyBody, type DeliveryDetail as Detail } from '../../lib/webhooks.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { delivery, replay, when } from './data.ts';

interface Props { id: string; f: Formats; tz: string; onClose: () => void; onReplayed: () => void }
const COLUMNS = ['time', 'status', 'ms', 'error', 'response'];

export default function DeliveryDetail({ id, f, tz, onClose, onReplayed }: Props) {
  const [d, setD] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [replayed, setReplayed] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => void delivery(id).then(setD, setError), [id]);
  const again = () => (setBusy(true), setError(null), replay(id).then((r) => (setReplayed(r.id), onReplayed()), setError).finally(() => setBusy(false)));
  return (
    <section class="wh-detail" aria-labelledby="wh-detail-title" data-testid="wh-delivery" data-delivery={id}>
      <div class="wh-toolbar">
        <h3 id="wh-detail-title">{t('webhooks.delivery.title', { id: '' })}<code dir="ltr">{id}</code></h3>
        <button type="button" class="button button-quiet bd-small" onClick={onClose}>{t('webhooks.delivery.close')}</button>
      </div>
      <ApiErrorView error={error} />
      {d ? (
        <>
          <p>
            <span class={`wh-badge wh-state-${d.state}`}>{t(`webhooks.state.${d.state}`)}</span>{' '}
            {d.state === 'pending' && d.nextAt ? <span class="wh-next">{t('webhooks.delivery.next', { time: when(f, d.nextAt, tz) })}</span> : null}
            {d.reason ? <span dir="ltr">{t('webhooks.delivery.reason', { reason: d.reason })}</span> : null}
            {d.replayOf ? <span class="bd-muted"> {t('webhooks.delivery.replayOf', { id: '' })}<code dir="ltr">{d.replayOf}</code></span> : null}
          </p>
          <h4>{t('webhooks.delivery.attempts')}</h4>
          <div class="bd-table-wrap">
            <table class="bd-table wh-attempts">
              <thead><tr>{COLUMNS.map((c) => <th scope="col" key={c}>{t(`webhooks.delivery.col.${c}`)}</th>)}</tr></thead>
              <tbody>
                {d.attemptLog.map((a, i) => (
                  <tr key={i} data-attempt={i + 1}>
                    <td class="wh-nowrap">{when(f, a.at, tz)}</td>
                    <td dir="ltr">{a.status === null ? t('webhooks.delivery.noAnswer') : `HTTP ${a.status}`}</td>
                    <td class="wh-num">{f.ms(a.ms)}</td>
                    <td dir="ltr">{a.error ?? '—'}</td>
                    <td>{a.response ? <pre class="wh-pre" dir="ltr">{a.response}</pre> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h4>{t('webhooks.delivery.body')}</h4>
          <pre class="wh-pre" dir="ltr" tabIndex={0}>{prettyBody(d.body)}</pre>
          <p class="field-help">{t('webhooks.replay.help')}</p>
          <div class="bd-actions"><button type="button" class="button" disabled={busy} onClick={again}>{t('webhooks.replay')}</button></div>
          {replayed ? <p class="notice notice-ok" role="status" data-testid="wh-replayed">{t('webhooks.replayed', { id: replayed })}</p> : null}
        </>
      ) : error ? null : <p role="status">{t('webhooks.loading')}</p>}
    </section>
  );
}
