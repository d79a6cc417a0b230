// PayPal REST mock (https://api-m.paypal.com, sandbox https://api-m.sandbox.paypal.com).
// Sources: developer.paypal.com/api/rest/authentication (POST /v1/oauth2/token with HTTP Basic
// client_id:secret and form grant_type=client_credentials → {scope, access_token, token_type:
// "Bearer", app_id, expires_in: 32400, nonce}; a bad client → 401 {"error": "invalid_client",
// "error_description": "Client Authentication failed"}), developer.paypal.com/api/rest/responses
// and the error_401 schema (v2 APIs: 401 {"name": "AUTHENTICATION_FAILURE", "message", "links"};
// v1 APIs: {"error": "invalid_token", ...}), developer.paypal.com/api/orders/v2 (POST
// /v2/checkout/orders → 201 {id, status: "CREATED", links}), developer.paypal.com/reference/
// guidelines/idempotency (PayPal-Request-Id), rate limiting guidelines (429 RATE_LIMIT_REACHED,
// no published limit headers), Paypal-Debug-Id on answers.
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { authValue, basicCredentials, formParams, isForm, newId } from './h4-http.ts';

export interface PaypalMock extends ProviderMock {
  clients: Map<string, string>;
  /** Tokens issued so far (in order). */
  issued: string[];
  /** Forget every issued token (as if they expired). */
  expireTokens(): void;
  /** Revoke the client's secret: the token endpoint refuses it from now on. */
  revokeClient(clientId: string): void;
  /** The next `n` API requests get 429 RATE_LIMIT_REACHED. */
  rateLimitNext(n?: number): void;
}

const debugId = () => newId('', 13).toLowerCase();
const LINK = [{ href: 'https://developer.paypal.com/docs/api/overview/#error', rel: 'information_link' }];

export async function startPaypalMock(opts: { clients?: Record<string, string> } = {}): Promise<PaypalMock> {
  const clients = new Map(Object.entries(opts.clients ?? { 'AeA1QIZXiflr1_-r0U2UbWTziOWX1GRQer5JmMcIIamvvbGBAOCzaqv8U2Be': 'EGnHDxD_qRPdaLdZz8iCr8N7_MzF-YHPTkjs6NKYQvQSBngp4PTTVWkPZRbL' }));
  const live = new Set<string>();
  const issued: string[] = [];
  const requests = new Map<string, MockAnswer>();
  const orders = new Map<string, unknown>();
  let limited = 0;

  function token(r: ReceivedRequest): MockAnswer {
    const client = basicCredentials(r);
    if (!client || clients.get(client.user) !== client.password) return { status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
    const grant = formParams(r).get('grant_type');
    if (!isForm(r) || grant !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: grant ? `Grant Type ${grant} is not supported` : 'Grant Type is NULL' } };
    const accessToken = `A21AA${newId('', 40)}`;
    live.add(accessToken);
    issued.push(accessToken);
    return { status: 200, body: { scope: 'https://uri.paypal.com/services/payments/payment/authcapture https://uri.paypal.com/services/payments/refund openid', access_token: accessToken, token_type: 'Bearer', app_id: 'APP-80W284485P519543T', expires_in: 32400, nonce: `${new Date().toISOString().slice(0, 19)}Z${newId('', 20)}` } };
  }

  function createOrder(r: ReceivedRequest): MockAnswer {
    const b = bodyJson(r) as { intent?: string; purchase_units?: { amount?: { currency_code?: string; value?: string } }[] } | undefined;
    const issue = (field: string, value: unknown, description: string): MockAnswer => ({
      status: 400,
      body: { name: 'INVALID_REQUEST', message: 'Request is not well-formed, syntactically incorrect, or violates schema.', debug_id: debugId(), details: [{ field, value, location: 'body', issue: 'INVALID_PARAMETER_VALUE', description }], links: LINK },
    });
    if (!b) return issue('/', '', 'The body must be JSON.');
    if (b.intent !== 'CAPTURE' && b.intent !== 'AUTHORIZE') return issue('/intent', b.intent ?? '', 'The value of a field does not conform to the expected format.');
    const amount = b.purchase_units?.[0]?.amount;
    if (!amount?.currency_code || !/^\d+(\.\d{1,2})?$/.test(amount.value ?? '')) return issue('/purchase_units/@reference_id==\'default\'/amount', amount ?? null, 'A valid amount with currency_code and value is required.');
    const id = newId('', 17).toUpperCase();
    const order = { id, intent: b.intent, status: 'CREATED', purchase_units: [{ reference_id: 'default', amount }], create_time: new Date().toISOString(), links: [
      { href: `https://api.sandbox.paypal.com/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
      { href: `https://www.sandbox.paypal.com/checkoutnow?token=${id}`, rel: 'approve', method: 'GET' },
    ] };
    orders.set(id, order);
    return { status: 201, body: order };
  }

  function api(r: ReceivedRequest): MockAnswer {
    const bearer = authValue(r, 'Bearer');
    if (bearer === null || !live.has(bearer)) {
      if (r.path.startsWith('/v1/')) return { status: 401, body: { error: 'invalid_token', error_description: bearer === null ? 'No permission for the requested operation' : 'Token signature verification failed' } };
      return { status: 401, body: { name: 'AUTHENTICATION_FAILURE', message: 'Authentication failed due to invalid authentication credentials or a missing Authorization header.', links: LINK } };
    }
    if (limited > 0) {
      limited--;
      return { status: 429, body: { name: 'RATE_LIMIT_REACHED', message: 'Too many requests. Blocked due to rate limiting.', debug_id: debugId(), details: [{ issue: 'RATE_LIMIT_REACHED', description: 'Rate limit reached. Try again later.' }], links: LINK } };
    }
    const requestId = r.headers['paypal-request-id'];
    const replay = requestId !== undefined && r.method === 'POST' ? requests.get(`${r.path}|${requestId}`) : undefined;
    if (replay) return replay;
    let out: MockAnswer;
    if (r.method === 'POST' && r.path === '/v2/checkout/orders') out = createOrder(r);
    else if (r.method === 'GET' && r.path.startsWith('/v2/checkout/orders/') && orders.has(r.path.slice(20))) out = { status: 200, body: orders.get(r.path.slice(20)) };
    else out = { status: 404, body: { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.', debug_id: debugId(), details: [{ issue: 'INVALID_RESOURCE_ID', description: 'Specified resource ID does not exist. Please check the resource ID and try again.' }], links: LINK } };
    if (requestId !== undefined && r.method === 'POST' && out.status < 500) requests.set(`${r.path}|${requestId}`, out);
    return out;
  }

  const mock = await startMockServer((r) => {
    const out = r.method === 'POST' && r.path === '/v1/oauth2/token' ? token(r) : api(r);
    return { ...out, headers: { 'Paypal-Debug-Id': debugId(), ...out.headers } };
  });

  return {
    ...mock,
    clients,
    issued,
    expireTokens: () => live.clear(),
    revokeClient: (id) => void (clients.delete(id), live.clear()),
    rateLimitNext: (n = 1) => void (limited = n),
  };
}
