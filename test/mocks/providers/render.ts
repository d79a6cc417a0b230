// Render public API mock (https://api.render.com/v1).
//
// Sources: api-docs.render.com (Authentication: `Authorization: Bearer <API key>`), render-oss/cli
// pkg/client (code generated from Render's public OpenAPI spec): every response declares the
// headers RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset (integers); the error model is
// {id, message} (401Unauthorized, 429RateLimit, 404NotFound are all `error`); list endpoints
// answer an array of {<resource>, cursor}; Owner {id, name, email, type: user|team}.
// - Auth: the API key (rnd_...) as a bearer token; anything else is 401 {id, message}.
// - Calls: GET /v1/owners (the health check, ?limit=1), GET /v1/services; unknown paths 404.
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { bearerOf, Quota, requestId } from './cloud-quota.ts';

export const RENDER_KEY = 'rnd_Xq7vN3pLk2Wm9TzR4bYc8HdJ';

export interface RenderMock extends ProviderMock {
  keys: Set<string>;
  quota: Quota;
  revoke(key?: string): void;
}

const OWNERS = [
  { owner: { id: 'tea-cj8r0g5jeehc73b5v1mg', name: 'Acme', email: 'ops@example.com', type: 'team' }, cursor: 'a2V5LTE=' },
  { owner: { id: 'usr-cj8qvl5jeehc73b5ub0g', name: 'Sam', email: 'sam@example.com', type: 'user', twoFactorAuthEnabled: true }, cursor: 'a2V5LTI=' },
];

const SERVICES = [
  {
    service: {
      id: 'srv-cj8r1k5jeehc73b5v2ag',
      name: 'web',
      type: 'web_service',
      ownerId: 'tea-cj8r0g5jeehc73b5v1mg',
      repo: 'https://github.com/acme/web',
      branch: 'main',
      autoDeploy: 'yes',
      suspended: 'not_suspended',
      createdAt: '2024-01-02T03:04:05.000Z',
      serviceDetails: { plan: 'starter', region: 'oregon', env: 'node' },
    },
    cursor: 'c3J2LTE=',
  },
];

function page<T>(items: T[], r: ReceivedRequest): T[] {
  const limit = Math.min(100, Math.max(1, Number(r.query.get('limit') ?? 20) || 20));
  return items.slice(0, limit);
}

export async function startRenderMock(opts: { keys?: string[]; limit?: number } = {}): Promise<RenderMock> {
  const keys = new Set(opts.keys ?? [RENDER_KEY]);
  const quota = new Quota(opts.limit ?? 400, 60);
  const error = (status: number, message: string, headers: Record<string, string> = {}): MockAnswer => ({ status, headers, body: { id: requestId(), message } });

  const handle = (r: ReceivedRequest): MockAnswer => {
    const key = bearerOf(r);
    if (key === undefined || !keys.has(key)) return error(401, 'unauthorized');
    const taken = quota.take(r.path);
    const headers = { 'Ratelimit-Limit': String(quota.limit), 'Ratelimit-Remaining': String(taken.remaining), 'Ratelimit-Reset': String(quota.resetAt) };
    if (!taken.ok) return error(429, 'rate limit exceeded', { ...headers, 'Retry-After': String(quota.retryAfter()) });
    const route = `${r.method} ${r.path}`;
    if (route === 'GET /v1/owners') return { status: 200, headers, body: page(OWNERS, r) };
    if (route === 'GET /v1/services') return { status: 200, headers, body: page(SERVICES, r) };
    return error(404, 'not found', headers);
  };

  const server = await startMockServer(handle);
  return { ...server, keys, quota, revoke: (key?: string) => (key === undefined ? keys.clear() : void keys.delete(key)) };
}
