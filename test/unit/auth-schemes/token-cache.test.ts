// The token cache on its own, with a fake clock: freshness, refresh ahead of expiry,
// single-flight, failures, the size bound, invalidation and the cache key.
import { describe, it, expect } from 'vitest';
import { TokenCache, tokenCacheKey, type IssuedToken } from '../../../server/auth-schemes/token-cache.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function issuer(lifetimeSeconds = 3600) {
  let n = 0;
  const fn = async (): Promise<IssuedToken> => ({ token: `t${++n}`, expiresInSeconds: lifetimeSeconds });
  return { fn, count: () => n };
}

describe('TokenCache', () => {
  it('reuses a token until 60 s before it expires, then fetches a new one', async () => {
    const c = clock();
    const cache = new TokenCache();
    const iss = issuer(3600);
    expect(await cache.get('k', c.now, iss.fn)).toBe('t1');
    c.advance(3600_000 - 60_001);
    expect(await cache.get('k', c.now, iss.fn)).toBe('t1');
    c.advance(2);
    expect(await cache.get('k', c.now, iss.fn)).toBe('t2');
    expect(iss.count()).toBe(2);
  });

  it('refreshes a short-lived token half-way through its life, not on every call', async () => {
    const c = clock();
    const cache = new TokenCache({ refreshAheadMs: 60_000 });
    const iss = issuer(30);
    expect(await cache.get('k', c.now, iss.fn)).toBe('t1');
    c.advance(14_000);
    expect(await cache.get('k', c.now, iss.fn)).toBe('t1');
    c.advance(1_000);
    expect(await cache.get('k', c.now, iss.fn)).toBe('t2');
  });

  it('shares one request among concurrent callers (single-flight)', async () => {
    const c = clock();
    const cache = new TokenCache();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fetchToken = async (): Promise<IssuedToken> => {
      calls++;
      await gate;
      return { token: 'shared', expiresInSeconds: 3600 };
    };
    const all = Promise.all(Array.from({ length: 20 }, () => cache.get('k', c.now, fetchToken)));
    release();
    expect(await all).toEqual(Array(20).fill('shared'));
    expect(calls).toBe(1);
  });

  it('does not cache a failure; the next caller asks again', async () => {
    const c = clock();
    const cache = new TokenCache();
    let fail = true;
    const fetchToken = async (): Promise<IssuedToken> => {
      if (fail) throw new Error('endpoint down');
      return { token: 'ok', expiresInSeconds: 3600 };
    };
    const both = await Promise.allSettled([cache.get('k', c.now, fetchToken), cache.get('k', c.now, fetchToken)]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await cache.get('k', c.now, fetchToken)).toBe('ok');
  });

  it('keeps using a valid token while its refresh fails, and fails once it has expired', async () => {
    const c = clock();
    const cache = new TokenCache();
    let fail = false;
    const fetchToken = async (): Promise<IssuedToken> => {
      if (fail) throw new Error('endpoint down');
      return { token: 'first', expiresInSeconds: 3600 };
    };
    await cache.get('k', c.now, fetchToken);
    fail = true;
    c.advance(3600_000 - 30_000); // in the refresh window
    expect(await cache.get('k', c.now, fetchToken)).toBe('first');
    c.advance(30_000); // expired
    await expect(cache.get('k', c.now, fetchToken)).rejects.toThrow('endpoint down');
  });

  it('force fetches a new token even when one is fresh', async () => {
    const c = clock();
    const cache = new TokenCache();
    const iss = issuer();
    await cache.get('k', c.now, iss.fn);
    expect(await cache.get('k', c.now, iss.fn, { force: true })).toBe('t2');
    expect(await cache.get('k', c.now, iss.fn)).toBe('t2');
  });

  it('invalidate drops the token it names, not a newer one', async () => {
    const c = clock();
    const cache = new TokenCache();
    const iss = issuer();
    await cache.get('k', c.now, iss.fn);
    expect(cache.invalidate('k', 't1')).toBe(true);
    expect(await cache.get('k', c.now, iss.fn)).toBe('t2');
    expect(cache.invalidate('k', 't1')).toBe(false); // a late 401 to a request that carried t1
    expect(cache.peek('k', c.now())).toBe('t2');
    expect(cache.invalidate('k')).toBe(true);
    expect(cache.peek('k', c.now())).toBeUndefined();
  });

  it('holds at most maxEntries tokens, dropping the least recently used', async () => {
    const c = clock();
    const cache = new TokenCache({ maxEntries: 2 });
    const iss = issuer();
    await cache.get('a', c.now, iss.fn); // t1
    await cache.get('b', c.now, iss.fn); // t2
    await cache.get('a', c.now, iss.fn); // hit: a is now the most recent
    await cache.get('c', c.now, iss.fn); // t3, evicts b
    expect(cache.size).toBe(2);
    expect(cache.peek('a', c.now())).toBe('t1');
    expect(cache.peek('b', c.now())).toBeUndefined();
    expect(cache.peek('c', c.now())).toBe('t3');
  });

  it('keys tell providers, keys, scopes, URLs and credentials apart without holding a credential', () => {
    const base = { scheme: 'oauth2-client-credentials', providerId: 'paypal', keyId: 'k1', tokenUrl: 'https://x/token', scope: 's', client: 'id', credential: 'super-secret-value' };
    const key = tokenCacheKey(base);
    expect(key).not.toContain('super-secret-value');
    expect(tokenCacheKey({ ...base })).toBe(key);
    for (const change of [{ providerId: 'p2' }, { keyId: 'k2' }, { scope: 's2' }, { tokenUrl: 'https://y/token' }, { client: 'id2' }, { credential: 'other' }, { extra: ['x'] }]) {
      expect(tokenCacheKey({ ...base, ...change })).not.toBe(key);
    }
  });
});
