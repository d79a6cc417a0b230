// The sealing of shared access tokens (server/cluster/token-sealing.ts): AES-256-GCM under a key
// derived from the hub's age identity, bound to its Redis key; names and fingerprints derived
// alike on every instance that has the identity, and differently on one that has another.
import { describe, expect, it } from 'vitest';
import { generateIdentity } from 'age-encryption';
import { openToken, sealedHead, sealToken, tokenKeysOf, tokenName } from '../../../server/cluster/token-sealing.ts';
import { fingerprint, tokenCacheKey, useFingerprintKey } from '../../../server/auth-schemes/token-cache.ts';

const token = { token: 'ya29.secret-access-token', refreshAt: 1_700_000_000_000, expiresAt: 1_700_003_600_000 };

describe('token sealing', () => {
  it('seals a token so that it does not show, and opens it with the same identity and key', async () => {
    const identity = await generateIdentity();
    const keys = tokenKeysOf(identity);
    const sealed = sealToken(keys, 'sil:token:abc', token);
    expect(sealed).not.toContain(token.token);
    expect(Buffer.from(sealed.split('.')[3], 'base64url').toString('latin1')).not.toContain('secret');
    expect(sealed.startsWith(sealedHead(keys, token.token))).toBe(true);
    // A second instance of the deployment derives the same keys from the same identity file.
    expect(openToken(tokenKeysOf(identity), 'sil:token:abc', sealed)).toEqual(token);
    // Two seals of one token differ (a fresh IV each).
    expect(sealToken(keys, 'sil:token:abc', token)).not.toBe(sealed);
  });

  it('refuses another identity, another Redis key, a changed byte and a short tag', async () => {
    const keys = tokenKeysOf(await generateIdentity());
    const sealed = sealToken(keys, 'sil:token:abc', token);
    expect(openToken(tokenKeysOf(await generateIdentity()), 'sil:token:abc', sealed)).toBeNull();
    expect(openToken(keys, 'sil:token:xyz', sealed)).toBeNull();
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[0] ^= 1;
    expect(openToken(keys, 'sil:token:abc', [parts[0], parts[1], parts[2], ct.toString('base64url'), parts[4]].join('.'))).toBeNull();
    const shortTag = Buffer.from(parts[4], 'base64url').subarray(0, 4).toString('base64url');
    expect(openToken(keys, 'sil:token:abc', [...parts.slice(0, 4), shortTag].join('.'))).toBeNull();
    expect(openToken(keys, 'sil:token:abc', 'tok-1')).toBeNull();
  });

  it('names a cache key and fingerprints a credential alike on every instance of one identity', async () => {
    const identity = await generateIdentity();
    const a = tokenKeysOf(identity);
    const b = tokenKeysOf(identity);
    const other = tokenKeysOf(await generateIdentity());
    expect(tokenName(a, 'k')).toBe(tokenName(b, 'k'));
    expect(tokenName(a, 'k')).not.toBe(tokenName(a, 'k2'));
    expect(tokenName(a, 'k')).not.toBe(tokenName(other, 'k'));
    expect(tokenName(a, 'k')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.fingerprint.equals(b.fingerprint)).toBe(true);
    expect(a.fingerprint.equals(a.seal) || a.fingerprint.equals(a.name) || a.seal.equals(a.name)).toBe(false);

    // The cache key (with the credential's fingerprint) is the same in two processes that set the
    // same fingerprint key; a process key of its own (the default) would make it differ.
    const parts = { scheme: 'oauth2-client-credentials', providerId: 'pay', keyId: 'k1', tokenUrl: 'https://x/token', client: 'id', credential: 'secret-1' };
    const before = tokenCacheKey(parts);
    useFingerprintKey(a.fingerprint);
    const first = tokenCacheKey(parts);
    expect(first).not.toBe(before);
    expect(first).not.toContain('secret-1');
    useFingerprintKey(b.fingerprint);
    expect(tokenCacheKey(parts)).toBe(first);
    expect(fingerprint('secret-2')).not.toBe(fingerprint('secret-1'));
    expect(() => useFingerprintKey(Buffer.alloc(8))).toThrow(/32 bytes/);
  });
});
