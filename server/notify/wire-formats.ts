// Each provider's documented send request for one message, as the path below the binding
// (/bind/<binding>/<subPath>), headers and body. Credentials are not here: the binding's auth
// scheme adds them (SendGrid bearer, Mandrill `key` in the JSON body, Twilio Basic, MessageBird
// AccessKey, Telegram's token in the base URL).
//   SendGrid      POST /v3/mail/send           JSON personalizations/from/subject/content   202
//   Mandrill      POST /api/1.0/messages/send  JSON {message: {subject, text, from_email, to}}  200
//   Twilio        POST /Accounts/{sid}/Messages.json  form To, From, Body (one per recipient) 201
//   MessageBird   POST /messages               JSON {originator, recipients, body}          201
//   Telegram      POST /bot<token>/sendMessage JSON {chat_id, text} (one per chat)          200 ok:true
import type { NotificationMessage } from './message.ts';

export type ProviderKind = 'sendgrid' | 'mandrill' | 'twilio' | 'messagebird' | 'telegram';
export type ChannelType = 'email' | 'sms' | 'telegram';

/** Catalog template id → wire format. */
export const KIND_OF_TEMPLATE: Readonly<Record<string, ProviderKind>> = {
  sendgrid: 'sendgrid',
  'mailchimp-transactional': 'mandrill',
  mandrill: 'mandrill',
  twilio: 'twilio',
  messagebird: 'messagebird',
  telegram: 'telegram',
};

export const KINDS_OF_CHANNEL: Readonly<Record<ChannelType, readonly ProviderKind[]>> = {
  email: ['sendgrid', 'mandrill'],
  sms: ['twilio', 'messagebird'],
  telegram: ['telegram'],
};

/** The template's send service (the binding's targets use it, or the pass-through `api` service). */
export const SEND_SERVICE: Readonly<Record<ProviderKind, string>> = {
  sendgrid: 'mail-send',
  mandrill: 'messages-send',
  twilio: 'messages',
  messagebird: 'messages',
  telegram: 'send-message',
};

/** The send endpoint below the template's base URL, for a target on the pass-through `api` service. */
export function sendEndpoint(kind: ProviderKind, connection: Readonly<Record<string, string | undefined>>): string {
  switch (kind) {
    case 'sendgrid':
      return '/mail/send';
    case 'mandrill':
      return '/messages/send';
    case 'twilio':
      return `/Accounts/${encodeURIComponent(connection.accountSid ?? '')}/Messages.json`;
    case 'messagebird':
      return '/messages';
    case 'telegram':
      return '/sendMessage';
  }
}

export interface SendRequest {
  headers: Record<string, string>;
  body: string;
  /** Who this request reaches (for error messages). */
  recipients: string[];
}

/** At most this many recipients per channel. */
export const MAX_RECIPIENTS = 10;

export function recipientsOf(to: string | undefined): string[] {
  return (to ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').slice(0, MAX_RECIPIENTS);
}

const JSON_TYPE = { 'content-type': 'application/json', accept: 'application/json' };

/** The requests that deliver `message` to `to` (one, or one per recipient where the API takes one). */
export function renderSend(kind: ProviderKind, message: NotificationMessage, to: readonly string[], from: string | undefined): SendRequest[] {
  switch (kind) {
    case 'sendgrid':
      return [{
        headers: { ...JSON_TYPE },
        recipients: [...to],
        body: JSON.stringify({
          personalizations: [{ to: to.map((email) => ({ email })) }],
          from: { email: from ?? '' },
          subject: message.subject,
          content: [{ type: 'text/plain', value: message.text }],
        }),
      }];
    case 'mandrill':
      return [{
        headers: { ...JSON_TYPE },
        recipients: [...to],
        body: JSON.stringify({ message: { subject: message.subject, text: message.text, from_email: from ?? '', to: to.map((email) => ({ email, type: 'to' })) } }),
      }];
    case 'twilio':
      return to.map((number) => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        recipients: [number],
        // A Messaging Service SID (MG...) sends from the service's pool instead of one number.
        body: new URLSearchParams({ To: number, ...(from?.startsWith('MG') ? { MessagingServiceSid: from } : { From: from ?? '' }), Body: message.short }).toString(),
      }));
    case 'messagebird':
      return [{ headers: { ...JSON_TYPE }, recipients: [...to], body: JSON.stringify({ originator: from ?? '', recipients: [...to], body: message.short }) }];
    case 'telegram':
      return to.map((chat) => ({
        headers: { ...JSON_TYPE },
        recipients: [chat],
        body: JSON.stringify({ chat_id: /^-?\d+$/.test(chat) ? Number(chat) : chat, text: message.text, disable_web_page_preview: true }),
      }));
  }
}

/** Whether the provider took the message, and if not, its own reason (short, safe to show). */
export function answerVerdict(kind: ProviderKind, status: number, body: string): { ok: true } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  const j = (json ?? {}) as Record<string, unknown>;
  const fail = (reason: unknown) => ({ ok: false as const, reason: `${kind} answered ${status}${typeof reason === 'string' && reason ? `: ${clean(reason)}` : ''}` });
  if (kind === 'telegram') {
    // Telegram answers errors with ok:false, sometimes under HTTP 200.
    if (status >= 200 && status < 300 && j.ok === true) return { ok: true };
    return fail(j.description);
  }
  if (status < 200 || status >= 300) {
    if (kind === 'sendgrid') return fail((j.errors as { message?: unknown }[] | undefined)?.[0]?.message);
    if (kind === 'messagebird') return fail((j.errors as { description?: unknown }[] | undefined)?.[0]?.description);
    return fail(j.message);
  }
  if (kind === 'mandrill' && Array.isArray(json)) {
    // 200 with a result per recipient: rejected and invalid addresses were not sent.
    const refused = (json as { email?: string; status?: string; reject_reason?: string }[]).filter((r) => r.status === 'rejected' || r.status === 'invalid');
    if (refused.length > 0) return { ok: false, reason: `mandrill refused ${refused.map((r) => `${r.email} (${r.status}${r.reject_reason ? `: ${r.reject_reason}` : ''})`).join(', ')}` };
  }
  return { ok: true };
}

function clean(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 199)}…` : one;
}
