// The twilio scheme. The first case is Twilio's own example (api-snippets
// security/signature_validation: auth token 12345, its URL and POST parameters, signature
// GvWf1cFY/Q7PnoempGyD5oXAezc=); the others are signed as Twilio's webhook security page says:
// base64 HMAC-SHA1 of the URL followed by the sorted parameter names and values.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { twilioSignedString, urlVariants, verifyTwilio } from '../../../server/inbound/schemes/twilio.ts';
import type { WebhookSignature } from '../../../schemas/types.gen.ts';
import { inbound } from './helpers.ts';

const SPEC: WebhookSignature = { scheme: 'twilio', header: 'X-Twilio-Signature', secret: '${secret.authToken}' };
const FORM = 'application/x-www-form-urlencoded';
const params = new URLSearchParams({ CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' });
const sign = (token: string, data: string) => createHmac('sha1', token).update(data).digest('base64');
const NOW = Date.now();

describe('twilio scheme', () => {
  it("accepts Twilio's documented example", () => {
    const req = inbound({ url: 'https://mycompany.com/myapp.php?foo=1&bar=2', body: params.toString(), contentType: FORM, headers: { 'X-Twilio-Signature': 'GvWf1cFY/Q7PnoempGyD5oXAezc=' } });
    expect(verifyTwilio({ req, spec: SPEC, secrets: ['12345'], now: NOW }).ok).toBe(true);
  });

  it('refuses it with another token, another URL or a changed parameter', () => {
    const ok = { url: 'https://mycompany.com/myapp.php?foo=1&bar=2', body: params.toString(), contentType: FORM, headers: { 'X-Twilio-Signature': 'GvWf1cFY/Q7PnoempGyD5oXAezc=' } };
    expect(verifyTwilio({ req: inbound(ok), spec: SPEC, secrets: ['54321'], now: NOW })).toMatchObject({ ok: false, refusal: 'signature' });
    expect(verifyTwilio({ req: inbound({ ...ok, url: 'https://mycompany.com/myapp.php?foo=1&bar=3' }), spec: SPEC, secrets: ['12345'], now: NOW }).ok).toBe(false);
    expect(verifyTwilio({ req: inbound({ ...ok, body: params.toString().replace('1234', '1235') }), spec: SPEC, secrets: ['12345'], now: NOW }).ok).toBe(false);
  });

  it('sorts parameters by name and repeated values too', () => {
    expect(twilioSignedString('https://x.test/h', new URLSearchParams('b=2&a=1&a=0'))).toBe('https://x.test/ha0a1b2');
  });

  it('accepts the URL signed with or without the default port', () => {
    const url = 'https://hub.example.test/hooks/twilio';
    const sig = sign('tok', twilioSignedString('https://hub.example.test:443/hooks/twilio', params));
    expect(verifyTwilio({ req: inbound({ url, body: params.toString(), contentType: FORM, headers: { 'X-Twilio-Signature': sig } }), spec: SPEC, secrets: ['tok'], now: NOW }).ok).toBe(true);
    expect(urlVariants('http://h.test:8080/a?b=1')).toEqual(['http://h.test:8080/a?b=1', 'http://h.test/a?b=1']);
  });

  it('checks a JSON body through bodySHA256, the URL alone being signed', () => {
    const body = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';
    const url = `https://hub.example.test/hooks/twilio?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const sig = sign('tok', url);
    expect(verifyTwilio({ req: inbound({ url, body, headers: { 'X-Twilio-Signature': sig } }), spec: SPEC, secrets: ['tok'], now: NOW }).ok).toBe(true);
    expect(verifyTwilio({ req: inbound({ url, body: body.replace('1234', '9999'), headers: { 'X-Twilio-Signature': sig } }), spec: SPEC, secrets: ['tok'], now: NOW })).toMatchObject({ ok: false, message: expect.stringContaining('bodySHA256') });
    expect(verifyTwilio({ req: inbound({ url: 'https://hub.example.test/hooks/twilio', body, headers: { 'X-Twilio-Signature': sig } }), spec: SPEC, secrets: ['tok'], now: NOW }).ok).toBe(false);
  });
});
