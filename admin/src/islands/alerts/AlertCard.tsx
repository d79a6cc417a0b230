// One alert: severity, title in the console's language, the hub's detail, subject, evidence,
// since when, how often, acknowledged / silenced; the owner's actions on it.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import type { Formats } from '../../lib/analytics-format.ts';
import { acknowledge, alertTitle, customUntil, silence, silenceFor, unsilence, type AlertItem } from '../../lib/alerts.ts';

interface Props { alert: AlertItem; f: Formats; timeZone: string; onChanged: () => Promise<void> }

const ICON = { critical: '⛔', warning: '⚠️', info: 'ℹ️' } as const;

export default function AlertCard({ alert: a, f, timeZone, onChanged }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [custom, setCustom] = useState(false);
  const [until, setUntil] = useState('');
  const [wholeKind, setWholeKind] = useState(false);
  const [invalid, setInvalid] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setCustom(false);
      await onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const scope = wholeKind ? 'kind' : 'alert';
  const applyCustom = () => {
    const at = customUntil(until, Date.now());
    setInvalid(at === null);
    if (at !== null) void run(() => silence(a.id, at, scope));
  };
  const firing = a.state === 'firing';
  const titleId = `al-title-${a.id.replace(/[^a-zA-Z0-9-]/g, '_')}`;
  return (
    <li class={`al-card al-${a.severity} al-${a.state}${a.acknowledgedAt ? ' al-acked' : ''}`} aria-labelledby={titleId} data-alert-id={a.id}>
      <div class="al-head">
        <span class={`al-sev al-sev-${a.severity}`}><span aria-hidden="true">{ICON[a.severity]}</span> {t(`alerts.severity.${a.severity}`)}</span>
        <span class="al-kind">{t(`alerts.kind.${a.kind}`)}</span>
        <span class={`al-state al-state-${a.state}`}>{t(`alerts.state.${a.state}`)}</span>
      </div>
      <h3 id={titleId} class="al-title"><bdi>{alertTitle(a, t, f, timeZone)}</bdi></h3>
      <p class="al-detail" lang="en" dir="ltr">{a.detail}</p>
      <p class="al-meta">
        <span>{t('alerts.since', { time: f.dateTime(a.firedAt, timeZone) })}</span>
        {a.resolvedAt ? <span>{t('alerts.resolvedAt', { time: f.dateTime(a.resolvedAt, timeZone) })}</span> : null}
        {a.count > 1 ? <span>{t('alerts.count', { count: f.number(a.count) })}</span> : null}
        {a.acknowledgedAt ? <span data-testid="al-acked">{t('alerts.acknowledged', { time: f.dateTime(a.acknowledgedAt, timeZone) })}</span> : null}
        {a.silencedUntil ? <span data-testid="al-silenced">{t('alerts.silenced', { time: f.dateTime(a.silencedUntil, timeZone) })}</span> : null}
        <span>{t('alerts.channels', { channels: a.channels.length ? a.channels.join(', ') : t('alerts.channels.console') })}</span>
      </p>
      {a.evidence && Object.keys(a.evidence).length ? (
        <details class="al-evidence">
          <summary>{t('alerts.evidence')}</summary>
          <dl dir="ltr">
            <dt>{t('alerts.subject')}</dt><dd><code>{a.subject}</code></dd>
            {Object.entries(a.evidence).map(([k, v]) => <><dt key={`k-${k}`}>{k}</dt><dd key={`v-${k}`}>{typeof v === 'number' ? f.number(v, 6) : v}</dd></>)}
          </dl>
        </details>
      ) : null}
      <div class="al-actions">
        {firing && !a.acknowledgedAt ? <button type="button" class="button" disabled={busy} onClick={() => void run(() => acknowledge(a.id))}>{t('alerts.ack')}</button> : null}
        {a.silencedUntil ? (
          <button type="button" class="button button-quiet" disabled={busy} onClick={() => void run(() => unsilence(a.id))}>{t('alerts.unsilence')}</button>
        ) : (
          <span class="al-silence" role="group" aria-label={t('alerts.silence')}>
            <span class="al-silence-label">{t('alerts.silence')}:</span>
            <button type="button" class="button button-quiet" disabled={busy} onClick={() => void run(() => silence(a.id, silenceFor(1, Date.now()), scope))}>{t('alerts.silence.1h')}</button>
            <button type="button" class="button button-quiet" disabled={busy} onClick={() => void run(() => silence(a.id, silenceFor(24, Date.now()), scope))}>{t('alerts.silence.24h')}</button>
            <button type="button" class="button button-quiet" disabled={busy} aria-expanded={custom} onClick={() => setCustom(!custom)}>{t('alerts.silence.custom')}</button>
            <label class="al-kind-check"><input type="checkbox" checked={wholeKind} onChange={(e) => setWholeKind((e.target as HTMLInputElement).checked)} /> {t('alerts.silence.kind')}</label>
          </span>
        )}
      </div>
      {custom && !a.silencedUntil ? (
        <div class="al-custom">
          <label>
            <span>{t('alerts.silence.until')}</span>
            <input type="datetime-local" value={until} onInput={(e) => setUntil((e.target as HTMLInputElement).value)} aria-invalid={invalid} />
          </label>
          <button type="button" class="button" disabled={busy} onClick={applyCustom}>{t('alerts.silence.apply')}</button>
          <button type="button" class="button button-quiet" onClick={() => setCustom(false)}>{t('alerts.silence.cancel')}</button>
          {invalid ? <p class="al-invalid" role="alert">{t('alerts.silence.past')}</p> : null}
        </div>
      ) : null}
      <ApiErrorView error={error} />
    </li>
  );
}
