// providers/flutterwave.yaml against a Flutterwave mock (test/mocks/providers/flutterwave.ts): the
// v3 secret key as Bearer, the v4-oauth option's client-credentials token from Flutterwave's
// identity provider, the pass-through door for both, and the health check. Flutterwave reports
// no usage in tokens/seconds/units, so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { FLW_TOKEN_PATH, startFlutterwaveMock, type FlutterwaveMock } from '../../mocks/providers/flutterwave.ts';
import { SilError } from '../../../server/errors.ts';

const KEY = 'FLWSECK_TEST-5a1b2c3d4e5f60718293a4b5c6d7e8f9-X';
const HUB_KEY = 'FLWSECK_TEST-0f9e8d7c6b5a49382716f5e4d3c2b1a0-X';
const CLIENT = { clientId: '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b', clientSecret: 'v4ContractSecret0123456789abcdef' };
const HUB_CLIENT = { clientId: '9e8d7c6b-5a49-4382-a716-f5e4d3c2b1a0', clientSecret: 'v4HubSecret0123456789abcdefghij' };
const V4_SANDBOX = 'https://developersandbox-api.flutterwave.com';
const V4_PRODUCTION = 'https://f4bexperience.flutterwave.com';
const IDP = 'https://idp.flutterwave.com';
const JSON_TYPE = { 'content-type': 'application/json' };

