// providers/stripe.yaml against a Stripe mock (test/mocks/providers/stripe.ts): the rendered
// auth (Bearer and the basic option), the pass-through door with form bodies and
// Idempotency-Key, and the health check. Stripe reports no usage in tokens/seconds/units, so
// there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startStripeMock, type StripeMock } from '../../mocks/providers/stripe.ts';

const KEY = 'sk_test_51ContractKey0123456789abcdef';
const HUB_KEY = 'sk_test_51HubKey0123456789abcdefghij';
const ROLLED = 'rk_test_51RolledKey0123456789abcdefg';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('stripe template', () => {
  let mock: StripeMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.stripe.com': mock.url });

  beforeAll(async () => {
    mock = await startStripeMock({ keys: [KEY, HUB_KEY, ROLLED] });
    hub = await startTemplateHub({ template: 'stripe', origins: origins(), secret: { secretKey: HUB_KEY }, bindings: { stripe: { protocol: 'http', service: 'api' } } });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <secret key>; a wrong or rolled key is refused with Stripe\'s 401 error object', async () => {
    const req = await renderForTemplate({ template: 'stripe', service: 'customers', origins: origins(), secret: { secretKey: KEY }, method: 'POST', headers: FORM, body: 'email=ada%40example.com&name=Ada' });
    expect(req.url.href).toBe(`${mock.url}/v1/customers`);
    expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ object: 'customer', email: 'ada@example.com', name: 'Ada', livemode: false });

    const wrong = await sendRendered(await renderForTemplate({ template: 'stripe', origins: origins(), secret: { secretKey: 'sk_test_51NotAKeyOfThisAccount000' }, path: 'balance' }));
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/^Invalid API Key provided: sk_test_\*+t000$/);

    mock.revoke(ROLLED);
    const rolled = await sendRendered(await renderForTemplate({ template: 'stripe', origins: origins(), secret: { secretKey: ROLLED }, path: 'balance' }));
    expect(rolled.status).toBe(401);
    expect(((await rolled.json()) as { error: { code: string } }).error.code).toBe('api_key_expired');
  });

  it('auth contract: option basic sends the key as the Basic user name with an empty password', async () => {
    const req = await renderForTemplate({ template: 'stripe', authOption: 'basic', origins: origins(), secret: { secretKey: KEY }, path: 'balance' });
    expect(req.headers.Authorization).toBe(`Basic ${Buffer.from(`${KEY}:`).toString('base64')}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'balance', available: [{ currency: 'usd' }] });

    const wrong = await sendRendered(await renderForTemplate({ template: 'stripe', authOption: 'basic', origins: origins(), secret: { secretKey: 'sk_test_51Wrong0000000000000000' }, path: 'balance' }));
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('auth contract: connection stripeAccount and apiVersion go out as Stripe-Account and Stripe-Version', async () => {
    const req = await renderForTemplate({ template: 'stripe', origins: origins(), connection: { stripeAccount: 'acct_1AbC2dEf3GhI4jKl', apiVersion: '2024-06-20' }, secret: { secretKey: KEY }, path: 'balance' });
    expect(req.headers['Stripe-Account']).toBe('acct_1AbC2dEf3GhI4jKl');
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(res.headers.get('stripe-version')).toBe('2024-06-20');
    expect(mock.received.findLast((r) => r.headers.authorization === `Bearer ${KEY}`)!.headers['stripe-account']).toBe('acct_1AbC2dEf3GhI4jKl');
  });

  it('via proxy: POST /bind/stripe/payment_intents, form-encoded, with the caller\'s Idempotency-Key passed through', async () => {
    const post = (body: string, key: string) => hub.door('/bind/stripe/payment_intents', { method: 'POST', headers: { ...FORM, 'Idempotency-Key': key }, body });
    const first = await post('amount=2000&currency=usd&automatic_payment_methods%5Benabled%5D=true', 'order-7-attempt');
    expect(first.status).toBe(200);
    const intent = (await first.json()) as { id: string; object: string; amount: number };
    expect(intent).toMatchObject({ object: 'payment_intent', amount: 2000, currency: 'usd' });
    const seen = mock.received.findLast((r) => r.path === '/v1/payment_intents')!;
    expect(seen.method).toBe('POST');
    expect(seen.path).toBe('/v1/payment_intents');
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
    expect(seen.headers['idempotency-key']).toBe('order-7-attempt');
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen.body.toString()).toBe('amount=2000&currency=usd&automatic_payment_methods%5Benabled%5D=true');

    const again = await post('amount=2000&currency=usd&automatic_payment_methods%5Benabled%5D=true', 'order-7-attempt');
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(intent.id);

    const reused = await post('amount=9999&currency=usd', 'order-7-attempt');
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: { type: string } }).error.type).toBe('idempotency_error');
  });

  it('via proxy: Stripe\'s error object and a 429 with Stripe-Rate-Limited-Reason reach the caller', async () => {
    const missing = await hub.door('/bind/stripe/payment_intents', { method: 'POST', headers: FORM, body: 'currency=usd' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { type: 'invalid_request_error', code: 'parameter_missing', param: 'amount', message: 'Missing required param: amount.' } });

    mock.rateLimitNext('endpoint-concurrency', 1, '/v1/customers');
    const limited = await hub.door('/bind/stripe/customers', { method: 'POST', headers: FORM, body: 'email=b%40example.com' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('stripe-rate-limited-reason')).toBe('endpoint-concurrency');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limit');
  });

  it('health check: GET /v1/balance with the key is ok; a rolled key makes it fail', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/v1/balance' && r.headers.authorization === `Bearer ${HUB_KEY}`);
    expect(probe.length).toBeGreaterThan(0);
    expect(probe.at(-1)!.method).toBe('GET');

    mock.revoke(HUB_KEY);
    const failed = await hub.healthProbe();
    expect(failed).toMatchObject({ ok: false, status: 401 });
  });
});
