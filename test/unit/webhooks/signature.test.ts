import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { isSigningSecret, newSigningSecret, signatureHeaders } from '../../../server/webhooks/signature.ts';

describe('webhook signatures (checked with the official standardwebhooks package)', () => {
  it('a delivery signed with a new secret verifies', () => {
    const secret = newSigningSecret();
    expect(isSigningSecret(secret)).toBe(true);
    const body = JSON.stringify({ type: 'config.applied', timestamp: new Date().toISOString(), data: { commit: 'abc' } });
    const headers = signatureHeaders([secret], 'evt_abc', Math.floor(Date.now() / 1000), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('during a rotation both secrets sign; a receiver with either verifies', () => {
    const [oldS, newS] = [newSigningSecret(), newSigningSecret()];
    const body = '{"type":"key.rotated","timestamp":"2026-01-01T00:00:00.000Z","data":{}}';
    const headers = signatureHeaders([newS, oldS], 'evt_x', Math.floor(Date.now() / 1000), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldS).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newS).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });

  it('a changed body or id does not verify', () => {
    const secret = newSigningSecret();
    const ts = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders([secret], 'evt_a', ts, '{"a":1}');
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-id': 'evt_b' })).toThrow();
  });

  it('refuses secrets without the prefix or of the wrong size', () => {
    expect(isSigningSecret('abc')).toBe(false);
    expect(isSigningSecret(`whsec_${Buffer.alloc(8).toString('base64')}`)).toBe(false);
  });
});
