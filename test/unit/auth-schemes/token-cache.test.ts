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

  it('a 401 to the cached token detaches a token request begun before it: the retry gets a token of its own', async () => {
    const c = clock();
    const cache = new TokenCache();
    const answers: Array<(token: string) => void> = [];
    const deferred = (): Promise<IssuedToken> => new Promise((resolve) => answers.push((token) => resolve({ token, expiresInSeconds: 3600 })));
    const first = cache.get('k', c.now, deferred);
    answers[0]!('t1');
    expect(await first).toBe('t1');
    const check = cache.get('k', c.now, deferred, { force: true }); // a health check, begun before the 401
    expect(cache.invalidate('k', 't1')).toBe(true); // the proxy's request with t1 got a 401
    const retry = cache.get('k', c.now, deferred);
    expect(answers).toHaveLength(3); // the retry did not join the health check's request
    answers[2]!('t-after');
    answers[1]!('t-before'); // answered later, issued before the provider stopped taking tokens
    expect(await retry).toBe('t-after');
    expect(await check).toBe('t-before');
    expect(cache.peek('k', c.now())).toBe('t-after');
  });

  it('later 401s to the same token do not detach the retry the first one started', async () => {
    const c = clock();
    const cache = new TokenCache();
    const iss = issuer();
    await cache.get('k', c.now, iss.fn);
    expect(cache.invalidate('k', 't1')).toBe(true);
    const retries = [cache.get('k', c.now, iss.fn)];
    for (let i = 0; i < 5; i++) {
      expect(cache.invalidate('k', 't1')).toBe(false); // more callers that carried t1
      retries.push(cache.get('k', c.now, iss.fn));
    }
    expect(await Promise.all(retries)).toEqual(['t2', 't2', 't2', 't2', 't2', 't2']);
    expect(iss.count()).toBe(2);
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
