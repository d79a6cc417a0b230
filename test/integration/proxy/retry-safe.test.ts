// A pass-through POST fails over only when repeating it is safe: besides the caller's
// Idempotency-Key and the binding's failover.retrySafe, the services may say so themselves —
// `retrySafe: true` in the template, or an `idempotencyHeader` (PayPal-Request-Id) the caller sent.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';

const provider = (id: string, url: string, service: string) => `id: ${id}
name: ${id}
environment: prod
definition:
  name: ${id}
  category: Custom
  baseUrl: ${url}
  credentials: { token: { title: Token } }
  auth: { type: bearer, token: "\${secret.token}" }
  services:
    - ${service}
`;
const binding = (name: string, targets: string[]) => `name: ${name}\nenvironment: prod\nprotocol: http\ntargets:\n${targets.map((t) => `  - { provider: ${t} }`).join('\n')}\nfailover:\n  on: ["5xx"]\n`;

describe('retry-safe services', () => {
  let down: MockUpstream;
  let up: MockUpstream;
  let p: ProxyHub;

  beforeAll(async () => {
    down = await startMockUpstream(() => ({ status: 503, body: { error: 'down' } }));
    up = await startMockUpstream(() => ({ status: 200, body: { ok: true } }));
    const safe = '{ id: api, protocol: http, path: /, retrySafe: true }';
    const keyed = '{ id: api, protocol: http, path: /, idempotencyHeader: PayPal-Request-Id }';
    const plain = '{ id: api, protocol: http, path: / }';
    p = await startProxyHub({
      'sil.yaml': 'version: 1\nenvironments: [dev, prod]\n',
      'providers/safe-down.yaml': provider('safe-down', down.url, safe),
      'providers/safe-up.yaml': provider('safe-up', up.url, safe),
      'providers/keyed-down.yaml': provider('keyed-down', down.url, keyed),
      'providers/keyed-up.yaml': provider('keyed-up', up.url, keyed),
      'providers/plain-up.yaml': provider('plain-up', up.url, plain),
      'bindings/search.yaml': binding('search', ['safe-down', 'safe-up']),
      'bindings/orders.yaml': binding('orders', ['keyed-down', 'keyed-up']),
      'bindings/mixed.yaml': binding('mixed', ['safe-down', 'plain-up']),
    }, Object.fromEntries(['safe-down', 'safe-up', 'keyed-down', 'keyed-up', 'plain-up'].map((id) => [id, { token: `t-${id}` }])));
  });
  afterAll(async () => {
    await p?.stop();
    await down?.close();
    await up?.close();
  });

  const post = (binding: string, headers: Record<string, string> = {}) =>
    fetch(`${p.hub.url}/bind/${binding}/things`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json', ...headers }, body: '{"q":1}' });

  it('fails a POST over when every target service is retrySafe', async () => {
    const res = await post('search');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sil-attempts')).toBe('2');
    expect(res.headers.get('x-sil-provider')).toBe('safe-up');
  });

  it('fails a POST over when the caller sent the services\' idempotency header, and not without it', async () => {
    const keyed = await post('orders', { 'PayPal-Request-Id': 'order-7' });
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get('x-sil-attempts')).toBe('2');
    expect(up.received.at(-1)?.headers['paypal-request-id']).toBe('order-7');
    const bare = await post('orders');
    expect(bare.status).toBe(503);
    expect(bare.headers.get('x-sil-attempts')).toBe('1');
  });

  it('sends a POST once when one of the targets is not safe to repeat', async () => {
    const res = await post('mixed');
    expect(res.status).toBe(503);
    expect(res.headers.get('x-sil-attempts')).toBe('1');
  });
});
