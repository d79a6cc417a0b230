// Access tokens shared through a real redis-server (server/cluster/shared-token-cache.ts), two
// instances as two token caches on two connections, against the OAuth2 provider mock: one token
// request for many callers on both, sealed in Redis (never the plaintext; another identity cannot
// open it), a refused token replaced once for both, and without Redis each instance on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from 'age-encryption';
import type { AuthScheme } from '../../../schemas/types.gen.ts';
import { createAuthDeps, invalidateAuth, obtainToken, type AuthDeps, type TokenAuthContext } from '../../../server/auth-schemes/async-registry.ts';
import { SharedTokenTier, sharedTokenCache } from '../../../server/cluster/shared-token-cache.ts';
import { openToken, tokenKeysOf, tokenName } from '../../../server/cluster/token-sealing.ts';
import { TokenCache } from '../../../server/auth-schemes/token-cache.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { startOAuthProviderMock, type OAuthProviderMock } from '../../helpers/oauth-provider-mock.ts';
import { randomPrefix, stubCluster, timeUntil, watchRejections, type StubCluster } from './shared-stubs.ts';

const CLIENT = { clientId: 'client-1', clientSecret: 'secret-1' };

describe('access tokens shared through Redis', () => {
  let redis: TestRedis;
  let mock: OAuthProviderMock;
  let identity: string;
  const prefix = randomPrefix();
  const clusters: StubCluster[] = [];
  const logs: string[] = [];
  let a: AuthDeps;
  let b: AuthDeps;
  const rejections = watchRejections();
  let scheme: AuthScheme;
  const ctx = (secret: Record<string, string> = CLIENT): TokenAuthContext => ({ providerId: 'pay', keyId: 'k1', connection: {}, secret, now: () => new Date() });

  beforeAll(async () => {
    redis = await startRedis();
    mock = await startOAuthProviderMock({ clientAuth: 'basic', ...CLIENT, delayMs: 100 });
    scheme = { type: 'oauth2-client-credentials', tokenUrl: `${mock.url}/token`, clientId: '${secret.clientId}', clientSecret: '${secret.clientSecret}' } as AuthScheme;
    identity = await generateIdentity();
    const deps = async (id: string) => {
      const cluster = await stubCluster(id, redis.url, prefix);
      clusters.push(cluster);
      return createAuthDeps({ fetch: (url, init) => fetch(url, init), tokenCache: sharedTokenCache({ cluster, identity, log: (l) => logs.push(l) }) });
    };
    a = await deps('a');
    b = await deps('b');
  });
  afterAll(async () => {
    for (const c of clusters) await c.close();
    await mock?.close();
    await redis?.stop();
  });

  const tokenKeys = () => redis && clusters[0].conn.client.keys(`${prefix}token:*`);

  it('one token request for 20 callers spread over two instances; Redis holds it sealed', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => obtainToken(scheme, ctx(), i % 2 ? a : b)));
    expect(new Set(tokens).size).toBe(1);
    expect(mock.tokenRequests).toHaveLength(1);
    expect(tokens[0]).toBe(mock.issued[0]);
    const names = await tokenKeys();
    expect(names).toHaveLength(1);
    const value = (await clusters[0].conn.client.get(names[0]))!;
    expect(value).not.toContain(tokens[0]);
    expect(value).not.toContain('tok-');
    const ttl = await clusters[0].conn.client.pttl(names[0]);
    expect(ttl).toBeGreaterThan(3_500_000); // expires with the token (3600 s)
    expect(ttl).toBeLessThanOrEqual(3_600_000);
    expect(openToken(tokenKeysOf(identity), names[0], value)?.token).toBe(tokens[0]);
    expect(openToken(tokenKeysOf(await generateIdentity()), names[0], value)).toBeNull();
    // The lock is gone once the token is shared.
    expect(await clusters[0].conn.client.keys(`${prefix}token-lock:*`)).toEqual([]);
  });

  it('an instance with another identity cannot read a shared token: it fetches its own and says why', async () => {
    const other = await generateIdentity();
    const tier = new SharedTokenTier({ cluster: clusters[0], identity: other, log: (l) => logs.push(l) });
    // The value of the deployment's token, planted under the name this identity would read.
    const [name] = await tokenKeys();
    const sealed = (await clusters[0].conn.client.get(name))!;
    const planted = `${prefix}token:${tokenName(tier.keys, 'k')}`;
    await clusters[0].conn.client.set(planted, sealed, 'PX', 60_000);
    const cache = new TokenCache({ tier });
    const before = mock.tokenRequests.length;
    const own = await cache.get('k', Date.now, async () => ({ token: 'own-token', expiresInSeconds: 60 }));
    expect(own).toBe('own-token');
    expect(mock.tokenRequests.length).toBe(before);
    expect(logs.some((l) => l.includes('does not open with this hub\'s age identity'))).toBe(true);
    await clusters[0].conn.client.del(planted);
  });

  it('a token the provider refused is replaced once, and the peer takes the replacement', async () => {
    const old = await obtainToken(scheme, ctx(), a);
    expect(await obtainToken(scheme, ctx(), b)).toBe(old);
    mock.revoke(old);
    const sent = { headers: { Authorization: `Bearer ${old}` } };
    expect(invalidateAuth(scheme, sent, ctx(), a)).toBe(true);
    const fresh = await obtainToken(scheme, ctx(), a);
    expect(fresh).not.toBe(old);
    expect(mock.tokenRequests).toHaveLength(2);
    // B still held the old one locally; its own 401 drops it and it reads A's replacement.
    expect(invalidateAuth(scheme, sent, ctx(), b)).toBe(true);
    expect(await obtainToken(scheme, ctx(), b)).toBe(fresh);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it('Redis down: cached tokens serve on, new ones are fetched by each instance alone', async () => {
    const cached = await obtainToken(scheme, ctx(), a);
    await redis.kill();
    expect(await timeUntil(() => clusters.every((c) => c.conn.state !== 'up'), 3000, 10)).not.toBeNull();
    expect(await obtainToken(scheme, ctx(), a)).toBe(cached);
    expect(await obtainToken(scheme, ctx(), b)).toBe(cached);
    const before = mock.tokenRequests.length;
    // A new token (forced, as a health check asks): each instance fetches its own, nothing fails.
    const forcedA = await obtainToken(scheme, ctx(), a, { force: true });
    const forcedB = await obtainToken(scheme, ctx(), b, { force: true });
    expect(forcedA).not.toBe(forcedB);
    expect(mock.tokenRequests.length).toBe(before + 2);
    await redis.restart();
    expect(await timeUntil(() => clusters.every((c) => c.conn.state === 'up'), 8000, 10)).not.toBeNull();
  });

  it('left no unhandled rejection', () => {
    expect(rejections.stop()).toEqual([]);
  });
});
