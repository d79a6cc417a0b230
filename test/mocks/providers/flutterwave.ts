// Flutterwave mock: the v3 API (https://api.flutterwave.com/v3), the v4 API (production
// https://f4bexperience.flutterwave.com, sandbox https://developersandbox-api.flutterwave.com) and
// v4's token endpoint (https://idp.flutterwave.com), one server for every origin (v3 paths start
// with /v3/, the token path with /realms/, the rest is v4).
// Sources: developer.flutterwave.com/v3.0/docs/authentication (`Authorization: Bearer
// FLWSECK-...`), /docs/integration-guides/errors (v3 errors `{"status": "error", "message", "data":
// null}`, 401 when the key is missing or wrong), Flutterwave/Node-v3 docs (GET /v3/balances →
// "Wallet balances fetched", data [{currency, available_balance, ledger_balance}]),
// /v3.0/docs/flutterwave-standard (POST /v3/payments → "Hosted Link", data.link),
// developer.flutterwave.com/docs/authentication (v4: POST idp.flutterwave.com/realms/flutterwave/
// protocol/openid-connect/token, form client_id, client_secret, grant_type=client_credentials →
// {access_token, expires_in: 600, refresh_expires_in: 0, token_type: "Bearer", "not-before-policy",
// scope}; a bad client gets Keycloak's 401 {"error": "unauthorized_client", "error_description"}),
// /docs/api-headers (v4: Bearer token, X-Idempotency-Key, X-Trace-Id; 401 {"status": "failed",
// "error": {"type": "UNAUTHORIZED", "code": "10401", "message": "Unauthorized"}}), v4 customers
// (GET /customers?page=1, POST /customers). No documented rate-limit headers.
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { authValue, formParams, isForm, isJson, newId } from './h4-http.ts';

export const FLW_TOKEN_PATH = '/realms/flutterwave/protocol/openid-connect/token';

export interface FlutterwaveMock extends ProviderMock {
  /** v3 secret keys accepted. */
  secretKeys: Set<string>;
  /** v4 client id → client secret. */
  clients: Map<string, string>;
  /** v4 access tokens issued (in order). */
  issued: string[];
  /** Regenerate the v3 keys: the old secret key is refused. */
  revokeKey(key: string): void;
  /** Revoke a v4 client and every token issued. */
  revokeClient(clientId: string): void;
}

const v3Error = (status: number, message: string): MockAnswer => ({ status, body: { status: 'error', message, data: null } });
const v4Error = (status: number, type: string, code: string, message: string): MockAnswer => ({ status, body: { status: 'failed', error: { type, code, message, validation_errors: [] } } });

export async function startFlutterwaveMock(opts: { secretKeys?: string[]; clients?: Record<string, string> } = {}): Promise<FlutterwaveMock> {
  const secretKeys = new Set(opts.secretKeys ?? ['FLWSECK_TEST-0123456789abcdef0123456789abcdef-X']);
  const clients = new Map(Object.entries(opts.clients ?? { '0a1b2c3d-4e5f-6789-abcd-ef0123456789': 'Ks9d8f7g6h5j4k3l2m1n0p9q8r7s6t5u' }));
  const live = new Set<string>();
  const issued: string[] = [];
  const customers: Record<string, unknown>[] = [];
  const balances = [{ currency: 'NGN', available_balance: 2367840, ledger_balance: 2531258.2 }, { currency: 'USD', available_balance: 0, ledger_balance: 472.08 }];

  function token(r: ReceivedRequest): MockAnswer {
    const p = formParams(r);
    const id = p.get('client_id') ?? '';
    if (!isForm(r) || p.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' } };
    if (!clients.has(id) || clients.get(id) !== p.get('client_secret')) return { status: 401, body: { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' } };
    const accessToken = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ azp: id, jti: newId('', 12) })).toString('base64url')}.${newId('', 43)}`;
    live.add(accessToken);
    issued.push(accessToken);
    return { status: 200, body: { access_token: accessToken, expires_in: 600, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, scope: 'profile email' } };
  }

  function v3(r: ReceivedRequest): MockAnswer {
    const key = authValue(r, 'Bearer');
    if (key === null) return v3Error(401, 'Authorization required');
    if (!secretKeys.has(key)) return v3Error(401, 'Invalid authorization key');
    const path = r.path.slice(3);
    if (r.method === 'GET' && path === '/balances') return { status: 200, body: { status: 'success', message: 'Wallet balances fetched', data: balances } };
    const one = /^\/balances\/([A-Z]{3})$/.exec(path);
    if (r.method === 'GET' && one) {
      const b = balances.find((x) => x.currency === one[1]);
      return b ? { status: 200, body: { status: 'success', message: 'Wallet balance fetched', data: b } } : v3Error(400, `Invalid currency: ${one[1]}`);
    }
    if (r.method === 'POST' && path === '/payments') {
      const b = (isJson(r) ? bodyJson(r) : undefined) as { tx_ref?: string; amount?: unknown; currency?: string; redirect_url?: string; customer?: { email?: string } } | undefined;
      for (const field of ['tx_ref', 'amount', 'redirect_url'] as const) if (!b?.[field]) return v3Error(400, `${field} is required`);
      if (!b!.customer?.email) return v3Error(400, 'customer.email is required');
      return { status: 200, body: { status: 'success', message: 'Hosted Link', data: { link: `https://checkout.flutterwave.com/v3/hosted/pay/${newId('', 20).toLowerCase()}` } } };
    }
    return v3Error(404, `Cannot ${r.method} ${r.path}`);
  }

  function v4(r: ReceivedRequest): MockAnswer {
    const bearer = authValue(r, 'Bearer');
    if (bearer === null || !live.has(bearer)) return v4Error(401, 'UNAUTHORIZED', '10401', 'Unauthorized');
    if (r.method === 'GET' && r.path === '/customers') {
      const page = Math.max(1, Number(r.query.get('page') ?? 1) || 1);
      return { status: 200, body: { status: 'success', message: 'Customers fetched', meta: { page_info: { total: customers.length, current_page: page, total_pages: Math.max(1, Math.ceil(customers.length / 10)) } }, data: customers.slice((page - 1) * 10, page * 10) } };
    }
    if (r.method === 'POST' && r.path === '/customers') {
      const b = (isJson(r) ? bodyJson(r) : undefined) as { email?: string; name?: unknown; phone?: unknown } | undefined;
      if (!b?.email) return { status: 400, body: { status: 'failed', error: { type: 'REQUEST_NOT_VALID', code: '10400', message: 'Invalid request.', validation_errors: [{ field_name: 'email', message: 'must not be null' }] } } };
      const customer = { id: newId('cus_', 10), email: b.email, name: b.name ?? null, phone: b.phone ?? null, meta: {}, created_datetime: new Date().toISOString() };
      customers.push(customer);
      return { status: 201, body: { status: 'success', message: 'Customer created', data: customer } };
    }
    return v4Error(404, 'RESOURCE_NOT_FOUND', '10404', 'Resource not found');
  }

  const mock = await startMockServer((r) => {
    if (r.method === 'POST' && r.path === FLW_TOKEN_PATH) return token(r);
    const out = r.path.startsWith('/v3/') ? v3(r) : v4(r);
    const trace = r.headers['x-trace-id'];
    return trace === undefined ? out : { ...out, headers: { 'X-Trace-Id': String(trace), ...out.headers } };
  });

  return {
    ...mock,
    secretKeys,
    clients,
    issued,
    revokeKey: (key) => void secretKeys.delete(key),
    revokeClient: (id) => void (clients.delete(id), live.clear()),
  };
}
