// Small request readers shared by the payment and search mocks (stripe, paypal, razorpay,
// flutterwave, elasticsearch, meilisearch): the Authorization schemes they check and the form
// bodies they parse. Each mock still decides itself what it accepts.
import { randomBytes } from 'node:crypto';
import type { ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';

const authorization = (r: ReceivedRequest): string => String(r.headers.authorization ?? '');

/** The value after `<scheme> ` (scheme compared case-insensitively, as RFC 9110 says), or null. */
export function authValue(r: ReceivedRequest, scheme: string): string | null {
  const m = /^([A-Za-z][A-Za-z0-9._-]*) (.+)$/.exec(authorization(r));
  return m && m[1].toLowerCase() === scheme.toLowerCase() ? m[2].trim() : null;
}

/** HTTP Basic user and password (RFC 7617: split at the first colon), or null. */
export function basicCredentials(r: ReceivedRequest): { user: string; password: string } | null {
  const v = authValue(r, 'Basic');
  if (v === null || !/^[A-Za-z0-9+/]+=*$/.test(v)) return null;
  const text = Buffer.from(v, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export const isForm = (r: ReceivedRequest): boolean => /^application\/x-www-form-urlencoded\b/i.test(String(r.headers['content-type'] ?? ''));
export const isJson = (r: ReceivedRequest): boolean => /^application\/json\b/i.test(String(r.headers['content-type'] ?? ''));

/** The form body's parameters (empty when the body is not form-encoded). */
export const formParams = (r: ReceivedRequest): URLSearchParams => new URLSearchParams(isForm(r) ? r.body.toString('utf8') : '');

/** A provider-style random id: `prefix` + n base-62-ish characters. */
export const newId = (prefix: string, n = 14): string => prefix + randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n);

/** The last few characters of a credential, masked the way providers echo it back. */
export const masked = (s: string): string => `${s.slice(0, s.indexOf('_', 3) + 1)}${'*'.repeat(8)}${s.slice(-4)}`;
