// What the webhooks screen reads and writes: /api/webhooks (docs/webhooks.md), the environments
// for the form, and the hub's time zone for times. Every write names the commit it was based on.
import { api } from '../../lib/api.ts';
import { get } from '../bindings/data.ts';
import { lang } from '../../i18n/index.ts';
import { formatLocale, formats, type Formats } from '../../lib/analytics-format.ts';
import type { DeliveryDetail, DeliverySummary, Webhook, WebhookItem } from '../../lib/webhooks.ts';

export { get };

const one = (name: string) => `/api/webhooks/${encodeURIComponent(name)}`;

export const listWebhooks = () => get<{ commit: string; webhooks: WebhookItem[] }>('/api/webhooks');
export const getWebhook = (name: string) => get<{ commit: string; webhook: WebhookItem }>(one(name));
export const environments = () => get<{ environments: { name: string }[] }>('/api/environments').then((r) => r.environments.map((e) => e.name));
export const timeZone = () => get<{ settings: { timeZone?: string } }>('/api/settings').then((r) => r.settings.timeZone ?? 'UTC', () => 'UTC');

/** POST (new) or PUT; a new subscription's answer carries its secret, shown once. */
export async function saveWebhook(doc: Webhook, exists: boolean, base: string): Promise<{ commit: string; secret?: string }> {
  return exists ? api.send('PUT', one(doc.name), { base, webhook: doc }) : api.send('POST', '/api/webhooks', { base, webhook: doc });
}
export const deleteWebhook = (name: string, base: string) => api.send('DELETE', one(name), { base });
export const rotateSecret = (name: string, base: string, graceHours: number) => api.send<{ commit: string; secret: string; graceHours: number }>('POST', `${one(name)}/secret/rotate`, { base, graceHours });
export const enableWebhook = (name: string) => api.send('POST', `${one(name)}/enable`, {});
export const deliveries = (name: string) => get<{ deliveries: DeliverySummary[]; total: number }>(`${one(name)}/deliveries?limit=100`);
export const delivery = (id: string) => get<{ delivery: DeliveryDetail }>(`/api/webhooks/deliveries/${encodeURIComponent(id)}`).then((r) => r.delivery);
export const replay = (id: string) => api.send<{ delivery: DeliverySummary }>('POST', `/api/webhooks/deliveries/${encodeURIComponent(id)}/replay`, {}).then((r) => r.delivery);

/** Numbers and times in the page's language (Arabic-Indic digits in Arabic). */
export function pageFormats(): Formats {
  return formats(formatLocale(lang(), typeof navigator === 'undefined' ? [] : navigator.languages));
}

/** An ISO time from the API in the page's language and the hub's time zone; "—" for none. */
export const when = (f: Formats, iso: string | null | undefined, tz: string) => (iso ? f.dateTime(Date.parse(iso), tz) : '—');
