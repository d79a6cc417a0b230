// The words of a notification: one subject line and a plain-text body, from the alert alone (no
// provider knowledge here). Plain text everywhere: no HTML or Markdown to escape, and an SMS or a
// Telegram message reads the same as the email.
import type { AlertNotification } from '../observe/alerts/types.ts';

export interface NotificationMessage {
  /** `[sil] FIRING critical: <title>` or `[sil] RESOLVED: <title>`. */
  subject: string;
  /** The whole message (email, Telegram). */
  text: string;
  /** A short form for SMS: at most SMS_MAX characters. */
  short: string;
}

/** Two concatenated SMS segments of GSM-7 text. */
export const SMS_MAX = 306;
/** Telegram's sendMessage takes at most 4096 characters. */
export const TEXT_MAX = 4000;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The console's alerts page for this alert, when the hub knows where its console is. */
export function alertLink(consoleUrl: string | undefined, alertId: string): string | undefined {
  if (!consoleUrl) return undefined;
  return `${consoleUrl.replace(/\/+$/, '')}/alerts?alert=${encodeURIComponent(alertId)}`;
}

export function renderMessage(n: AlertNotification, consoleUrl?: string): NotificationMessage {
  const a = n.alert;
  const head = n.transition === 'firing' ? `FIRING ${a.severity}` : 'RESOLVED';
  const subject = clip(`[sil] ${head}: ${a.title}`.replace(/[\r\n]+/g, ' '), 200);
  const link = alertLink(consoleUrl, a.id);
  const lines = [a.title, ''];
  lines.push(n.transition === 'firing' ? `State: firing (${a.severity}) since ${iso(a.firedAt)}` : `State: resolved at ${iso(a.resolvedAt ?? a.lastSeenAt)} (fired ${iso(a.firedAt)})`);
  lines.push(`Subject: ${a.subject}`);
  if (a.count > 1) lines.push(`Fired ${a.count} times`);
  if (a.detail) lines.push('', a.detail);
  if (a.evidence && Object.keys(a.evidence).length > 0) {
    lines.push('');
    for (const [k, v] of Object.entries(a.evidence).slice(0, 20)) lines.push(`${k}: ${v}`);
  }
  if (link) lines.push('', link);
  lines.push('', `Alert ${a.id}`);
  const text = clip(lines.join('\n'), TEXT_MAX);
  const shortBody = `[sil] ${head}: ${a.title}${a.detail ? ` — ${a.detail}` : ''}`.replace(/\s+/g, ' ');
  // A link longer than a third of the SMS is left out of it (the email and Telegram keep it).
  const short = link && link.length <= 100 ? `${clip(shortBody, SMS_MAX - link.length - 1)} ${link}` : clip(shortBody, SMS_MAX);
  return { subject, text, short };
}
