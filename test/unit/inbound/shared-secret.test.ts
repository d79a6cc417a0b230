// The shared-secret scheme: Flutterwave's verif-hash (the secret hash set on the dashboard, sent
// back as is: https://developer.flutterwave.com/docs/webhooks) and Telegram's secret token.
import { describe, expect, it } from 'vitest';
import { verifySharedSecret } from '../../../server/inbound/schemes/shared-secret.ts';
import { inbound } from './helpers.ts';

const SPEC = { scheme: 'shared-secret' as const, header: 'verif-hash', secret: '${secret.webhookHash}' };
const body = '{"event":"charge.completed","data":{"id":285959875,"status":"successful"}}';

describe('shared-secret scheme (Flutterwave verif-hash)', () => {
  it('accepts the configured hash and remembers the body digest', () => {
    const v = verifySharedSecret({ req: inbound({ body, headers: { 'verif-hash': 'my-secret-hash' } }), spec: SPEC, secrets: ['my-secret-hash'], now: 0 });
    expect(v).toMatchObject({ ok: true, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses another value, a prefix of it, and no header', () => {
    expect(verifySharedSecret({ req: inbound({ body, headers: { 'verif-hash': 'other' } }), spec: SPEC, secrets: ['my-secret-hash'], now: 0 })).toMatchObject({ ok: false, refusal: 'signature' });
    expect(verifySharedSecret({ req: inbound({ body, headers: { 'verif-hash': 'my-secret' } }), spec: SPEC, secrets: ['my-secret-hash'], now: 0 }).ok).toBe(false);
    expect(verifySharedSecret({ req: inbound({ body }), spec: SPEC, secrets: ['my-secret-hash'], now: 0 }).ok).toBe(false);
    expect(verifySharedSecret({ req: inbound({ body, headers: { 'verif-hash': 'x' } }), spec: SPEC, secrets: [], now: 0 })).toMatchObject({ ok: false, refusal: 'not-configured' });
  });
});
