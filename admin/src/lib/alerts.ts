// The notification centre's client side: the /api/alerts calls, silence end times, and each
// alert's title in the console's language from its kind and evidence (the hub's English title
// where a figure is missing). Pure apart from the api calls.
import { api } from './api.ts';
import type { Formats } from './analytics-format.ts';

export type { AlertKind } from '../../../server/observe/alerts/types.ts';
import type { Alert, AlertKind, AlertSeverity } from '../../../server/observe/alerts/types.ts';
export const ALERT_KINDS: readonly AlertKind[] = ['provider-down', 'policy', 'budget', 'config-rejected', 'key-rotation-overdue', 'key-rotation-due', 'key-expiring', 'channel-failed', 'webhook-disabled', 'shared-state-unavailable', 'remote-sync'];
export type Severity = AlertSeverity;
/** An alert as GET /api/alerts answers it (server/observe/alerts/types.ts). */
export type AlertItem = Alert;

export interface AlertList { at: number; unread: number; alerts: AlertItem[] }
export interface AlertUnread { at: number; unread: number; firing: number; critical: number }

/** How often the top bar and the alerts page ask again. */
export const POLL_SECONDS = 10;
/** Told by the alerts page after a change, so the top bar's count follows at once. */
export const ALERTS_CHANGED = 'sil:alerts-changed';

const path = (id: string, action: string) => `/api/alerts/${encodeURIComponent(id)}/${action}`;

export function loadAlerts(filter: { state?: string; kind?: string } = {}): Promise<AlertList> {
  const q = new URLSearchParams();
  if (filter.state) q.set('state', filter.state);
  if (filter.kind) q.set('kind', filter.kind);
  return api.get<AlertList>(`/api/alerts${q.size ? `?${q}` : ''}`);
}

export const loadUnread = () => api.peek<AlertUnread>('/api/alerts/unread');
export const acknowledge = (id: string) => api.send('POST', path(id, 'ack'), {});
export const silence = (id: string, until: number, scope: 'alert' | 'kind' = 'alert') => api.send('POST', path(id, 'silence'), { until, scope });
export const unsilence = (id: string) => api.send('DELETE', path(id, 'silence'), {});

const MAX_SILENCE_MS = 90 * 86_400_000;

/** The end of a silence of `hours` from now. */
export const silenceFor = (hours: number, now: number) => now + hours * 3_600_000;

/** A `<input type="datetime-local">` value (the browser's time) as epoch ms; null when empty, past or over 90 days ahead. */
export function customUntil(value: string, now: number): number | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return null;
  const t = new Date(value).getTime();
  return Number.isFinite(t) && t > now && t <= now + MAX_SILENCE_MS ? t : null;
}

/** Unread count for the badge: 99+ past 99. */
export const badgeText = (n: number, f: Pick<Formats, 'number'>) => (n > 99 ? `${f.number(99)}+` : f.number(n));

type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** The alert's title in the console's language, from its kind and evidence. */
export function alertTitle(a: AlertItem, t: Translate, f: Formats, timeZone: string): string {
  const e = a.evidence ?? {};
  const n = (k: string) => (typeof e[k] === 'number' ? (e[k] as number) : undefined);
  switch (a.kind) {
    case 'policy': {
      const metric = String(e.metric ?? '');
      const value = n('value');
      const threshold = n('threshold');
      if (value === undefined || threshold === undefined) return a.title;
      const fmt = (v: number) => (metric === 'error-rate' ? f.percent(v) : metric === 'latency-p95-ms' ? f.ms(v) : metric === 'cost' ? (e.currency ? f.money(v, String(e.currency)) : f.number(v, 4)) : metric === 'quota-percent' ? f.percent(v / 100) : f.number(v));
      return t('alerts.title.policy', { policy: String(e.policy ?? a.subject), metric: t(`alerts.metric.${metric}`), value: fmt(value), threshold: fmt(threshold) });
    }
    case 'key-rotation-due':
    case 'key-rotation-overdue': {
      const due = n('daysUntilDue');
      if (due === undefined) return a.title;
      return t(`alerts.title.${a.kind}`, { subject: a.subject, days: f.days(Math.abs(due)) });
    }
    case 'key-expiring':
      return e.expires ? t('alerts.title.key-expiring', { subject: a.subject, date: f.date(Date.parse(String(e.expires)), timeZone) }) : a.title;
    case 'config-rejected':
      return t('alerts.title.config-rejected', { commit: String(e.commit ?? a.subject).slice(0, 7) });
    case 'budget': {
      const percent = n('percent');
      return percent === undefined ? a.title : t('alerts.title.budget', { policy: String(e.policy ?? ''), percent: f.percent(percent / 100), scope: String(e.scope ?? '') });
    }
    default:
      return t(`alerts.title.${a.kind}`, { subject: a.subject });
  }
}
