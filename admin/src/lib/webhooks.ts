// The webhooks screen's pure logic (docs/webhooks.md): the event choices, the form to and from a
// subscription document (fields the form does not show are kept; the API's `state` and `signing`
// are dropped), custom headers and the retry schedule as text, what an endpoint's state means, and
// a delivery's outcome in words. No DOM, no I/O: tested in Node (test/unit/admin/webhooks.test.ts).
import type { WebhookSubscription } from '../../../schemas/types.gen.ts';

export type Webhook = WebhookSubscription;
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** server/events/hub-events.ts EVENT_TYPES (that module needs node:crypto; the unit test keeps the two equal). */
export const EVENT_TYPES = ['alert.firing', 'alert.resolved', 'provider.status', 'key.rotated', 'config.applied', 'config.rejected', 'budget.threshold', 'provider.webhook'] as const;
export const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PATTERN = /^(\*|[a-z]+(\.[a-z_-]+)*(\.\*)?)$/;

/** `*`, then per prefix `prefix.*` followed by its types: what the events picker offers. */
export function eventChoices(): { value: string; wildcard: boolean }[] {
  const out = [{ value: '*', wildcard: true }];
  for (const prefix of [...new Set(EVENT_TYPES.map((e) => e.split('.')[0]!))]) {
    out.push({ value: `${prefix}.*`, wildcard: true });
    for (const type of EVENT_TYPES.filter((e) => e.startsWith(`${prefix}.`))) out.push({ value: type, wildcard: false });
  }
  return out;
}

/** What the hub says about an endpoint (GET /api/webhooks `state`). */
export interface EndpointState { disabledByHub: boolean; disabledAt?: string; disabledReason?: string; failingSince?: string; consecutiveFailures?: number; lastSuccessAt?: string }
export interface WebhookItem extends Webhook { state?: EndpointState; signing?: { keys: { id: string; status: string; created?: string; retireAt?: string; fingerprint?: string }[] } }

export type Status = 'active' | 'failing' | 'disabled-hub' | 'off';

/** The endpoint's status: switched off in its file, disabled by the hub (reason, since), failing (since), or active. */
export function endpointStatus(w: WebhookItem): { status: Status; since?: string; reason?: string } {
  const s = w.state;
  if (s?.disabledByHub) return { status: 'disabled-hub', since: s.disabledAt, reason: s.disabledReason };
  if (w.enabled === false) return { status: 'off' };
  if (s?.failingSince) return { status: 'failing', since: s.failingSince };
  return { status: 'active' };
}

// ---- the form ----

