// Vercel REST API mock (https://api.vercel.com).
//
// Sources: vercel.com/docs/rest-api (Authentication: `Authorization: Bearer <token>`; "Accessing
// resources owned by a team": ?teamId=<id> or ?slug=; Errors: {"error": {"code", "message"}};
// Rate limits: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset = Unix seconds when
// the window resets, 429 code rate_limited), endpoints GET /v2/user, GET /v9/projects,
// GET /v13/deployments/{idOrUrl}. An invalid or revoked token is 403
// {"error":{"code":"forbidden","message":"Not authorized","invalidToken":true}} (the answer
// widely reported for expired tokens); a missing one 403 with missingToken.
// - A token belongs to one user and may be a member of teams; a ?teamId= the token is not a
//   member of is 403 {"error":{"code":"forbidden","message":"Not authorized"}}.
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { bearerOf, Quota } from './cloud-quota.ts';

export const VERCEL_TOKEN = 'Vb9kQ2mX7pL4rT8wZ3nC6yHd';
export const VERCEL_TEAM = 'team_LZ8fk3HrQ2pXo9Wv';

export interface VercelMock extends ProviderMock {
  /** Token → the teams it is a member of. */
  tokens: Map<string, string[]>;
  quota: Quota;
  revoke(token?: string): void;
}

const USER = { id: 'AEIIDYVk59zbFF2Sxfyxxmua', email: 'me@example.com', name: 'Me', username: 'me', avatar: null, defaultTeamId: VERCEL_TEAM, version: 'northstar' };

function projects(owner: string): unknown {
  return {
    projects: [{ id: 'prj_12HKQaOmR5t5Uy6vdcQsNIiZgHGB', name: 'web', accountId: owner, framework: 'nextjs', createdAt: 1700000000000, updatedAt: 1700000500000 }],
    pagination: { count: 1, next: null, prev: null },
  };
}

function deployment(id: string, owner: string): unknown {
  return { id, uid: id, name: 'web', url: 'web-abc123.vercel.app', readyState: 'READY', target: 'production', ownerId: owner, createdAt: 1700000000000, projectId: 'prj_12HKQaOmR5t5Uy6vdcQsNIiZgHGB' };
}

export async function startVercelMock(opts: { tokens?: Record<string, string[]>; limit?: number } = {}): Promise<VercelMock> {
  const tokens = new Map(Object.entries(opts.tokens ?? { [VERCEL_TOKEN]: [VERCEL_TEAM] }));
  const quota = new Quota(opts.limit ?? 500, 60);
  const error = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): MockAnswer => ({ status, headers, body: { error: body } });

  const handle = (r: ReceivedRequest): MockAnswer => {
    const token = bearerOf(r);
    if (token === undefined) return error(403, { code: 'forbidden', message: 'Missing or invalid token', missingToken: true });
    const teams = tokens.get(token);
    if (!teams) return error(403, { code: 'forbidden', message: 'Not authorized', invalidToken: true });
    const taken = quota.take(r.path);
    const headers = { 'X-RateLimit-Limit': String(quota.limit), 'X-RateLimit-Remaining': String(taken.remaining), 'X-RateLimit-Reset': String(quota.resetAt) };
    if (!taken.ok) {
      const limit = { remaining: 0, reset: quota.resetAt, resetMs: quota.resetAt * 1000, total: quota.limit };
      return error(429, { code: 'rate_limited', message: `Rate limit exceeded. Try again in ${quota.retryAfter()} seconds.`, limit }, headers);
    }
    const teamId = r.query.get('teamId');
    if (teamId !== null && !teams.includes(teamId)) return error(403, { code: 'forbidden', message: 'Not authorized' }, headers);
    const owner = teamId ?? USER.id;
    const route = `${r.method} ${r.path}`;
    if (route === 'GET /v2/user') return { status: 200, headers, body: { user: USER } };
    if (route === 'GET /v9/projects') return { status: 200, headers, body: projects(owner) };
    const dep = /^GET \/v13\/deployments\/([^/]+)$/.exec(route);
    if (dep) return { status: 200, headers, body: deployment(decodeURIComponent(dep[1]), owner) };
    return error(404, { code: 'not_found', message: 'The requested resource was not found' }, headers);
  };

  const server = await startMockServer(handle);
  return { ...server, tokens, quota, revoke: (token?: string) => (token === undefined ? tokens.clear() : void tokens.delete(token)) };
}
