// Hetzner Cloud API mock (https://api.hetzner.cloud/v1).
//
// Sources: docs.hetzner.cloud (Authentication, Errors, Rate Limiting, Pagination), hetznercloud/
// hcloud-go hcloud/client_handler_rate_limit.go (RateLimit-Limit, -Remaining, -Reset) and
// hcloud/error.go (error codes unauthorized, forbidden, token_readonly, rate_limit_exceeded,
// not_found).
// - Auth: `Authorization: Bearer <project API token>`; anything else is 401
//   {"error":{"code":"unauthorized","message":"unable to authenticate","details":null}}.
//   A read-only token may only GET: other methods are 403 code token_readonly.
// - Every authenticated answer carries RateLimit-Limit (3600 per hour), RateLimit-Remaining and
//   RateLimit-Reset (Unix seconds when the quota is whole again); a 429 is code
//   rate_limit_exceeded.
// - Calls: GET /v1/servers (paginated: page, per_page; the template's health check is
//   ?per_page=1), GET /v1/pricing; unknown paths 404 code not_found.
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { bearerOf, Quota } from './cloud-quota.ts';

export const HETZNER_TOKEN = 'jEheVytlAoFl7F8MqUQ7jAo2hOXASztX4D4sTNO7kNjPqTYXAnVqOVRQBCVfAbtT';
export const HETZNER_READONLY_TOKEN = 'rOnLyTokenAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopq';

export interface HetznerMock extends ProviderMock {
  /** Read/write tokens the mock accepts. */
  tokens: Set<string>;
  /** Read-only tokens (GET only). */
  readOnly: Set<string>;
  quota: Quota;
  revoke(token?: string): void;
}

const SERVERS = [
  { id: 42, name: 'my-server', status: 'running', created: '2016-01-30T23:50:00+00:00', server_type: { id: 1, name: 'cx22', cores: 2, memory: 4, disk: 40 }, datacenter: { id: 2, name: 'nbg1-dc3' }, labels: {} },
  { id: 43, name: 'my-db', status: 'running', created: '2016-01-30T23:55:00+00:00', server_type: { id: 1, name: 'cx22', cores: 2, memory: 4, disk: 40 }, datacenter: { id: 2, name: 'nbg1-dc3' }, labels: {} },
];

const PRICING = {
  pricing: {
    currency: 'EUR',
    vat_rate: '19.00',
    primary_ips: [],
    server_types: [
      { id: 1, name: 'cx22', prices: [{ location: 'nbg1', price_hourly: { net: '0.0060000000', gross: '0.0071400000' }, price_monthly: { net: '3.7900000000', gross: '4.5101000000' }, included_traffic: 21990232555520 }] },
    ],
  },
};

function servers(r: ReceivedRequest): unknown {
  const perPage = Math.min(50, Math.max(1, Number(r.query.get('per_page') ?? 25) || 25));
  const page = Math.max(1, Number(r.query.get('page') ?? 1) || 1);
  const lastPage = Math.max(1, Math.ceil(SERVERS.length / perPage));
  return {
    servers: SERVERS.slice((page - 1) * perPage, page * perPage),
    meta: { pagination: { page, per_page: perPage, previous_page: page > 1 ? page - 1 : null, next_page: page < lastPage ? page + 1 : null, last_page: lastPage, total_entries: SERVERS.length } },
  };
}

export async function startHetznerMock(opts: { tokens?: string[]; readOnly?: string[]; limit?: number } = {}): Promise<HetznerMock> {
  const tokens = new Set(opts.tokens ?? [HETZNER_TOKEN]);
  const readOnly = new Set(opts.readOnly ?? [HETZNER_READONLY_TOKEN]);
  const quota = new Quota(opts.limit ?? 3600, 3600);
  const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): MockAnswer => ({ status, headers, body: { error: { code, message, details: null } } });

  const handle = (r: ReceivedRequest): MockAnswer => {
    const token = bearerOf(r);
    const writable = token !== undefined && tokens.has(token);
    if (!writable && !(token !== undefined && readOnly.has(token))) return error(401, 'unauthorized', 'unable to authenticate');
    const taken = quota.take(r.path);
    const headers = { 'RateLimit-Limit': String(quota.limit), 'RateLimit-Remaining': String(taken.remaining), 'RateLimit-Reset': String(quota.resetAt) };
    if (!taken.ok) return error(429, 'rate_limit_exceeded', `limit of ${quota.limit} requests per hour reached`, headers);
    if (!writable && r.method !== 'GET') return error(403, 'token_readonly', 'The token is only allowed to perform GET requests', headers);
    const route = `${r.method} ${r.path}`;
    if (route === 'GET /v1/servers') return { status: 200, headers, body: servers(r) };
    if (route === 'GET /v1/pricing') return { status: 200, headers, body: PRICING };
    return error(404, 'not_found', 'not found', headers);
  };

  const server = await startMockServer(handle);
  return {
    ...server,
    tokens,
    readOnly,
    quota,
    revoke: (token?: string) => {
      if (token === undefined) {
        tokens.clear();
        readOnly.clear();
      } else {
        tokens.delete(token);
        readOnly.delete(token);
      }
    },
  };
}
