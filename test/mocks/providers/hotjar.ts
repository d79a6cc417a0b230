// Hotjar API mock, after help.hotjar.com "Hotjar API Reference" (articles 12244109929751 /
// 36820005914001) and "How to Set Up the Hotjar API" (36819965653009):
// - token: POST /v1/oauth/token, "encoded as application/x-www-form-urlencoded (this is an OAuth
//   requirement)", with grant_type=client_credentials, client_id and client_secret in the body
//   (not HTTP Basic). Answer `{access_token, token_type: "Bearer", expires_in: 3600}`;
// - every other call: `Authorization: Bearer <access_token>`;
// - errors: the reference only says the API "uses HTTP status codes to communicate status".
//   The token endpoint refuses a bad client with RFC 6749 §5.2 (400/401 `{error:
//   "invalid_client"}`); the API refuses a token with RFC 6750 §3 (401, `WWW-Authenticate:
//   Bearer error="invalid_token"`) and a JSON `{error, message}` body (its shape is assumed);
// - rate limit: 3000 requests a minute per the published OpenAPI description; throttled calls
//   get 429 with Retry-After. No rate-limit headers are documented: none on success;
// - GET /v1/sites/{site_id}/surveys → `{results: [{id, name, type, is_enabled, created_time,
//   url}], next_cursor}` (cursor pagination, `limit`); survey responses below
//   /v1/sites/{site_id}/surveys/{survey_id}/responses.
import { startMockServer, bodyText, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import { basicPair, bearerToken, mediaType, same, TokenStore } from './analytics-search-shared.ts';

export interface HotjarMockOptions { clientId?: string; clientSecret?: string; siteId?: string; now?: () => number }

export interface HotjarMock extends ProviderMock {
  clientId: string;
  clientSecret: string;
  siteId: string;
  tokens: TokenStore;
  tokenRequests: { form: URLSearchParams; basic: boolean; status: number; error?: string }[];
  /** Deletes the API key (client id/secret): token requests are refused, issued tokens revoked. */
  revokeClient(): void;
  /** Revokes issued access tokens only (as when they expire). */
  revokeTokens(): void;
  throttle(on: boolean): void;
}

export async function startHotjarMock(o: HotjarMockOptions = {}): Promise<HotjarMock> {
  const clientId = o.clientId ?? 'hj-client-6f1c2a';
  const clientSecret = o.clientSecret ?? 'hj-secret-Q2xpZW50U2VjcmV0MDEyMw';
  const siteId = o.siteId ?? '1234567';
  const tokens = new TokenStore('hjat-', o.now);
  const tokenRequests: HotjarMock['tokenRequests'] = [];
  let clientLive = true;
  let throttled = false;

  const token = (r: ReceivedRequest): MockAnswer => {
    const form = new URLSearchParams(mediaType(r) === 'application/x-www-form-urlencoded' ? bodyText(r) : '');
    const seen: HotjarMock['tokenRequests'][number] = { form, basic: basicPair(r) !== undefined, status: 200 };
    tokenRequests.push(seen);
    const refuse = (status: number, error: string, error_description: string): MockAnswer => {
      Object.assign(seen, { status, error });
      return { status, headers: { 'Cache-Control': 'no-store' }, body: { error, error_description } };
    };
    if (r.method !== 'POST') return refuse(405, 'invalid_request', 'the token endpoint takes POST');
    if (mediaType(r) !== 'application/x-www-form-urlencoded') return refuse(400, 'invalid_request', 'the request must be application/x-www-form-urlencoded');
    if (form.get('grant_type') !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    // The credentials go in the body; a client that authenticates only with Basic is not one Hotjar knows.
    if (!clientLive || !same(form.get('client_id') ?? undefined, clientId) || !same(form.get('client_secret') ?? undefined, clientSecret)) {
      return refuse(401, 'invalid_client', 'Client authentication failed');
    }
    return { status: 200, headers: { 'Cache-Control': 'no-store' }, body: { access_token: tokens.issue(3600), token_type: 'Bearer', expires_in: 3600 } };
  };

  const api = (r: ReceivedRequest): MockAnswer => {
    if (!tokens.check(bearerToken(r))) {
      return { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, body: { error: 'invalid_token', message: 'The access token is missing, invalid or expired' } };
    }
    if (throttled) return { status: 429, headers: { 'Retry-After': '1' }, body: { error: 'rate_limited', message: 'Too many requests' } };
    const m = /^\/v1\/sites\/([0-9]+)\/surveys(?:\/([0-9]+)\/responses)?$/.exec(r.path);
    if (r.method === 'GET' && m) {
      if (m[1] !== siteId) return { status: 403, body: { error: 'forbidden', message: 'The API key has no access to this site' } };
      if (m[2]) {
        return { status: 200, body: { results: [{ id: 'r-1', created_time: '2026-05-20T08:00:00Z', answers: [{ question_id: 1, answer: 'Yes' }], device_type: 'desktop' }], next_cursor: null } };
      }
      const limit = Math.min(Number(r.query.get('limit') ?? 100) || 100, 100);
      const all = [
        { id: 31, name: 'NPS', type: 'popover', is_enabled: true, created_time: '2026-04-01T10:00:00Z', url: `https://insights.hotjar.com/sites/${siteId}/surveys/31` },
        { id: 32, name: 'Exit survey', type: 'popover', is_enabled: false, created_time: '2026-04-15T10:00:00Z', url: `https://insights.hotjar.com/sites/${siteId}/surveys/32` },
      ];
      const from = Number(r.query.get('cursor') ?? 0);
      const results = all.slice(from, from + limit);
      return { status: 200, body: { results, next_cursor: from + limit < all.length ? String(from + limit) : null } };
    }
    return { status: 404, body: { error: 'not_found', message: 'Not found' } };
  };

  const mock = await startMockServer((r) => (r.path === '/v1/oauth/token' ? token(r) : api(r)));
  return {
    ...mock,
    clientId,
    clientSecret,
    siteId,
    tokens,
    tokenRequests,
    revokeClient: () => {
      clientLive = false;
      tokens.revokeAll();
    },
    revokeTokens: () => tokens.revokeAll(),
    throttle: (on) => void (throttled = on),
  };
}
