// PayPal's signing certificates, fetched from the URL a webhook names only when it is on one of
// PayPal's API hosts over HTTPS, and cached (a handful of certificates, for a day).
import type { CertificateSource } from './schemes/paypal.ts';

export const PAYPAL_CERT_HOSTS = new Set(['api.paypal.com', 'api-m.paypal.com', 'api.sandbox.paypal.com', 'api-m.sandbox.paypal.com']);
const MAX_BYTES = 64 * 1024;
const TTL_MS = 24 * 3_600_000;
const MAX_CACHED = 16;

/** Why a certificate URL is refused, or null when it may be fetched. */
export function certUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'PAYPAL-CERT-URL is not a URL';
  }
  if (u.protocol !== 'https:' || u.port !== '' || u.username || u.password) return 'PAYPAL-CERT-URL must be https on the default port';
  if (!PAYPAL_CERT_HOSTS.has(u.hostname)) return `PAYPAL-CERT-URL is not on a PayPal API host (${u.hostname.slice(0, 80)})`;
  if (!u.pathname.startsWith('/v1/notifications/certs/')) return 'PAYPAL-CERT-URL is not a PayPal certificate path';
  return null;
}

export function paypalCertificates(opts: { fetch?: typeof fetch; now?: () => number; timeoutMs?: number } = {}): CertificateSource {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { pem: string; at: number }>();
  return async (url) => {
    const problem = certUrlProblem(url);
    if (problem) throw new Error(problem);
    const hit = cache.get(url);
    if (hit && now() - hit.at < TTL_MS) return hit.pem;
    const res = await doFetch(url, { redirect: 'error', signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
    if (!res.ok) throw new Error(`PayPal answered ${res.status} for the certificate`);
    const text = await res.text();
    if (text.length > MAX_BYTES || !text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('PayPal\'s answer is not a PEM certificate');
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(url, { pem: text, at: now() });
    return text;
  };
}
