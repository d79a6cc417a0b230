// The top bar's bell: how many alerts are firing and not acknowledged (GET /api/alerts/unread
// every 10 s while the page is visible, and at once when the alerts page changes one); a link
// to /alerts. Quiet until the owner is signed in.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t, lang } from '../../i18n/index.ts';
import { session } from '../../lib/api.ts';
import { formatLocale, formats } from '../../lib/analytics-format.ts';
import { ALERTS_CHANGED, POLL_SECONDS, badgeText, loadUnread, type AlertUnread } from '../../lib/alerts.ts';

export default function AlertBadge() {
  const [data, setData] = useState<AlertUnread | null>(null);
  const f = useMemo(() => formats(formatLocale(lang(), typeof navigator === 'undefined' ? [] : navigator.languages)), []);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      clearTimeout(timer);
      if (stopped) return;
      try {
        if (document.visibilityState !== 'hidden' && (await session()).authenticated) setData(await loadUnread());
      } catch {
        // the count waits for the next poll; the page shows its own errors
      }
      if (!stopped) timer = setTimeout(poll, POLL_SECONDS * 1000);
    };
    void poll();
    const now = () => void poll();
    document.addEventListener(ALERTS_CHANGED, now);
    document.addEventListener('visibilitychange', now);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener(ALERTS_CHANGED, now);
      document.removeEventListener('visibilitychange', now);
    };
  }, []);
  const unread = data?.unread ?? 0;
  const label = unread > 0 ? t('alerts.badge.label', { count: f.number(unread) }) : t('alerts.badge.none');
  return (
    <a href="/alerts" class={`al-bell button button-quiet${data && data.critical > 0 ? ' al-bell-critical' : ''}`} aria-label={label} title={label} data-testid="alert-badge" data-unread={unread}>
      <span aria-hidden="true">🔔</span>
      {unread > 0 ? <span class="al-bell-count" aria-hidden="true">{badgeText(unread, f)}</span> : null}
    </a>
  );
}
