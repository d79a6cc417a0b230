// Mixpanel mock: ingestion (api.mixpanel.com/import) and the query / app APIs
// (mixpanel.com/api), after docs.mixpanel.com reference/service-accounts, reference/import-events,
// reference/rate-limits, troubleshooting/errors/{400,401,413,429} and the Query API reference:
// - auth: a service account over HTTP Basic `<username>:<secret>`; with a service account the
//   request must name the project in the query (`project_id`), and the account must be a member
//   of it (/import needs the Owner or Admin role; each of these failures is a 401 on /import). The deprecated project secret (Basic
//   `<secret>:`) is not offered by the template and not accepted here;
// - /import?strict=1&project_id=…: `Content-Type: application/json` (array) or
//   application/x-ndjson; each event needs `event`, `properties.time`, `properties.distinct_id`
//   and `properties.$insert_id`. 200 `{code: 200, num_records_imported, status: "OK"}`; 400
//   `{code, error: "some data points in the request failed validation", status: "Bad Request",
//   num_records_imported, failed_records: [{index, insert_id, field, message}]}`; 401
//   `{code: 401, error: "Invalid credentials", status: "Unauthorized"}`; 429 `{code: 429, error:
//   "Project exceeded rate limits. ...", status: "Too Many Requests"}` (no Retry-After header);
// - query / app APIs: errors `{request: "<path and query>", error: "<text>"}` (401 for bad
//   credentials, 403 when the account is not a member, 429 over 60 queries an hour);
//   GET /api/app/me → `{status: "ok", results: {user_id, user_name, user_email, projects,
//   workspaces, organizations}}`; GET /api/query/insights?project_id&bookmark_id → a report.
// No rate-limit headers are documented: none are sent.
import { startMockServer, bodyText, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import { basicPair, mediaType, same } from './analytics-search-shared.ts';

export interface MixpanelMockOptions { username?: string; secret?: string; projectId?: string; role?: 'owner' | 'admin' | 'analyst' | 'consumer' }

export interface MixpanelEvent { event: string; properties: Record<string, unknown> }

export interface MixpanelMock extends ProviderMock {
  username: string;
  secret: string;
  projectId: string;
  events: MixpanelEvent[];
  /** Deletes the service account: every request is refused as unauthenticated. */
  revoke(): void;
  /** While on, /import (default) or the query / app APIs answer 429. */
  throttle(on: boolean, api?: 'import' | 'query'): void;
}

export async function startMixpanelMock(o: MixpanelMockOptions = {}): Promise<MixpanelMock> {
  const username = o.username ?? 'sil-hub.1a2b3c.mp-service-account';
  const secret = o.secret ?? 'Zm9vYmFyU2VjcmV0MDEyMzQ1Njc4OWFi';
  const projectId = o.projectId ?? '1234567';
  const role = o.role ?? 'admin';
  let live = true;
  let throttled = false;
  let queryThrottled = false;
  const events: MixpanelEvent[] = [];

  const authenticated = (r: ReceivedRequest): boolean => {
    const pair = basicPair(r);
    return live && !!pair && same(pair[0], username) && same(pair[1], secret);
  };

  const ingest = (r: ReceivedRequest): MockAnswer => {
    const fail = (code: number, error: string, status: string, extra: Record<string, unknown> = {}): MockAnswer => ({ status: code, body: { code, error, status, ...extra } });
    // The 401 page names all of these: bad credentials, no project_id (Mixpanel cannot tell which
    // project the service account means), a project it is not in, a role below Admin.
    const member = r.query.get('project_id') === projectId && (role === 'owner' || role === 'admin');
    if (!authenticated(r) || !member) return fail(401, 'Invalid credentials', 'Unauthorized');
    if (throttled) return fail(429, 'Project exceeded rate limits. Please retry the request with exponential backoff.', 'Too Many Requests');
    if (r.body.length > 10 * 1024 * 1024) return fail(413, 'request exceeds max limit of 10485760 bytes', 'Request Entity Too Large');
    let list: unknown;
    try {
      const text = bodyText(r);
      if (mediaType(r) === 'application/x-ndjson') list = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
      else if (mediaType(r) === 'application/json') list = JSON.parse(text);
      else return fail(400, 'unsupported Content-Type; use application/json or application/x-ndjson', 'Bad Request');
    } catch {
      return fail(400, 'unable to parse request body as JSON', 'Bad Request');
    }
    const batch = (Array.isArray(list) ? list : [list]) as MixpanelEvent[];
    if (batch.length > 2000) return fail(400, 'request exceeds max limit of 2000 records', 'Bad Request');
    const failed: { index: number; insert_id: string; field: string; message: string }[] = [];
    batch.forEach((e, index) => {
      const p = e?.properties ?? {};
      const insertId = String(p.$insert_id ?? '');
      const why = (field: string, message: string) => failed.push({ index, insert_id: insertId, field, message });
      if (typeof e?.event !== 'string' || e.event === '') why('event', "'event' must be a non-empty string");
      else if (typeof p.time !== 'number') why('properties.time', "'properties.time' is invalid: must be specified as seconds since epoch");
      else if (typeof p.distinct_id !== 'string') why('properties.distinct_id', "'properties.distinct_id' is invalid: must be a string");
      else if (!/^[A-Za-z0-9-]{1,36}$/.test(insertId)) why('properties.$insert_id', "'properties.$insert_id' is invalid: must be 1-36 alphanumeric characters or '-'");
    });
    const good = batch.filter((_, i) => !failed.some((f) => f.index === i));
    events.push(...good);
    if (failed.length && r.query.get('strict') === '1') {
      return fail(400, 'some data points in the request failed validation', 'Bad Request', { num_records_imported: good.length, failed_records: failed });
    }
    return { status: 200, body: { code: 200, num_records_imported: good.length, status: 'OK' } };
  };

  const query = (r: ReceivedRequest): MockAnswer => {
    const fail = (status: number, error: string): MockAnswer => ({ status, body: { request: r.url, error } });
    if (!authenticated(r)) return fail(401, 'Invalid credentials');
    if (queryThrottled) return fail(429, 'Query rate limit exceeded (60 queries per hour); retry later');
    if (r.method === 'GET' && /^\/api\/app\/me\/?$/.test(r.path)) {
      return { status: 200, body: { status: 'ok', results: { user_id: 9001, user_name: username, user_email: `${username}@serviceaccount.mixpanel.com`, projects: { [projectId]: { id: Number(projectId), name: 'Sil project', role: { name: role }, organization_id: 77 } }, workspaces: {}, organizations: { 77: { id: 77, name: 'Sil org' } } } } };
    }
    if (r.path.startsWith('/api/query/')) {
      const pid = r.query.get('project_id');
      if (!pid) return fail(400, 'project_id is required when authenticating with a service account');
      if (pid !== projectId) return fail(403, 'User is not a member of this project');
      if (r.path === '/api/query/insights') {
        if (!r.query.get('bookmark_id')) return fail(400, 'bookmark_id is required');
        const counts: Record<string, number> = {};
        for (const e of events) counts[e.event] = (counts[e.event] ?? 0) + 1;
        return { status: 200, body: { computed_at: new Date().toISOString(), date_range: { from_date: '2026-05-01T00:00:00Z', to_date: '2026-05-20T00:00:00Z' }, headers: ['$event'], series: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, { all: v }])) } };
      }
    }
    return fail(404, 'Not found');
  };

  const mock = await startMockServer((r) => (r.path === '/import' ? ingest(r) : query(r)));
  return { ...mock, username, secret, projectId, events, revoke: () => void (live = false), throttle: (on, api = 'import') => void (api === 'import' ? (throttled = on) : (queryThrottled = on)) };
}
