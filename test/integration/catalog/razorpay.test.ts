// providers/razorpay.yaml against a Razorpay mock (test/mocks/providers/razorpay.ts): HTTP Basic
// key id : key secret, the pass-through door, and the health check. Razorpay reports no usage in
// tokens/seconds/units (fees are on payment entities), so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startRazorpayMock, type RazorpayMock } from '../../mocks/providers/razorpay.ts';

const KEY = { keyId: 'rzp_test_Contract0123ab', keySecret: 'ContractSecret0123456789abcd' };
const HUB_KEY = { keyId: 'rzp_test_HubKey456789cd', keySecret: 'HubSecret0123456789abcdefgh' };
const JSON_TYPE = { 'content-type': 'application/json' };
const basic = (k: typeof KEY) => `Basic ${Buffer.from(`${k.keyId}:${k.keySecret}`).toString('base64')}`;

describe('razorpay template', () => {
  let mock: RazorpayMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.razorpay.com': mock.url });

  beforeAll(async () => {
    mock = await startRazorpayMock({ keys: { [KEY.keyId]: KEY.keySecret, [HUB_KEY.keyId]: HUB_KEY.keySecret } });
    hub = await startTemplateHub({ template: 'razorpay', origins: origins(), secret: HUB_KEY, bindings: { razorpay: { protocol: 'http', service: 'api' }, orders: { protocol: 'http', service: 'orders' } } });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: HTTP Basic key_id:key_secret; a wrong secret is refused with Razorpay\'s 401 error object', async () => {
    const req = await renderForTemplate({ template: 'razorpay', service: 'orders', origins: origins(), secret: KEY, method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ amount: 50000, currency: 'INR', receipt: 'rcpt-1' }) });
    expect(req.url.href).toBe(`${mock.url}/v1/orders`);
    expect(req.headers.Authorization).toBe(basic(KEY));
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ entity: 'order', amount: 50000, amount_due: 50000, currency: 'INR', receipt: 'rcpt-1', status: 'created' });

    const wrong = await sendRendered(await renderForTemplate({ template: 'razorpay', service: 'orders', origins: origins(), secret: { ...KEY, keySecret: 'NotTheSecret0123456789abcd' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed', source: 'NA', step: 'NA', reason: 'NA', metadata: {} } });
  });

  it('via proxy: POST /bind/razorpay/orders (JSON) and GET /bind/orders/<id> with the hub\'s key', async () => {
    const created = await hub.door('/bind/razorpay/orders', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ amount: 129900, currency: 'INR', receipt: 'web-77', notes: { sku: 'A1' } }) });
    expect(created.status).toBe(200);
    const order = (await created.json()) as { id: string; amount: number };
    expect(order).toMatchObject({ entity: 'order', amount: 129900, notes: { sku: 'A1' } });
    const seen = mock.received.findLast((r) => r.method === 'POST' && r.path === '/v1/orders')!;
    expect(seen.headers.authorization).toBe(basic(HUB_KEY));
    expect(JSON.parse(seen.body.toString())).toMatchObject({ amount: 129900, receipt: 'web-77' });

    const fetched = await hub.door(`/bind/orders/${order.id}`);
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as { id: string }).id).toBe(order.id);
    expect(mock.received.findLast((r) => r.path === `/v1/orders/${order.id}`)!.headers.authorization).toBe(basic(HUB_KEY));
  });

  it('via proxy: Razorpay\'s validation error object reaches the caller', async () => {
    const res = await hub.door('/bind/razorpay/orders', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ amount: 50, currency: 'INR' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'BAD_REQUEST_ERROR', description: 'The amount must be atleast INR 1.00', field: 'amount', source: 'business', step: 'payment_initiation', reason: 'input_validation_failed', metadata: {} } });
  });

  it('health check: GET /v1/orders?count=1 with the key is ok; a regenerated secret makes it fail', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.findLast((r) => r.method === 'GET' && r.path === '/v1/orders')!;
    expect(probe.query.get('count')).toBe('1');
    expect(probe.headers.authorization).toBe(basic(HUB_KEY));

    mock.revoke(HUB_KEY.keyId);
    expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 401 });
  });
});
