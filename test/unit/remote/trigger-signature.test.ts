import { describe, it, expect } from 'vitest';
import { createHmac } from 'node:crypto';
import { bodySignature, triggerSigned } from '../../../server/remote/trigger-signature.ts';

const SECRET = 'sync-secret-0123456789';
const body = Buffer.from('{"ref":"refs/heads/main","after":"abc"}');
const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('sync trigger signatures', () => {
  it('computes GitHub\'s hex HMAC-SHA256 of the raw body', () => {
    expect(bodySignature(SECRET, body)).toBe(createHmac('sha256', SECRET).update(body).digest('hex'));
  });

  it('accepts X-Hub-Signature-256 (GitHub, Gitea, Forgejo), any case of the hex', () => {
    const sig = bodySignature(SECRET, body);
    expect(triggerSigned(SECRET, body, headers({ 'x-hub-signature-256': `sha256=${sig}` }))).toBe(true);
    expect(triggerSigned(SECRET, body, headers({ 'x-hub-signature-256': `sha256=${sig.toUpperCase()}` }))).toBe(true);
  });

  it('refuses a signature of another body, another secret, or without the sha256= prefix', () => {
    const sig = bodySignature(SECRET, body);
    expect(triggerSigned(SECRET, Buffer.from(`${body} `), headers({ 'x-hub-signature-256': `sha256=${sig}` }))).toBe(false);
    expect(triggerSigned(SECRET, body, headers({ 'x-hub-signature-256': `sha256=${bodySignature('other', body)}` }))).toBe(false);
    expect(triggerSigned(SECRET, body, headers({ 'x-hub-signature-256': sig }))).toBe(false);
  });

  it('accepts X-Gitea-Signature and X-Forgejo-Signature (bare hex)', () => {
    const sig = bodySignature(SECRET, body);
    expect(triggerSigned(SECRET, body, headers({ 'x-gitea-signature': sig }))).toBe(true);
    expect(triggerSigned(SECRET, body, headers({ 'x-forgejo-signature': sig }))).toBe(true);
    expect(triggerSigned(SECRET, body, headers({ 'x-forgejo-signature': bodySignature('x', body) }))).toBe(false);
  });

  it('accepts X-Gitlab-Token equal to the secret, nothing else', () => {
    expect(triggerSigned(SECRET, body, headers({ 'x-gitlab-token': SECRET }))).toBe(true);
    expect(triggerSigned(SECRET, body, headers({ 'x-gitlab-token': `${SECRET}x` }))).toBe(false);
    expect(triggerSigned(SECRET, body, headers({ 'x-gitlab-token': '' }))).toBe(false);
  });

  it('refuses a request without any signature header, and one with a wrong header beside a right one', () => {
    expect(triggerSigned(SECRET, body, headers({}))).toBe(false);
    expect(triggerSigned(SECRET, body, headers({ 'x-gitlab-token': SECRET, 'x-hub-signature-256': 'sha256=00' }))).toBe(false);
  });
});