export interface WebhookForm {
  name: string;
  description: string;
  url: string;
  environment: string;
  enabled: boolean;
  events: string[];
  /** "Name: value" per line. */
  headers: string;
  /** Retries after the immediate attempt: "5s, 5m, 30m, 2h"; empty for the hub's default. */
  schedule: string;
  disableAfterFailures: string;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** 300 → "5m", 7200 → "2h", 90 → "90s". */
export function durationText(seconds: number): string {
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

/** "5s, 5m 2h" → [5, 300, 7200] (a bare number is seconds); null when a word is not a duration of 1 s to 7 days. */
export function parseSchedule(text: string): number[] | null {
  const words = text.split(/[\s,،]+/).filter(Boolean);
  const out: number[] = [];
  for (const w of words) {
    const m = /^(\d{1,7})([smhd]?)$/i.exec(w);
    const n = m ? Number(m[1]) * UNITS[(m[2] || 's').toLowerCase()]! : NaN;
    if (!(n >= 1 && n <= 604_800)) return null;
    out.push(n);
  }
  return out.length > 20 ? null : out;
}

export const headersText = (h: Record<string, string> | undefined): string => Object.entries(h ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');

/** "X-Team: platform" lines → an object; null when a line has no name or the name is reserved (webhook-*, content-type). */
export function parseHeaders(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.*)$/.exec(line);
    if (!m || /^(webhook-|content-type$)/i.test(m[1]!) || m[2]!.length > 1024) return null;
    out[m[1]!] = m[2]!;
  }
  return out;
}

export function webhookFormOf(w: Webhook | null): WebhookForm {
  return {
    name: w?.name ?? '',
    description: w?.description ?? '',
    url: w?.url ?? '',
    environment: w?.environment ?? '',
    enabled: w?.enabled !== false,
    events: [...(w?.events ?? [])],
    headers: headersText(w?.headers),
    schedule: (w?.retry?.scheduleSeconds ?? []).map(durationText).join(', '),
    disableAfterFailures: w?.retry?.disableAfterFailures === undefined ? '' : String(w.retry.disableAfterFailures),
  };
}

type Json = Record<string, unknown>;

/** The document to POST/PUT: the original's other fields kept, `enabled: true` written only when it was there. */
export function webhookOf(form: WebhookForm, original: WebhookItem | null = null): Webhook {
  const { state: _s, signing: _g, ...kept } = (original ?? {}) as WebhookItem;
  const out: Json = { ...kept, name: form.name.trim(), url: form.url.trim(), events: form.events };
  const set = (o: Json, key: string, value: unknown, keep: boolean) => (keep ? (o[key] = value) : delete o[key]);
  set(out, 'description', form.description.trim(), form.description.trim() !== '');
  set(out, 'environment', form.environment, form.environment !== '');
  set(out, 'enabled', form.enabled, !form.enabled || original?.enabled !== undefined);
  const headers = parseHeaders(form.headers) ?? {};
  set(out, 'headers', headers, Object.keys(headers).length > 0);
  const retry: Json = { ...(original?.retry ?? {}) };
  const schedule = parseSchedule(form.schedule) ?? [];
  set(retry, 'scheduleSeconds', schedule, schedule.length > 0);
  set(retry, 'disableAfterFailures', Number(form.disableAfterFailures.trim()), form.disableAfterFailures.trim() !== '');
  set(out, 'retry', retry, Object.keys(retry).length > 0);
  return out as unknown as Webhook;
}

export type FormProblem = 'name' | 'url' | 'events' | 'headers' | 'schedule' | 'disableAfterFailures';

/** What the form can tell before sending; the server's validator checks the rest (422). */
export function formProblems(form: WebhookForm): Partial<Record<FormProblem, true>> {
  const p: Partial<Record<FormProblem, true>> = {};
  if (!NAME.test(form.name.trim())) p.name = true;
  if (!/^https?:\/\/[^\s/]+/.test(form.url.trim()) || form.url.trim().length > 2048) p.url = true;
  if (form.events.length === 0 || !form.events.every((e) => PATTERN.test(e))) p.events = true;
  if (parseHeaders(form.headers) === null) p.headers = true;
  if (parseSchedule(form.schedule) === null) p.schedule = true;
  const d = form.disableAfterFailures.trim();
  if (d !== '' && !(/^\d{1,6}$/.test(d) && Number(d) >= 1)) p.disableAfterFailures = true;
  return p;
}

/** Grace hours of a rotation: a whole number 0..720; null otherwise. Empty is the hub's default (24). */
export function parseGraceHours(text: string): number | null {
  const v = text.trim() || '24';
  return /^\d{1,3}$/.test(v) && Number(v) <= 720 ? Number(v) : null;
}

// ---- deliveries ----

export interface DeliverySummary {
  id: string; webhookId: string; webhook: string; type: string; state: 'pending' | 'delivered' | 'failed';
  createdAt: string; attempts: number; lastStatus: number | null; lastError?: string;
  /** The last attempt's duration in ms; absent before the first attempt. */
  lastMs?: number; nextAt: string | null; reason?: string; replayOf?: string;
}
export interface AttemptView { at: string; status: number | null; ms: number; error?: string; response?: string }
export interface DeliveryDetail extends DeliverySummary { body: string; attemptLog: AttemptView[] }

/** The last attempt as [status, error?]: ["HTTP 500", "connection refused"], ["not attempted yet"]. */
export function lastOutcomeParts(d: Pick<DeliverySummary, 'attempts' | 'lastStatus' | 'lastError'>, t: Translate): string[] {
  if (d.attempts === 0) return [t('webhooks.delivery.notYet')];
  const parts = [d.lastStatus === null ? t('webhooks.delivery.noAnswer') : `HTTP ${d.lastStatus}`];
  if (d.lastError && d.lastError !== parts[0]) parts.push(d.lastError);
  return parts;
}

/** The last attempt in words: "HTTP 500 · connection refused", "not attempted yet". */
export const lastOutcome = (d: Pick<DeliverySummary, 'attempts' | 'lastStatus' | 'lastError'>, t: Translate): string => lastOutcomeParts(d, t).join(' · ');

/** The body pretty-printed when it is JSON (it always is; as sent otherwise). */
export function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

// ---- inbound provider webhooks (GET /api/hooks/recent; docs/inbound-webhooks.md) ----

export interface InboundHook {
  at: number; provider: string; scheme: string; verdict: 'accepted' | 'refused';
  code?: string; reason?: string; eventType?: string; eventId?: string; hubEventId?: string; environment?: string;
}

/** The URL a provider is given: `<hub URL>/hooks/<provider-id>` (ids are lowercase letters, digits and dashes). */
export const hookUrl = (origin: string, provider: string): string => `${origin.replace(/\/+$/, '')}/hooks/${provider}`;

/** The verdict in words: "Accepted", "Refused · SIL_HOOK_SIGNATURE". */
export function inboundVerdict(h: Pick<InboundHook, 'verdict' | 'code'>, t: Translate): string {
  return h.verdict === 'accepted' ? t('webhooks.inbound.accepted') : [t('webhooks.inbound.refused'), h.code].filter(Boolean).join(' · ');
}
