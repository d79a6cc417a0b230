// The paypal scheme: SHA256withRSA over `transmission id|transmission time|webhook id|CRC32 of
// the body (unsigned decimal)`, verified with the certificate at PAYPAL-CERT-URL (PayPal's
// "Integrate webhooks" page, offline verification). The certificate here is a test one
// (fixtures/, made with openssl); the fetcher refuses any host but PayPal's API hosts.
import { readFileSync } from 'node:fs';
import { sign, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { paypalVerifier, paypalSignedString } from '../../../server/inbound/schemes/paypal.ts';
import { certUrlProblem, paypalCertificates } from '../../../server/inbound/paypal-certs.ts';
import { inbound } from './helpers.ts';

const CERT = readFileSync(new URL('./fixtures/paypal-test.crt', import.meta.url), 'utf8');
const KEY = readFileSync(new URL('./fixtures/paypal-test.key', import.meta.url), 'utf8');
const SPEC = { scheme: 'paypal' as const, header: 'PAYPAL-TRANSMISSION-SIG', webhookId: '${connection.webhookId}', toleranceSeconds: 600 };
const CERT_URL = 'https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-test';
// A day into the test certificate's validity.
const NOW = Date.parse(new X509Certificate(CERT).validFrom) + 86_400_000;
const TIME = new Date(NOW).toISOString();
const body = '{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"5O190127TN364715T"}}';

function headers(time = TIME, payload = body, webhookId = 'WH1234') {
  const message = `69cd13f0-d67a-11e5-baa3-778b53f4ae55|${time}|${webhookId}|${crc32(Buffer.from(payload))}`;
  return {
    'PAYPAL-TRANSMISSION-ID': '69cd13f0-d67a-11e5-baa3-778b53f4ae55',
    'PAYPAL-TRANSMISSION-TIME': time,
    'PAYPAL-TRANSMISSION-SIG': sign('sha256', Buffer.from(message), KEY).toString('base64'),
    'PAYPAL-CERT-URL': CERT_URL,
    'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
  };
}
const verify = paypalVerifier(async (url) => {
  const problem = certUrlProblem(url);
  if (problem) throw new Error(problem);
  return CERT;
});

describe('paypal scheme', () => {
  it('accepts a transmission signed over id|time|webhook id|crc32', async () => {
    expect(await verify({ req: inbound({ body, headers: headers() }), spec: SPEC, secrets: [], webhookId: 'WH1234', now: NOW })).toMatchObject({ ok: true, transmissionId: '69cd13f0-d67a-11e5-baa3-778b53f4ae55' });
    expect(paypalSignedString('a', 't', 'w', Buffer.from('x'))).toBe(`a|t|w|${crc32('x') >>> 0}`);
  });

  it('refuses another webhook id, a changed body, another algorithm, a stale time', async () => {
    expect(await verify({ req: inbound({ body, headers: headers() }), spec: SPEC, secrets: [], webhookId: 'OTHER', now: NOW })).toMatchObject({ ok: false, refusal: 'signature' });
    expect((await verify({ req: inbound({ body: body.replace('WH-1', 'WH-2'), headers: headers() }), spec: SPEC, secrets: [], webhookId: 'WH1234', now: NOW })).ok).toBe(false);
    expect((await verify({ req: inbound({ body, headers: { ...headers(), 'PAYPAL-AUTH-ALGO': 'SHA1withRSA' } }), spec: SPEC, secrets: [], webhookId: 'WH1234', now: NOW })).ok).toBe(false);
    expect(await verify({ req: inbound({ body, headers: headers(new Date(NOW - 601_000).toISOString()) }), spec: SPEC, secrets: [], webhookId: 'WH1234', now: NOW })).toMatchObject({ ok: false, refusal: 'stale' });
    expect(await verify({ req: inbound({ body, headers: headers() }), spec: SPEC, secrets: [], now: NOW })).toMatchObject({ ok: false, refusal: 'not-configured' });
  });

  it('refuses a certificate URL off PayPal\'s API hosts without fetching it', async () => {
    const evil = { ...headers(), 'PAYPAL-CERT-URL': 'https://evil.example/v1/notifications/certs/x' };
    expect(await verify({ req: inbound({ body, headers: evil }), spec: SPEC, secrets: [], webhookId: 'WH1234', now: NOW })).toMatchObject({ ok: false, message: expect.stringContaining('PayPal API host') });
    let fetched = 0;
    const certs = paypalCertificates({ fetch: (async () => { fetched++; return new Response(CERT); }) as typeof fetch });
    await expect(certs('http://api.paypal.com/v1/notifications/certs/x')).rejects.toThrow(/https/);
    await expect(certs('https://api.paypal.com.evil.example/v1/notifications/certs/x')).rejects.toThrow(/PayPal API host/);
    await expect(certs(CERT_URL)).resolves.toContain('BEGIN CERTIFICATE');
    await certs(CERT_URL);
    expect(fetched).toBe(1);
  });
});
