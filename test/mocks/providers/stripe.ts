// Stripe API v1 mock (https://api.stripe.com/v1).
// Sources: docs.stripe.com/api/authentication (secret key as Bearer, or as the Basic user name
// with no password; no key → 401 with WWW-Authenticate: Basic realm="Stripe"), docs.stripe.com/api/errors
// (`{"error": {"type", "code", "message", "param"}}`; an invalid key is `invalid_request_error`
// 401, a rolled key code `api_key_expired`), docs.stripe.com/api/idempotent_requests (replays
// carry `Idempotent-Replayed: true`; other parameters under the same key → 400
// `idempotency_error`), docs.stripe.com/rate-limits (no limit/remaining headers; a 429 carries
// `Stripe-Rate-Limited-Reason`), form-encoded bodies (docs.stripe.com/api), `Request-Id` and
// `Stripe-Version` on every answer (stripe-node reads both).
import { createHash } from 'node:crypto';
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { authValue, basicCredentials, formParams, isForm, masked, newId } from './h4-http.ts';

export const STRIPE_DEFAULT_VERSION = '2025-09-30.clover';

export interface StripeMock extends ProviderMock {
  /** Keys the account accepts (sk_/rk_). */
  keys: Set<string>;
  /** Roll a key: it is then refused with code api_key_expired. */
  revoke(key: string): void;
  /** The next `n` requests (to `path` when given) get 429 with this Stripe-Rate-Limited-Reason. */
  rateLimitNext(reason?: string, n?: number, path?: string): void;
}

type StripeError = { type: string; message: string; code?: string; param?: string };

export async function startStripeMock(opts: { keys?: string[] } = {}): Promise<StripeMock> {
  const keys = new Set(opts.keys ?? ['sk_test_4eC39HqLyjWDarjtT1zdp7dc']);
  const rolled = new Set<string>();
  const idempotent = new Map<string, { fingerprint: string; answer: MockAnswer }>();
  let limited: { reason: string; n: number; path?: string } = { reason: '', n: 0 };

  const fail = (status: number, error: StripeError, headers: Record<string, string> = {}): MockAnswer => ({ status, headers, body: { error } });

  /** The key the request authenticates with, or the answer refusing it. */
  function authenticate(r: ReceivedRequest): { key: string } | MockAnswer {
    const key = authValue(r, 'Bearer') ?? basicCredentials(r)?.user ?? '';
    if (key === '')
      return fail(401, { type: 'invalid_request_error', message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')." }, { 'WWW-Authenticate': 'Basic realm="Stripe"' });
    if (rolled.has(key)) return fail(401, { type: 'invalid_request_error', code: 'api_key_expired', message: `Expired API Key provided: ${masked(key)}` });
    if (!keys.has(key)) return fail(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${masked(key)}` });
    return { key };
  }

  const missing = (param: string) => fail(400, { type: 'invalid_request_error', code: 'parameter_missing', param, message: `Missing required param: ${param}.` });

  function route(r: ReceivedRequest, key: string): MockAnswer {
    const livemode = key.includes('_live_');
    const p = formParams(r);
    const now = Math.floor(Date.now() / 1000);
    if (r.method === 'GET' && r.path === '/v1/balance')
      return { status: 200, body: { object: 'balance', available: [{ amount: 12345, currency: 'usd', source_types: { card: 12345 } }], pending: [{ amount: 600, currency: 'usd', source_types: { card: 600 } }], livemode } };
    if (r.method === 'GET' && r.path === '/v1/account') return { status: 200, body: { id: 'acct_1Mock', object: 'account', country: 'US', default_currency: 'usd' } };
    if (r.method === 'POST' && r.path === '/v1/customers')
      return { status: 200, body: { id: newId('cus_'), object: 'customer', created: now, email: p.get('email'), name: p.get('name'), livemode, metadata: {} } };
    if (r.method === 'POST' && r.path === '/v1/payment_intents') {
      if (!p.get('amount')) return missing('amount');
      if (!p.get('currency')) return missing('currency');
      const amount = Number(p.get('amount'));
      if (!Number.isInteger(amount) || amount < 1) return fail(400, { type: 'invalid_request_error', code: 'parameter_invalid_integer', param: 'amount', message: 'Invalid integer: ' + p.get('amount') });
      const id = newId('pi_', 24);
      return { status: 200, body: { id, object: 'payment_intent', amount, currency: p.get('currency'), status: 'requires_payment_method', client_secret: `${id}_secret_${newId('', 20)}`, created: now, livemode, customer: p.get('customer') } };
    }
    if (r.method === 'POST' && r.path === '/v1/refunds') {
      if (!p.get('payment_intent') && !p.get('charge')) return missing('charge');
      return { status: 200, body: { id: newId('re_', 24), object: 'refund', amount: Number(p.get('amount') ?? 1000), payment_intent: p.get('payment_intent'), status: 'succeeded', created: now } };
    }
    return fail(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${r.method}: ${r.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` });
  }

  const mock = await startMockServer((r) => {
    const headers: Record<string, string> = { 'Request-Id': newId('req_'), 'Stripe-Version': String(r.headers['stripe-version'] ?? STRIPE_DEFAULT_VERSION) };
    const answer = ((): MockAnswer => {
      if (limited.n > 0 && (limited.path === undefined || limited.path === r.path)) {
        limited.n--;
        return fail(429, { type: 'invalid_request_error', code: 'rate_limit', message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.' }, { 'Stripe-Rate-Limited-Reason': limited.reason, 'Stripe-Should-Retry': 'true' });
      }
      const who = authenticate(r);
      if (!('key' in who)) return who;
      const account = r.headers['stripe-account'];
      if (account !== undefined && !/^acct_[A-Za-z0-9]+$/.test(String(account)))
        return fail(403, { type: 'invalid_request_error', code: 'account_invalid', message: `The provided key does not have access to account '${account}' (or that account does not exist).` });
      if (r.method === 'POST' && r.body.length > 0 && !isForm(r))
        return fail(400, { type: 'invalid_request_error', message: 'Invalid request: the body must be application/x-www-form-urlencoded.' });
      const idem = r.headers['idempotency-key'];
      if (r.method !== 'POST' || idem === undefined) return route(r, who.key);
      // Stripe scopes keys per account and compares the parameters of the first request.
      const slot = `${who.key}|${account ?? ''}|${idem}`;
      const fingerprint = createHash('sha256').update(`${r.method} ${r.path}\n`).update(r.body).digest('hex');
      const seen = idempotent.get(slot);
      if (seen && seen.fingerprint !== fingerprint)
        return fail(400, { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idem}' if you meant to execute a different request.` });
      if (seen) return { ...seen.answer, headers: { ...seen.answer.headers, 'Idempotent-Replayed': 'true' } };
      const first = route(r, who.key);
      if (first.status < 500) idempotent.set(slot, { fingerprint, answer: first });
      return first;
    })();
    if (r.headers['idempotency-key'] !== undefined) headers['Idempotency-Key'] = String(r.headers['idempotency-key']);
    return { ...answer, headers: { ...headers, ...answer.headers } };
  });

  return {
    ...mock,
    keys,
    revoke: (key) => void rolled.add(key),
    rateLimitNext: (reason = 'global-rate', n = 1, path) => void (limited = { reason, n, path }),
  };
}
