// PayPal's webhook signature, verified offline (https://developer.paypal.com/api/rest/webhooks/rest/):
// PAYPAL-TRANSMISSION-SIG is a base64 SHA256withRSA signature of
// `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the raw body, unsigned decimal>`,
// made with the key of the certificate at PAYPAL-CERT-URL. The certificate is only fetched from
// PayPal's own API hosts over HTTPS (paypal-certs.ts): TLS to that allowlisted host is what
// vouches for it, and it must be within its validity dates.
import { verify, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { outsideWindow } from '../compare.ts';
import { refuse, type SchemeInput, type Verdict } from '../types.ts';

/** The PEM certificate at an (allowlisted) URL; throws when the URL is not PayPal's or the fetch fails. */
export type CertificateSource = (url: string) => Promise<string>;

export function paypalSignedString(transmissionId: string, time: string, webhookId: string, body: Buffer): string {
  return `${transmissionId}|${time}|${webhookId}|${crc32(body) >>> 0}`;
}

export function paypalVerifier(certificates: CertificateSource) {
  return async function verifyPaypal({ req, spec, webhookId, now }: SchemeInput): Promise<Verdict> {
    const signature = req.header(spec.header);
    const id = req.header('paypal-transmission-id');
    const time = req.header('paypal-transmission-time');
    const certUrl = req.header('paypal-cert-url');
    const algo = req.header('paypal-auth-algo') ?? 'SHA256withRSA';
    if (!signature || !id || !time || !certUrl) return refuse('signature', `PayPal's ${!signature ? spec.header : !id ? 'PAYPAL-TRANSMISSION-ID' : !time ? 'PAYPAL-TRANSMISSION-TIME' : 'PAYPAL-CERT-URL'} header is missing`);
    if (algo !== 'SHA256withRSA') return refuse('signature', `PAYPAL-AUTH-ALGO ${algo.slice(0, 40)} is not SHA256withRSA`);
    if (!webhookId) return refuse('not-configured', 'the provider has no webhook id (connection.webhookId)');
    const seconds = Date.parse(time) / 1000;
    if (!Number.isFinite(seconds)) return refuse('signature', 'PAYPAL-TRANSMISSION-TIME is not a date');
    let pem: string;
    try {
      pem = await certificates(certUrl);
    } catch (err) {
      return refuse('signature', `the certificate cannot be used: ${(err as Error).message}`);
    }
    let ok = false;
    try {
      const cert = new X509Certificate(pem);
      if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) < now) return refuse('signature', 'the certificate is not valid at this time');
      ok = verify('sha256', Buffer.from(paypalSignedString(id, time, webhookId, req.body), 'utf8'), cert.publicKey, Buffer.from(signature.trim(), 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) return refuse('signature', `${spec.header} does not verify with PayPal's certificate`);
    const stale = outsideWindow(seconds, now, spec.toleranceSeconds);
    if (stale) return stale;
    return { ok: true, timestamp: Math.floor(seconds), digest: `paypal:${id}`, transmissionId: id };
  };
}
