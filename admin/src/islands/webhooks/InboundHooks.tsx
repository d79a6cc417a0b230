// "Received from providers": the last webhooks providers posted to /hooks/<provider-id>
// (GET /api/hooks/recent, docs/inbound-webhooks.md), accepted and refused, read every 10 s while
// the page is visible. On the list view only (the page's other views are one subscription).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { hookUrl, inboundVerdict, type InboundHook } from '../../lib/webhooks.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { get, pageFormats, timeZone } from './data.ts';

export const POLL_SECONDS = 10;
const COLUMNS = ['time', 'provider', 'scheme', 'verdict', 'event'];

export default function InboundHooks() {
  const listView = useMemo(() => !/[?&](name|new)=/.test(location.search), []);
  const [data, setData] = useState<{ hooks: InboundHook[]; tz: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const f = useMemo(pageFormats, []);
  useEffect(() => {
    if (!listView) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      clearTimeout(timer);
      if (stopped || document.visibilityState === 'hidden') return;
      try {
        const [r, tz] = await Promise.all([get<{ hooks: InboundHook[] }>('/api/hooks/recent?limit=50'), timeZone()]);
        if (!stopped) (setData({ hooks: r.hooks, tz }), setError(null));
      } catch (e) {
        if (!stopped) setError(e);
      }
      if (!stopped) timer = setTimeout(poll, POLL_SECONDS * 1000);
    };
    void poll();
    const onVisible = () => void poll();
    document.addEventListener('visibilitychange', onVisible);
    return () => ((stopped = true), clearTimeout(timer), document.removeEventListener('visibilitychange', onVisible));
  }, []);
  if (!listView) return null;
  return (
    <section class="bd-screen wh-inbound" aria-labelledby="wh-inbound-title">
      <h2 id="wh-inbound-title">{t('webhooks.inbound.title')}</h2>
      <p class="bd-muted">{t('webhooks.inbound.intro')}</p>
      <ApiErrorView error={error} />
      {data?.hooks.length === 0 ? (
        <p class="bd-empty" data-testid="wh-inbound-empty">{t('webhooks.inbound.empty')} <code dir="ltr" class="wh-url">{hookUrl(location.origin, '<provider-id>')}</code></p>
      ) : null}
      {data?.hooks.length ? (
        <div class="bd-table-wrap">
          <table class="bd-table wh-inbound-table">
            <thead><tr>{COLUMNS.map((c) => <th scope="col" key={c}>{t(`webhooks.inbound.col.${c}`)}</th>)}</tr></thead>
            <tbody>
              {data.hooks.map((h, i) => (
                <tr key={`${h.at}-${i}`} data-provider={h.provider} data-verdict={h.verdict} data-code={h.code}>
                  <td class="wh-nowrap">{f.dateTime(h.at, data.tz)}</td>
                  <td><a href={`/providers/view?id=${encodeURIComponent(h.provider)}`}><code>{h.provider}</code></a></td>
                  <td><code dir="ltr">{h.scheme}</code></td>
                  <td>
                    <span class={`wh-badge wh-verdict-${h.verdict}`}>{inboundVerdict(h, t)}</span>
                    {h.reason ? <span class="bd-muted bd-block wh-reason" dir="ltr">{h.reason}</span> : null}
                  </td>
                  <td class="wh-event" dir="ltr">{h.eventType ? <code>{h.eventType}</code> : '—'}{h.eventId ? <code class="wh-event-id bd-block">{h.eventId}</code> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