describe('flutterwave template', () => {
  let mock: FlutterwaveMock;
  let hub: TemplateHub;
  let hub4: TemplateHub;
  // One origin map per host set, so an answer proves which host the request was built for.
  const origins = () => ({ 'https://api.flutterwave.com': mock.url });
  const v4Production = () => ({ [V4_PRODUCTION]: mock.url, [IDP]: mock.url });
  const v4Sandbox = () => ({ [V4_SANDBOX]: mock.url, [IDP]: mock.url });

  beforeAll(async () => {
    mock = await startFlutterwaveMock({ secretKeys: [KEY, HUB_KEY], clients: { [CLIENT.clientId]: CLIENT.clientSecret, [HUB_CLIENT.clientId]: HUB_CLIENT.clientSecret } });
    hub = await startTemplateHub({ template: 'flutterwave', origins: origins(), secret: { secretKey: HUB_KEY }, bindings: { flw: { protocol: 'http', service: 'api' }, balances: { protocol: 'http', service: 'balances' } } });
    hub4 = await startTemplateHub({ template: 'flutterwave', authOption: 'v4-oauth', connection: { baseUrl: V4_SANDBOX }, origins: v4Sandbox(), secret: HUB_CLIENT, bindings: { flw4: { protocol: 'http', service: 'api' } } });
  });
  afterAll(async () => {
    await hub?.stop();
    await hub4?.stop();
    await mock?.close();
  });

  it('auth contract: v3 Authorization: Bearer <FLWSECK secret key>; a wrong key is refused with {status: "error", message, data: null}', async () => {
    const req = await renderForTemplate({ template: 'flutterwave', service: 'balances', origins: origins(), secret: { secretKey: KEY }, path: 'NGN' });
    expect(req.url.href).toBe(`${mock.url}/v3/balances/NGN`);
    expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'success', data: { currency: 'NGN', available_balance: 2367840 } });

    const wrong = await sendRendered(await renderForTemplate({ template: 'flutterwave', service: 'balances', origins: origins(), secret: { secretKey: 'FLWSECK_TEST-00000000000000000000000000000000-X' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ status: 'error', message: 'Invalid authorization key', data: null });
  });

  it('auth contract: option v4-oauth gets a token at idp.flutterwave.com (client_id, client_secret, grant_type in the form) and sends it as Bearer to the v4 production host; a wrong secret is refused', async () => {
    const req = await renderForTemplate({ template: 'flutterwave', authOption: 'v4-oauth', origins: v4Production(), secret: CLIENT, method: 'POST', path: 'customers', headers: JSON_TYPE, body: JSON.stringify({ email: 'ada@example.com', name: { first: 'Ada', last: 'Obi' } }) });
    const tokenReq = mock.received.findLast((r) => r.path === FLW_TOKEN_PATH && new URLSearchParams(r.body.toString()).get('client_id') === CLIENT.clientId)!;
    expect(tokenReq.method).toBe('POST');
    expect(tokenReq.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(tokenReq.body.toString()))).toMatchObject({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'client_credentials' });
    expect(req.url.href).toBe(`${mock.url}/customers`);
    expect(mock.issued).toContain(req.headers.Authorization.replace(/^Bearer /, ''));
    const res = await sendRendered(req);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'success', data: { email: 'ada@example.com' } });

    const err = await renderForTemplate({ template: 'flutterwave', authOption: 'v4-oauth', origins: v4Production(), secret: { ...CLIENT, clientSecret: 'wrong-secret' }, path: 'customers' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SilError);
    expect((err as SilError).details).toMatchObject({ status: 401, error: 'unauthorized_client' });

    const forged = await sendRendered({ ...req, headers: { ...req.headers, Authorization: 'Bearer eyJforged' } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ status: 'failed', error: { type: 'UNAUTHORIZED', code: '10401' } });
  });

  it('via proxy: v3 POST /bind/flw/payments and GET /bind/balances with the hub\'s secret key', async () => {
    const pay = await hub.door('/bind/flw/payments', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ tx_ref: 'order-19', amount: '7500', currency: 'NGN', redirect_url: 'https://shop.example/paid', customer: { email: 'ada@example.com' } }) });
    expect(pay.status).toBe(200);
    expect(await pay.json()).toMatchObject({ status: 'success', message: 'Hosted Link', data: { link: expect.stringMatching(/^https:\/\/checkout\.flutterwave\.com\//) } });
    const seen = mock.received.findLast((r) => r.path === '/v3/payments')!;
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
    expect(JSON.parse(seen.body.toString())).toMatchObject({ tx_ref: 'order-19' });

    const bad = await hub.door('/bind/flw/payments', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ amount: '7500' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ status: 'error', message: 'tx_ref is required', data: null });

    const bal = await hub.door('/bind/balances/USD');
    expect(await bal.json()).toMatchObject({ status: 'success', data: { currency: 'USD' } });
  });

  it('via proxy: option v4-oauth on the sandbox (connection.baseUrl) POST and GET /bind/flw4/customers with the hub\'s token, X-Trace-Id passed through', async () => {
    const created = await hub4.door('/bind/flw4/customers', { method: 'POST', headers: { ...JSON_TYPE, 'X-Trace-Id': 'trace-0042', 'X-Idempotency-Key': 'cust-7' }, body: JSON.stringify({ email: 'obi@example.com' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-trace-id')).toBe('trace-0042');
    const seen = mock.received.findLast((r) => r.method === 'POST' && r.path === '/customers' && r.headers['x-trace-id'] === 'trace-0042')!;
    expect(mock.issued).toContain(String(seen.headers.authorization).replace(/^Bearer /, ''));
    expect(seen.headers['x-idempotency-key']).toBe('cust-7');

    const list = await hub4.door('/bind/flw4/customers?page=1');
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ status: 'success', data: expect.arrayContaining([expect.objectContaining({ email: 'obi@example.com' })]) });
  });

  it('health check: v3 GET /v3/balances with the secret key is ok; a regenerated key makes it fail', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(mock.received.findLast((r) => r.path === '/v3/balances')!.headers.authorization).toBe(`Bearer ${HUB_KEY}`);

    mock.revokeKey(HUB_KEY);
    expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 401 });
  });

  it('health check: option v4-oauth is kind token — a fresh token from idp.flutterwave.com; a revoked client makes it fail', async () => {
    const issued = mock.issued.length;
    expect((await hub4.healthProbe()).ok).toBe(true);
    expect(mock.issued.length).toBeGreaterThan(issued);
    const tokenReq = mock.received.findLast((r) => r.path === FLW_TOKEN_PATH)!;
    expect(new URLSearchParams(tokenReq.body.toString()).get('client_id')).toBe(HUB_CLIENT.clientId);
    expect(mock.received.some((r) => r.path === '/balances')).toBe(false);

    mock.revokeClient(HUB_CLIENT.clientId);
    const failed = await hub4.healthProbe();
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/SIL_AUTH_TOKEN.*401/);
  });
});
