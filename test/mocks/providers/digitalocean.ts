// DigitalOcean API v2 mock (https://api.digitalocean.com/v2).
//
// Sources: DigitalOcean public OpenAPI spec (digitalocean/openapi, as vendored by the rsdo crate:
// spec/specification/shared/headers.yml, responses/unauthorized.yml, too_many_requests.yml,
// models/error.yml), digitalocean/godo (headerRateLimit = "RateLimit-Limit", ...Remaining,
// ...Reset; ErrorResponse {id, message, request_id}), docs.digitalocean.com release note
// 2023-08-24 (Retry-After on 429).
// - Auth: `Authorization: Bearer <personal access token>`; anything else is 401
//   {"id":"Unauthorized","message":"Unable to authenticate you"}.
// - Every answer carries ratelimit-limit (5000/hour), ratelimit-remaining, ratelimit-reset (Unix
//   epoch seconds); a 429 is {"id":"too_many_requests","message":"API Rate limit exceeded."}
//   with Retry-After.
// - Calls: GET /v2/account (the template's health check), GET /v2/droplets, GET
//   /v2/customers/my/balance; unknown paths 404 {"id":"not_found",...}.
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { bearerOf, Quota, requestId } from './cloud-quota.ts';

export const DIGITALOCEAN_TOKEN = `dop_v1_${'3f'.repeat(32)}`;

export interface DigitalOceanMock extends ProviderMock {
  /** The personal access tokens the mock accepts. */
  tokens: Set<string>;
  quota: Quota;
  /** Revokes one token, or all. */
  revoke(token?: string): void;
}

const ACCOUNT = {
  droplet_limit: 25,
  floating_ip_limit: 5,
  volume_limit: 10,
  email: 'sammy@example.com',
  name: 'Sammy',
  uuid: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef',
  email_verified: true,
  status: 'active',
  status_message: '',
  team: { uuid: '5df3e3004a17e242b7c20ca6c9fc25b701a47ece', name: 'My Team' },
};

const DROPLETS = {
  droplets: [
    {
      id: 3164444,
      name: 'example.com',
      memory: 1024,
      vcpus: 1,
      disk: 25,
      locked: false,
      status: 'active',
      created_at: '2020-07-21T18:37:44Z',
      size_slug: 's-1vcpu-1gb',
      region: { slug: 'nyc3', name: 'New York 3' },
      tags: ['web'],
    },
  ],
  links: {},
  meta: { total: 1 },
};

const BALANCE = { month_to_date_balance: '23.44', account_balance: '12.23', month_to_date_usage: '11.21', generated_at: '2019-07-09T15:01:12Z' };

export async function startDigitalOceanMock(opts: { tokens?: string[]; limit?: number } = {}): Promise<DigitalOceanMock> {
  const tokens = new Set(opts.tokens ?? [DIGITALOCEAN_TOKEN]);
  const quota = new Quota(opts.limit ?? 5000, 3600);

  const limitHeaders = (remaining: number): Record<string, string> => ({
    'ratelimit-limit': String(quota.limit),
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': String(quota.resetAt),
    'x-request-id': requestId(),
  });
  const error = (status: number, id: string, message: string, headers: Record<string, string>): MockAnswer => ({
    status,
    headers,
    body: { id, message, request_id: headers['x-request-id'] },
  });

  const handle = (r: ReceivedRequest): MockAnswer => {
    const token = bearerOf(r);
    if (token === undefined || !tokens.has(token)) return error(401, 'Unauthorized', 'Unable to authenticate you', limitHeaders(quota.remaining));
    const taken = quota.take(r.path);
    const headers = limitHeaders(taken.remaining);
    if (!taken.ok) return error(429, 'too_many_requests', 'API Rate limit exceeded.', { ...headers, 'retry-after': String(quota.retryAfter()) });
    const route = `${r.method} ${r.path}`;
    if (route === 'GET /v2/account') return { status: 200, headers, body: { account: ACCOUNT } };
    if (route === 'GET /v2/droplets') return { status: 200, headers, body: DROPLETS };
    if (route === 'GET /v2/customers/my/balance') return { status: 200, headers, body: BALANCE };
    return error(404, 'not_found', 'The resource you were accessing could not be found.', headers);
  };

  const server = await startMockServer(handle);
  return {
    ...server,
    tokens,
    quota,
    revoke: (token?: string) => (token === undefined ? tokens.clear() : void tokens.delete(token)),
  };
}
