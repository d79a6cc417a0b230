// The hmac scheme with Stripe's and Razorpay's templates, payloads signed as each documents:
// Stripe https://docs.stripe.com/webhooks#verify-manually (HMAC-SHA256 hex of `t.payload` with
// the whole whsec_ secret, header t=...,v1=...); Razorpay hex HMAC-SHA256 of the raw body.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, verifyHmac } from '../../../server/inbound/schemes/hmac.ts';
import type { WebhookSignature } from '../../../schemas/types.gen.ts';
import { inbound } from './helpers.ts';

const STRIPE: WebhookSignature = { header: 'Stripe-Signature', algorithm: 'hmac-sha256', encoding: 'hex', secret: '${secret.webhookSecret}', signedPayload: '${timestamp}.${body}', format: 't=${timestamp},v1=${signature}', toleranceSeconds: 300 };
const RAZORPAY: WebhookSignature = { header: 'X-Razorpay-Signature', algorithm: 'hmac-sha256', encoding: 'hex', secret: '${secret.webhookSecret}', signedPayload: '${body}' };
const SECRET = 'whsec_test_0123456789abcdef';
const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const body = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } }, null, 2);
const stripeSig = (secret: string, t: number, payload = body) => createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');
const stripeReq = (header: string, payload = body) => inbound({ body: payload, headers: { 'Stripe-Signature': header } });
const t = NOW / 1000;

describe('hmac scheme: Stripe', () => {
  it('accepts a payload signed as Stripe documents, with its timestamp', () => {
    const v = verifyHmac({ req: stripeReq(`t=${t},v1=${stripeSig(SECRET, t)}`), spec: STRIPE, secrets: [SECRET], now: NOW });
    expect(v).toMatchObject({ ok: true, timestamp: t });
  });

  it('accepts any matching v1 among several (secret rolling) and ignores v0', () => {
    const header = `t=${t},v1=${stripeSig('whsec_old', t)},v1=${stripeSig(SECRET, t)},v0=${stripeSig('whsec_test_mode', t)}`;
    expect(verifyHmac({ req: stripeReq(header), spec: STRIPE, secrets: [SECRET], now: NOW }).ok).toBe(true);
  });

  it('tries every key that holds a secret (a rotated endpoint secret)', () => {
    expect(verifyHmac({ req: stripeReq(`t=${t},v1=${stripeSig(SECRET, t)}`), spec: STRIPE, secrets: ['whsec_other', SECRET], now: NOW }).ok).toBe(true);
  });

  it('refuses a wrong secret, a tampered body, a v0-only header and a missing header', () => {
    expect(verifyHmac({ req: stripeReq(`t=${t},v1=${stripeSig('whsec_wrong', t)}`), spec: STRIPE, secrets: [SECRET], now: NOW })).toMatchObject({ ok: false, refusal: 'signature' });
    expect(verifyHmac({ req: stripeReq(`t=${t},v1=${stripeSig(SECRET, t)}`, body.replace('pi_1', 'pi_2')), spec: STRIPE, secrets: [SECRET], now: NOW })).toMatchObject({ ok: false, refusal: 'signature' });
    expect(verifyHmac({ req: stripeReq(`t=${t},v0=${stripeSig(SECRET, t)}`), spec: STRIPE, secrets: [SECRET], now: NOW })).toMatchObject({ ok: false, refusal: 'signature' });
    expect(verifyHmac({ req: inbound({ body }), spec: STRIPE, secrets: [SECRET], now: NOW })).toMatchObject({ ok: false, refusal: 'signature' });
  });

  it('refuses a timestamp other than the signed one', () => {
    expect(verifyHmac({ req: stripeReq(`t=${t + 1},v1=${stripeSig(SECRET, t)}`), spec: STRIPE, secrets: [SECRET], now: NOW })).toMatchObject({ ok: false, refusal: 'signature' });
  });

  it('refuses a correctly signed event older than the tolerance, or dated too far ahead', () => {
    const old = t - 301;
    expect(verifyHmac({ req: stripeReq(`t=${old},v1=${stripeSig(SECRET, old)}`), spec: STRIPE, secrets: [SECRET], now: NOW })).toMatchObject({ ok: false, refusal: 'stale' });
    const ahead = t + 301;
    expect(verifyHmac({ req: stripeReq(`t=${ahead},v1=${stripeSig(SECRET, ahead)}`), spec: STRIPE, secrets: [SECRET], now: NOW })).toMatchObject({ ok: false, refusal: 'stale' });
    const edge = t - 299;
    expect(verifyHmac({ req: stripeReq(`t=${edge},v1=${stripeSig(SECRET, edge)}`), spec: STRIPE, secrets: [SECRET], now: NOW }).ok).toBe(true);
  });

  it('says so when no key holds the secret', () => {
    expect(verifyHmac({ req: stripeReq(`t=${t},v1=${stripeSig(SECRET, t)}`), spec: STRIPE, secrets: [], now: NOW })).toMatchObject({ ok: false, refusal: 'not-configured' });
  });
});

describe('hmac scheme: Razorpay', () => {
  const payload = '{"entity":"event","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_1"}}},"created_at":1767225600}';
  const sig = createHmac('sha256', 'rzp-webhook-secret').update(payload).digest('hex');

  it('accepts the hex HMAC-SHA256 of the raw body', () => {
    expect(verifyHmac({ req: inbound({ body: payload, headers: { 'X-Razorpay-Signature': sig } }), spec: RAZORPAY, secrets: ['rzp-webhook-secret'], now: NOW })).toMatchObject({ ok: true });
  });

  it('refuses a wrong secret and a body changed by one byte', () => {
    expect(verifyHmac({ req: inbound({ body: payload, headers: { 'X-Razorpay-Signature': sig } }), spec: RAZORPAY, secrets: ['other'], now: NOW }).ok).toBe(false);
    expect(verifyHmac({ req: inbound({ body: `${payload} `, headers: { 'X-Razorpay-Signature': sig } }), spec: RAZORPAY, secrets: ['rzp-webhook-secret'], now: NOW }).ok).toBe(false);
  });
});

describe('parseSignatureHeader', () => {
  it('reads a literal layout around the signature (GitHub style)', () => {
    expect(parseSignatureHeader('sha256=abc', 'sha256=${signature}')).toEqual({ signatures: ['abc'] });
    expect(parseSignatureHeader('md5=abc', 'sha256=${signature}')).toEqual({ signatures: [] });
    expect(parseSignatureHeader('v1:abc', 'v1:${signature}')).toEqual({ signatures: ['abc'] });
    expect(parseSignatureHeader('v2:abc', 'v1:${signature}')).toBeNull();
  });
});
