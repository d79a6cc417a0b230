// providers/paypal.yaml against a PayPal mock (test/mocks/providers/paypal.ts) on the sandbox
// host (connection apiHost): the client-credentials token exchange, the pass-through door with
// PayPal-Request-Id, and the token health check. PayPal reports no usage in
// tokens/seconds/units, so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startPaypalMock, type PaypalMock } from '../../mocks/providers/paypal.ts';
import { SilError } from '../../../server/errors.ts';

const CLIENT = { clientId: 'AZcontract-client-0123456789', clientSecret: 'EFcontract-secret-9876543210' };
const HUB_CLIENT = { clientId: 'AZhub-client-0123456789abcd', clientSecret: 'EFhub-secret-9876543210zyxw' };
const SANDBOX = { apiHost: 'api-m.sandbox.paypal.com' };
const ORDER = JSON.stringify({ intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '100.00' } }] });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('paypal template', () => {
  let mock: PaypalMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api-m.sandbox.paypal.com': mock.url });

  beforeAll(async () => {
    mock = await startPaypalMock({ clients: { [CLIENT.clientId]: CLIENT.clientSecret, [HUB_CLIENT.clientId]: HUB_CLIENT.clientSecret } });
    hub = await startTemplateHub({ template: 'paypal', connection: SANDBOX, origins: origins(), secret: HUB_CLIENT, bindings: { paypal: { protocol: 'http', service: 'api' }, orders: { protocol: 'http', service: 'orders' } } });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: token from POST /v1/oauth2/token (Basic client_id:secret, grant_type=client_credentials) sent as Bearer; a wrong secret is refused with invalid_client', async () => {
    const req = await renderForTemplate({ template: 'paypal', service: 'orders', connection: SANDBOX, origins: origins(), secret: CLIENT, method: 'POST', headers: JSON_TYPE, body: ORDER });
    const contractBasic = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`;
    const tokenReq = mock.received.findLast((r) => r.headers.authorization === contractBasic)!;
    expect(tokenReq.method).toBe('POST');
    expect(tokenReq.path).toBe('/v1/oauth2/token');
        expect(tokenReq.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(new URLSearchParams(tokenReq.body.toString()).get('grant_type')).toBe('client_credentials');
    expect(req.url.href).toBe(`${mock.url}/v2/checkout/orders`);
    expect(mock.issued).toContain(req.headers.Authorization.replace(/^Bearer /, ''));
    const res = await sendRendered(req);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'CREATED', links: expect.arrayContaining([expect.objectContaining({ rel: 'approve' })]) });

    const err = await renderForTemplate({ template: 'paypal', connection: SANDBOX, origins: origins(), secret: { ...CLIENT, clientSecret: 'EFnot-the-secret' }, path: 'v2/checkout/orders' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SilError);
    expect((err as SilError).code).toBe('SIL_AUTH_TOKEN');
    expect((err as SilError).details).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(String((err as Error).message)).not.toContain('EFnot-the-secret');

    // A token PayPal does not know: the v2 API's AUTHENTICATION_FAILURE.
    const forged = await sendRendered({ ...req, headers: { ...req.headers, Authorization: 'Bearer A21AAforged' } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ name: 'AUTHENTICATION_FAILURE' });
  });

  it('via proxy: POST /bind/paypal/v2/checkout/orders with PayPal-Request-Id as Bearer <access token>; a token PayPal dropped is replaced', async () => {
    const post = () => hub.door('/bind/paypal/v2/checkout/orders', { method: 'POST', headers: { ...JSON_TYPE, 'PayPal-Request-Id': 'order-42' }, body: ORDER });
    const first = await post();
    expect(first.status).toBe(201);
    const order = (await first.json()) as { id: string; status: string };
    expect(order.status).toBe('CREATED');
    const seen = mock.received.findLast((r) => r.path === '/v2/checkout/orders')!;
    // The hub's token (health probes of kind token renew it in the background, so any it got).
    expect(mock.issued).toContain(String(seen.headers.authorization).replace(/^Bearer /, ''));
    expect(seen.headers['paypal-request-id']).toBe('order-42');
    expect(JSON.parse(seen.body.toString())).toEqual(JSON.parse(ORDER));

    const replay = await post();
    expect(((await replay.json()) as { id: string }).id).toBe(order.id);
    const fetched = await hub.door(`/bind/orders/${order.id}`);
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as { id: string }).id).toBe(order.id);
    

    const issuedBefore = mock.issued.length;
    mock.expireTokens();
    const after = await hub.door(`/bind/orders/${order.id}`);
    expect(after.status).toBe(200);
    const used = String(mock.received.findLast((r) => r.path === `/v2/checkout/orders/${order.id}`)!.headers.authorization).replace(/^Bearer /, '');
    expect(mock.issued.indexOf(used)).toBeGreaterThanOrEqual(issuedBefore);
  });

  it('via proxy: PayPal\'s error objects (INVALID_REQUEST, RATE_LIMIT_REACHED) reach the caller', async () => {
    const bad = await hub.door('/bind/paypal/v2/checkout/orders', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ intent: 'SELL' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ name: 'INVALID_REQUEST', details: [{ field: '/intent', issue: 'INVALID_PARAMETER_VALUE' }] });
    expect(bad.headers.get('paypal-debug-id')).toMatch(/^[a-z0-9]+$/);

    mock.rateLimitNext();
    const limited = await hub.door('/bind/paypal/v2/checkout/orders', { method: 'POST', headers: JSON_TYPE, body: ORDER });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ name: 'RATE_LIMIT_REACHED' });
  });

  it('health check: kind token obtains a fresh token from the sandbox host; a revoked client secret makes it fail', async () => {
    const issued = mock.issued.length;
    const ok = await hub.healthProbe();
    expect(ok.ok).toBe(true);
    expect(mock.issued.length).toBeGreaterThan(issued);
    expect(mock.received.findLast((r) => r.path === '/v1/oauth2/token')!.headers.authorization).toBe(`Basic ${Buffer.from(`${HUB_CLIENT.clientId}:${HUB_CLIENT.clientSecret}`).toString('base64')}`);

    mock.revokeClient(HUB_CLIENT.clientId);
    const failed = await hub.healthProbe();
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/SIL_AUTH_TOKEN.*401/);
    expect(failed.error).not.toContain(HUB_CLIENT.clientSecret);
  });
});
