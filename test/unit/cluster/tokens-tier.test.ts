// The token cache with a second level (TokenCache `tier`): a miss asks the tier, a hit stays in
// memory, `force` goes through, a refused token is told to the tier, and a token that is still
// valid carries on when the tier's fetch fails.
import { describe, expect, it } from 'vitest';
import { TokenCache, type TimedToken, type TokenTier } from '../../../server/auth-schemes/token-cache.ts';

function fakeTier(peerToken?: TimedToken) {
  const calls: { key: string; force: boolean }[] = [];
  const refused: string[] = [];
  let failing = false;
  const tier: TokenTier = {
    async obtain(key, fetch, options) {
      calls.push({ key, force: options.force });
      if (failing) throw new Error('token endpoint down');
      if (peerToken && !options.force) return peerToken;
      return fetch();
    },
    refused: (key, token) => void refused.push(`${key}:${token}`),
  };
  return { tier, calls, refused, fail: () => void (failing = true) };
}

describe('TokenCache with a tier', () => {
  it('takes a peer\'s token with the peer\'s times, and does not ask again while it is fresh', async () => {
    let t = 1_000_000;
    const now = () => t;
    const peer = { token: 'peer-token', refreshAt: t + 10_000, expiresAt: t + 70_000 };
    const f = fakeTier(peer);
    const cache = new TokenCache({ tier: f.tier });
    let fetched = 0;
    const fetchToken = async () => ({ token: `own-${++fetched}`, expiresInSeconds: 3600 });
    expect(await cache.get('k', now, fetchToken)).toBe('peer-token');
    t += 9_999;
    expect(await cache.get('k', now, fetchToken)).toBe('peer-token');
    expect(f.calls).toHaveLength(1);
    t += 1;
    await cache.get('k', now, fetchToken); // the peer's refresh time: asks the tier again
    expect(f.calls).toHaveLength(2);
    expect(fetched).toBe(0);
  });

  it('passes force, computes the times of a token it fetched, and tells the tier what the provider refused', async () => {
    let t = 5_000_000;
    const now = () => t;
    const f = fakeTier({ token: 'peer', refreshAt: t + 1e6, expiresAt: t + 2e6 });
    const cache = new TokenCache({ tier: f.tier, refreshAheadMs: 60_000 });
    const fetchToken = async () => ({ token: 'own', expiresInSeconds: 3600 });
    expect(await cache.get('k', now, fetchToken, { force: true })).toBe('own');
    expect(f.calls).toEqual([{ key: 'k', force: true }]);
    expect(cache.peek('k', t + 3_540_000 - 1)).toBe('own');
    expect(cache.peek('k', t + 3_540_000)).toBeUndefined();
    expect(cache.invalidate('k', 'own')).toBe(true);
    expect(cache.invalidate('k', 'older')).toBe(false); // not cached here, told to the tier all the same
    expect(f.refused).toEqual(['k:own', 'k:older']);
  });

  it('keeps using a valid token when the tier cannot get a new one', async () => {
    let t = 0;
    const now = () => t;
    const f = fakeTier();
    const cache = new TokenCache({ tier: f.tier });
    expect(await cache.get('k', now, async () => ({ token: 'a', expiresInSeconds: 3600 }))).toBe('a');
    f.fail();
    t = 3_550_000; // past the refresh time, before the expiry
    expect(await cache.get('k', now, async () => ({ token: 'b', expiresInSeconds: 3600 }))).toBe('a');
    t = 3_600_000;
    await expect(cache.get('k', now, async () => ({ token: 'b', expiresInSeconds: 3600 }))).rejects.toThrow('token endpoint down');
  });
});
