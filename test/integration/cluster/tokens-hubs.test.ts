// Two hubs of one deployment on one redis-server (end to end), a provider with OAuth2 client
// credentials (the provider mock checks the client and lets only live tokens in): 20 requests
// spread over both hubs cost one token request; Redis holds the token sealed (not the plaintext;
// the hubs' identity opens it, another does not); a revoked token is replaced once for both;
// Redis killed, both hubs serve on with their cached token; no unhandled rejection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from 'age-encryption';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { startOAuthProviderMock, type OAuthProviderMock } from '../../helpers/oauth-provider-mock.ts';
import { openToken, tokenKeysOf } from '../../../server/cluster/token-sealing.ts';
import { call, startPairedHubs, type PairedHubs } from './paired-hubs.ts';
import { timeUntil, watchRejections } from './shared-stubs.ts';

describe('access tokens shared by two hubs', () => {
  let redis: TestRedis;
  let mock: OAuthProviderMock;
  let hubs: PairedHubs;
  const rejections = watchRejections();

  beforeAll(async () => {
    redis = await startRedis();
    mock = await startOAuthProviderMock({ clientAuth: 'basic', clientId: 'client-1', clientSecret: 'secret-1', delayMs: 100 });
    hubs = await startPairedHubs(redis.url, {
      'providers/pay.yaml': `id: pay
name: Pay
environment: prod
definition:
  name: Pay
  category: Payment
  baseUrl: ${mock.url}/v1
  credentials:
    clientId: { title: Client id }
    clientSecret: { title: Client secret }
  auth:
    type: oauth2-client-credentials
    tokenUrl: ${mock.url}/token
    clientId: "\${secret.clientId}"
    clientSecret: "\${secret.clientSecret}"
    clientAuth: basic
  services: [{ id: api, protocol: http, path: / }]
`,
      'bindings/pay.yaml': 'name: pay\nenvironment: prod\nprotocol: http\ntargets:\n  - { provider: pay, service: api }\n',
    }, { pay: { clientId: 'client-1', clientSecret: 'secret-1' } });
  }, 60_000);
  afterAll(async () => {
    await hubs?.stop();
    await mock?.close();
    await redis?.stop();
  });

  const balance = async (via: 'a' | 'b') => {
    const res = await call(hubs[via], hubs.token, '/bind/pay/balance');
    return { status: res.status, body: (await res.json()) as { token?: string } };
  };

  it('20 requests spread over both hubs: one token request; Redis holds the token sealed', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => balance(i % 2 ? 'a' : 'b')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(mock.tokenRequests).toHaveLength(1);
    const token = mock.issued[0];
    expect(answers.every((a) => a.body.token === token)).toBe(true);
    console.log(`20 requests over two hubs: ${mock.tokenRequests.length} token request`);

    const names = await hubs.redis.keys(`${hubs.prefix}token:*`);
    expect(names).toHaveLength(1);
    const value = (await hubs.redis.get(names[0]))!;
    expect(value).not.toContain(token);
    expect(value).not.toContain('client-1');
    expect(names[0]).not.toContain('pay');
    expect(openToken(tokenKeysOf(hubs.identity), names[0], value)?.token).toBe(token);
    expect(openToken(tokenKeysOf(await generateIdentity()), names[0], value)).toBeNull();
  });

  it('a revoked token is replaced once, for both hubs', async () => {
    mock.revoke(mock.issued[0]);
    const viaA = await balance('a');
    expect(viaA.status).toBe(200);
    expect(viaA.body.token).toBe(mock.issued[1]);
    const viaB = await balance('b'); // its cached token is refused too: it takes A's replacement
    expect(viaB.status).toBe(200);
    expect(viaB.body.token).toBe(mock.issued[1]);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it('Redis killed: both hubs serve on with the token they hold', async () => {
    await redis.kill();
    expect(await timeUntil(() => hubs.a.cluster.status().redis !== 'up' && hubs.b.cluster.status().redis !== 'up', 3000, 10)).not.toBeNull();
    for (const via of ['a', 'b', 'a', 'b'] as const) {
      const r = await balance(via);
      expect(r.status).toBe(200);
      expect(r.body.token).toBe(mock.issued[1]);
    }
    expect(mock.tokenRequests).toHaveLength(2);
    // A token refused while Redis is down: each hub fetches its own.
    mock.revoke(mock.issued[1]);
    expect((await balance('a')).status).toBe(200);
    expect((await balance('b')).status).toBe(200);
    expect(mock.tokenRequests).toHaveLength(4);
    await redis.restart();
  });

  it('left no unhandled rejection', () => {
    expect(rejections.stop()).toEqual([]);
  });
});
