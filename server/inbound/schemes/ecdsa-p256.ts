// SendGrid's signed Event Webhook (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features):
// ECDSA P-256 with SHA-256 over the timestamp header's value followed by the raw body; the
// signature header is base64 DER; the verification key is the base64 DER (SPKI) public key the
// SendGrid console shows (PEM accepted too). @sendgrid/eventwebhook verifySignature does the same.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { outsideWindow, sha256Hex } from '../compare.ts';
import { refuse, type SchemeInput, type Verdict } from '../types.ts';

const keys = new Map<string, KeyObject>();

export function publicKeyOf(text: string): KeyObject {
  let key = keys.get(text);
  if (!key) {
    const t = text.trim();
    key = t.startsWith('-----BEGIN') ? createPublicKey(t) : createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
    if (keys.size > 64) keys.clear();
    keys.set(text, key);
  }
  return key;
}

export function verifyEcdsaP256({ req, spec, publicKey, now }: SchemeInput): Verdict {
  const signature = req.header(spec.header);
  const timestamp = spec.timestampHeader ? req.header(spec.timestampHeader) : undefined;
  if (!signature) return refuse('signature', `the ${spec.header} header is missing`);
  if (!timestamp) return refuse('signature', `the ${spec.timestampHeader ?? 'timestamp'} header is missing`);
  if (!publicKey) return refuse('not-configured', 'the provider has no webhook public key');
  let key: KeyObject;
  try {
    key = publicKeyOf(publicKey);
  } catch {
    return refuse('not-configured', 'the webhook public key is not a base64 DER or PEM public key');
  }
  let ok = false;
  try {
    ok = verify('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), req.body]), key, Buffer.from(signature.trim(), 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) return refuse('signature', `${spec.header} does not verify with the public key`);
  const stale = outsideWindow(Number(timestamp), now, spec.toleranceSeconds);
  if (stale) return stale;
  return { ok: true, timestamp: Number(timestamp), digest: sha256Hex(signature.trim()) };
}
