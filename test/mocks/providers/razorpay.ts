// Razorpay API v1 mock (https://api.razorpay.com/v1).
// Sources: razorpay.com/docs/api/authentication (HTTP Basic, key id as user, key secret as
// password), razorpay.com/docs/errors (`{"error": {"code", "description", "field", "source",
// "step", "reason", "metadata"}}`; a bad key pair answers 401 BAD_REQUEST_ERROR "Authentication
// failed" with source/step/reason "NA", as razorpay-node and razorpay-flutter issue #410 show),
// razorpay.com/docs/api/orders (create: amount in the smallest unit, at least 100; JSON or form
// body; fetch all: {entity: "collection", count, items}). Razorpay documents no rate-limit
// headers or 429 body, so this mock has none.
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { basicCredentials, formParams, isForm, newId } from './h4-http.ts';

export interface RazorpayMock extends ProviderMock {
  /** key id → key secret */
  keys: Map<string, string>;
  /** Regenerate a key's secret (the old one is refused). */
  revoke(keyId: string): void;
  orders: Record<string, unknown>[];
}

const error = (status: number, code: string, description: string, more: { field?: string; source?: string; step?: string; reason?: string } = {}): MockAnswer => ({
  status,
  body: { error: { code, description, ...(more.field ? { field: more.field } : {}), source: more.source ?? 'NA', step: more.step ?? 'NA', reason: more.reason ?? 'NA', metadata: {} } },
});

export async function startRazorpayMock(opts: { keys?: Record<string, string> } = {}): Promise<RazorpayMock> {
  const keys = new Map(Object.entries(opts.keys ?? { rzp_test_1DP5mmOlF5G5ag: 'thisisasecretkey0123456789' }));
  const orders: Record<string, unknown>[] = [];

  function createOrder(r: ReceivedRequest): MockAnswer {
    const input = isForm(r) ? Object.fromEntries(formParams(r)) : ((bodyJson(r) ?? {}) as Record<string, unknown>);
    const amount = Number(input.amount);
    const invalid = (field: string, description: string) => error(400, 'BAD_REQUEST_ERROR', description, { field, source: 'business', step: 'payment_initiation', reason: 'input_validation_failed' });
    if (input.amount === undefined) return invalid('amount', 'The amount field is required.');
    if (!Number.isInteger(amount) || amount < 100) return invalid('amount', 'The amount must be atleast INR 1.00');
    if (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency)) return invalid('currency', 'The currency field is required.');
    const order = { id: newId('order_'), entity: 'order', amount, amount_paid: 0, amount_due: amount, currency: input.currency, receipt: input.receipt ?? null, offer_id: null, status: 'created', attempts: 0, notes: input.notes ?? [], created_at: Math.floor(Date.now() / 1000) };
    orders.unshift(order);
    return { status: 200, body: order };
  }

  const mock = await startMockServer((r) => {
    const who = basicCredentials(r);
    if (!who || keys.get(who.user) !== who.password) return error(401, 'BAD_REQUEST_ERROR', 'Authentication failed');
    if (r.method === 'POST' && r.path === '/v1/orders') return createOrder(r);
    if (r.method === 'GET' && r.path === '/v1/orders') {
      const count = Math.min(100, Math.max(1, Number(r.query.get('count') ?? 10) || 10));
      const skip = Math.max(0, Number(r.query.get('skip') ?? 0) || 0);
      const items = orders.slice(skip, skip + count);
      return { status: 200, body: { entity: 'collection', count: items.length, items } };
    }
    if (r.method === 'GET' && r.path.startsWith('/v1/orders/')) {
      const order = orders.find((o) => o.id === r.path.slice(11));
      return order ? { status: 200, body: order } : error(400, 'BAD_REQUEST_ERROR', 'The id provided does not exist', { reason: 'input_validation_failed' });
    }
    return error(400, 'BAD_REQUEST_ERROR', 'The requested URL was not found on the server.');
  });

  return {
    ...mock,
    keys,
    orders,
    revoke: (keyId) => void keys.set(keyId, `regenerated-${newId('', 20)}`),
  };
}
