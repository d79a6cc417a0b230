// A provider with OAuth2 client credentials behind the pass-through door: the hub fetches a
// token with the key's client id and secret, caches it, sends it as Bearer, and gets a new one
// once when the provider answers 401.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';

describe('OAuth2 client credentials through the proxy', () => {
  let api: MockUpstream;
  let p: ProxyHub;
  let issued = 0;
  let live = new Set<string>();

  beforeAll(async () => {
    api = await startMockUpstream((r) => {
      if (r.url === '/oauth/token') {
        const basic = Buffer.from(String(r.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        if (basic !== 'client-1:secret-1' || !r.body.includes('grant_type=client_credentials')) return { status: 401, body: { error: 'invalid_client' } };
        const token = `tok-${++issued}`;
        live.add(token);
        return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 3600 } };
      }
      const token = String(r.headers.authorization ?? '').replace(/^Bearer /, '');
      return live.has(token) ? { status: 200, body: { ok: true, token } } : { status: 401, body: { error: 'expired' } };
    });
    p = await startProxyHub({
      'sil.yaml': 'version: 1\nenvironments: [dev, prod]\n',
      'providers/pay.yaml': `id: pay
name: Pay
environment: prod
definition:
  name: Pay
  category: Payment
  baseUrl: ${api.url}/v1
  credentials:
    clientId: { title: Client id }
    clientSecret: { title: Client secret }
  auth:
    type: oauth2-client-credentials
    tokenUrl: ${api.url}/oauth/token
    clientId: "\${secret.clientId}"
    clientSecret: "\${secret.clientSecret}"
    clientAuth: basic
  services: [{ id: api, protocol: http, path: / }]
`,
      'bindings/pay.yaml': 'name: pay\nenvironment: prod\nprotocol: http\ntargets:\n  - { provider: pay, service: api }\n',
    }, { pay: { clientId: 'client-1', clientSecret: 'secret-1' } });
  });
  afterAll(async () => {
    await p?.stop();
    await api?.close();
  });

  const get = () => fetch(`${p.hub.url}/bind/pay/balance`, { headers: { authorization: `Bearer ${p.token}` } });

  it('gets a token once and reuses it', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await get();
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, token: 'tok-1' });
    }
    expect(issued).toBe(1);
    expect(api.received.filter((r) => r.url === '/v1/balance').every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
  });

  it('replaces a token the provider stopped accepting, once', async () => {
    live = new Set();
    const res = await get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, token: 'tok-2' });
    expect(issued).toBe(2);
  });
});
