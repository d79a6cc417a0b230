// Small bits shared by the messaging/email provider mocks of this group (twilio, sendgrid,
// mailchimp, mailchimp-transactional, messagebird, telegram): credential parsing and body
// parsing exactly as the providers read them, and predictable ids.
import { createHash } from 'node:crypto';
import type { ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';

/** HTTP Basic user and password (RFC 7617), or null when the header is missing or not Basic. */
export function basicCredentials(r: ReceivedRequest): { user: string; password: string } | null {
  const m = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(String(r.headers.authorization ?? ''));
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The credential after `Authorization: <scheme> `, or null when the scheme differs (case-insensitive scheme, as RFC 9110). */
export function schemeCredentials(r: ReceivedRequest, scheme: string): string | null {
  const header = String(r.headers.authorization ?? '');
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme.toLowerCase()) return null;
  return header.slice(space + 1);
}

/** The media type of the request, lower case, without parameters. */
export const mediaType = (r: ReceivedRequest): string => String(r.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/** A JSON object body, or undefined when the body is not a JSON object. */
export function jsonObject(r: ReceivedRequest): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(r.body.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Parameters from a form body, a JSON object body, then the query (first wins), as most APIs read them. */
export function params(r: ReceivedRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of r.query) out[k] = v;
  if (mediaType(r) === 'application/json') Object.assign(out, jsonObject(r) ?? {});
  if (mediaType(r) === 'application/x-www-form-urlencoded') for (const [k, v] of new URLSearchParams(r.body.toString('utf8'))) out[k] = v;
  return out;
}

/** A deterministic id of `length` hex digits from a seed (predictable in tests, unique per seed). */
export const hexId = (seed: string, length = 32): string => createHash('sha256').update(seed).digest('hex').slice(0, length);
