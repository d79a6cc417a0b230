// The notification centre: alerts firing first, then recent ones, filtered by state and kind;
// read again every 10 s. Each card acknowledges, silences (1 h, 24 h or until a chosen time, for
// the alert or its whole kind) and lifts a silence; the top bar's count follows at once.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { t, lang } from '../../i18n/index.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { formatLocale, formats } from '../../lib/analytics-format.ts';
import { ALERT_KINDS, ALERTS_CHANGED, POLL_SECONDS, loadAlerts, type AlertList } from '../../lib/alerts.ts';
import AlertCard from './AlertCard.tsx';

export default function AlertsScreen() {
  const initial = useMemo(() => new URLSearchParams(location.search), []);
  const [state, setState] = useState(initial.get('state') ?? '');
  const [kind, setKind] = useState(initial.get('kind') ?? '');
  const [data, setData] = useState<AlertList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const f = useMemo(() => formats(formatLocale(lang(), navigator.languages)), []);
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);

  const reload = useCallback(async () => {
    try {
      setData(await loadAlerts({ state, kind }));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [state, kind]);
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), POLL_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [reload]);
  useEffect(() => {
    const q = new URLSearchParams();
    if (state) q.set('state', state);
    if (kind) q.set('kind', kind);
    history.replaceState(null, '', `/alerts${q.size ? `?${q}` : ''}`);
  }, [state, kind]);
  const changed = useCallback(async () => {
    await reload();
    document.dispatchEvent(new CustomEvent(ALERTS_CHANGED));
  }, [reload]);

  const filtered = state !== '' || kind !== '';
  return (
    <section class="al-screen" aria-labelledby="alerts-list-title">
      <div class="al-toolbar">
        <label>
          <span>{t('alerts.filter.state')}</span>
          <select value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)} data-testid="al-filter-state">
            <option value="">{t('alerts.filter.all')}</option>
            <option value="firing">{t('alerts.state.firing')}</option>
            <option value="resolved">{t('alerts.state.resolved')}</option>
          </select>
        </label>
        <label>
          <span>{t('alerts.filter.kind')}</span>
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)} data-testid="al-filter-kind">
            <option value="">{t('alerts.filter.all')}</option>
            {ALERT_KINDS.map((k) => <option key={k} value={k}>{t(`alerts.kind.${k}`)}</option>)}
          </select>
        </label>
        <button type="button" class="button button-quiet" onClick={() => void reload()}>{t('alerts.refresh')}</button>
      </div>
      <h2 id="alerts-list-title" class="sr-only">{t('nav.alerts')}</h2>
      <ApiErrorView error={error} />
      {data ? <p class="bd-muted" data-testid="al-updated">{t('alerts.unread.summary', { count: f.number(data.unread) })} · {t('alerts.updated', { time: f.dateTime(data.at, timeZone), seconds: f.number(POLL_SECONDS) })}</p> : null}
      {data === null && !error ? <p role="status">{t('alerts.loading')}</p> : null}
      {data?.alerts.length === 0 ? <p class="bd-empty">{t(filtered ? 'alerts.empty.filtered' : 'alerts.empty')}</p> : null}
      <ul class="al-list">
        {data?.alerts.map((a) => <AlertCard key={a.id} alert={a} f={f} timeZone={timeZone} onChanged={changed} />)}
      </ul>
    </section>
  );
}
