// The ecdsa-p256 scheme with SendGrid's template: the signed Event Webhook is ECDSA P-256 /
// SHA-256 over the timestamp header followed by the raw body, base64 DER signature, checked with
// the base64 DER public key the SendGrid console shows (SendGrid's "Event Webhook security
// features" page; @sendgrid/eventwebhook verifySignature). Signed here the same way.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyEcdsaP256 } from '../../../server/inbound/schemes/ecdsa-p256.ts';
import { inbound } from './helpers.ts';

const SPEC = { scheme: 'ecdsa-p256' as const, header: 'X-Twilio-Email-Event-Webhook-Signature', timestampHeader: 'X-Twilio-Email-Event-Webhook-Timestamp', publicKey: '${connection.webhookPublicKey}', toleranceSeconds: 600 };
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PUBLIC = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const NOW = 1_767_225_600_000;
const body = '[{"email":"a@example.test","event":"delivered","sg_event_id":"sg1","timestamp":1767225590}]\r\n';
const headersFor = (ts: string, payload = body, key = privateKey) => ({
  'X-Twilio-Email-Event-Webhook-Signature': sign('sha256', Buffer.from(ts + payload), key).toString('base64'),
  'X-Twilio-Email-Event-Webhook-Timestamp': ts,
});

describe('ecdsa-p256 scheme (SendGrid signed Event Webhook)', () => {
  const ts = String(NOW / 1000);

  it('accepts a batch signed over timestamp + body, with the key as base64 DER or PEM', () => {
    expect(verifyEcdsaP256({ req: inbound({ body, headers: headersFor(ts) }), spec: SPEC, secrets: [], publicKey: PUBLIC, now: NOW })).toMatchObject({ ok: true, timestamp: NOW / 1000 });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(verifyEcdsaP256({ req: inbound({ body, headers: headersFor(ts) }), spec: SPEC, secrets: [], publicKey: pem, now: NOW }).ok).toBe(true);
  });

  it('refuses another key, a changed body, a changed timestamp', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(verifyEcdsaP256({ req: inbound({ body, headers: headersFor(ts, body, other) }), spec: SPEC, secrets: [], publicKey: PUBLIC, now: NOW })).toMatchObject({ ok: false, refusal: 'signature' });
    expect(verifyEcdsaP256({ req: inbound({ body: body.replace('delivered', 'bounce'), headers: headersFor(ts) }), spec: SPEC, secrets: [], publicKey: PUBLIC, now: NOW }).ok).toBe(false);
    const h = headersFor(ts);
    expect(verifyEcdsaP256({ req: inbound({ body, headers: { ...h, 'X-Twilio-Email-Event-Webhook-Timestamp': String(NOW / 1000 + 1) } }), spec: SPEC, secrets: [], publicKey: PUBLIC, now: NOW }).ok).toBe(false);
  });

  it('refuses a stale timestamp that verifies, and says when no key is configured', () => {
    const old = String(NOW / 1000 - 601);
    expect(verifyEcdsaP256({ req: inbound({ body, headers: headersFor(old) }), spec: SPEC, secrets: [], publicKey: PUBLIC, now: NOW })).toMatchObject({ ok: false, refusal: 'stale' });
    expect(verifyEcdsaP256({ req: inbound({ body, headers: headersFor(ts) }), spec: SPEC, secrets: [], now: NOW })).toMatchObject({ ok: false, refusal: 'not-configured' });
    expect(verifyEcdsaP256({ req: inbound({ body, headers: headersFor(ts) }), spec: SPEC, secrets: [], publicKey: 'not a key', now: NOW })).toMatchObject({ ok: false, refusal: 'not-configured' });
  });
});
