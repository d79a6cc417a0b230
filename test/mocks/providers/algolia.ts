// Algolia Search REST API mock, after https://www.algolia.com/doc/rest-api/search/ :
// - auth: the two headers X-Algolia-Application-Id (the application id) and X-Algolia-API-Key
//   (a key of that application); every endpoint names the ACL it needs (search, addObject,
//   listIndexes; GET /1/keys/{key}: any key may read itself, only the admin key others);
// - errors: JSON `{"message": "...", "status": <code>}` — 403 "Invalid Application-ID or API
//   key", 403 "Method not allowed with this API key" (ACL), 404 for an unknown key, 429 "Too
//   many requests" for a key over its maxQueriesPerIPPerHour;
// - rate limits: X-RateLimit-Limit / -Remaining / -Reset (Unix seconds) only on keys that set
//   maxQueriesPerIPPerHour (`limitKey` here);
// - hosts: writes to {APP_ID}.algolia.net (`url`), reads also to {APP_ID}-dsn.algolia.net — a
//   second server (`dsn`) so a test can tell which host a request reached.
// Answers: multi-index search `{results: [{hits, nbHits, page, nbPages, hitsPerPage, ...}]}`,
// add record `{createdAt, taskID, objectID}` (201), key `{value, acl, description, validity,
// createdAt, ...}`, list indices `{items, nbPages}`.
import { startMockServer, bodyJson, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import { header, same } from './analytics-search-shared.ts';

export interface AlgoliaKey { acl: string[]; description: string; maxQueriesPerIPPerHour?: number }

export interface AlgoliaMockOptions {
  appId?: string;
  adminKey?: string;
  searchKey?: string;
}

export interface AlgoliaMock extends ProviderMock {
  appId: string;
  adminKey: string;
  searchKey: string;
  /** The DSN read host's server ({APP_ID}-dsn.algolia.net). */
  dsn: ProviderMock;
  /** Records by index, as added through the mock. */
  records: Map<string, Record<string, unknown>[]>;
  /** Deletes a key: it is then refused like an unknown one. */
  revoke(key: string): void;
  /** Sets (or with undefined removes) the key's maxQueriesPerIPPerHour and how many it used this hour. */
  limitKey(key: string, maxQueriesPerIPPerHour: number | undefined, used?: number): void;
}

const err = (status: number, message: string, headers?: Record<string, string>): MockAnswer => ({ status, headers, body: { message, status } });

export async function startAlgoliaMock(o: AlgoliaMockOptions = {}): Promise<AlgoliaMock> {
  const appId = o.appId ?? 'LATENCY123';
  const adminKey = o.adminKey ?? 'adm1n0123456789abcdef0123456789ab';
  const searchKey = o.searchKey ?? 'search0123456789abcdef0123456789';
  const keys = new Map<string, AlgoliaKey & { createdAt: number; used: number }>([
    [adminKey, { acl: ['search', 'browse', 'addObject', 'deleteObject', 'listIndexes', 'deleteIndex', 'settings', 'editSettings', 'admin'], description: 'Admin API key', createdAt: 1716192000, used: 0 }],
    [searchKey, { acl: ['search'], description: 'Search-only API key', createdAt: 1716192000, used: 0 }],
  ]);
  const records = new Map<string, Record<string, unknown>[]>();
  let tasks = 1000;

  const handle = (r: ReceivedRequest, host: 'write' | 'dsn'): MockAnswer => {
    // Both headers, exactly: the application id and a live key of it.
    const key = header(r, 'x-algolia-api-key');
    const k = key === undefined ? undefined : keys.get(key);
    if (!same(header(r, 'x-algolia-application-id'), appId) || !k) return err(403, 'Invalid Application-ID or API key');
    const limits: Record<string, string> = {};
    if (k.maxQueriesPerIPPerHour) {
      k.used++;
      const reset = String(Math.ceil(Date.now() / 3_600_000) * 3600);
      Object.assign(limits, { 'X-RateLimit-Limit': String(k.maxQueriesPerIPPerHour), 'X-RateLimit-Remaining': String(Math.max(0, k.maxQueriesPerIPPerHour - k.used)), 'X-RateLimit-Reset': reset });
      if (k.used > k.maxQueriesPerIPPerHour) return err(429, 'Too many requests', limits);
    }
    const need = (acl: string): MockAnswer | undefined => (k.acl.includes(acl) ? undefined : err(403, 'Method not allowed with this API key', limits));
    const ok = (body: unknown, status = 200): MockAnswer => ({ status, headers: limits, body });

    const keyPath = /^\/1\/keys\/([^/]+)$/.exec(r.path);
    if (r.method === 'GET' && keyPath) {
      const asked = decodeURIComponent(keyPath[1]);
      if (asked !== key && !k.acl.includes('admin')) return err(403, 'Method not allowed with this API key', limits);
      const found = keys.get(asked);
      if (!found) return err(404, 'Key does not exist', limits);
      return ok({ value: asked, acl: found.acl, description: k.acl.includes('admin') ? found.description : '<redacted>', indexes: [], validity: 0, maxHitsPerQuery: 0, maxQueriesPerIPPerHour: found.maxQueriesPerIPPerHour ?? 0, createdAt: found.createdAt });
    }
    if (r.method === 'POST' && r.path === '/1/indexes/*/queries') {
      const denied = need('search');
      if (denied) return denied;
      const body = bodyJson(r) as { requests?: { indexName?: string; query?: string; params?: string }[] } | undefined;
      if (!body || !Array.isArray(body.requests)) return err(400, 'Missing requests in the request body', limits);
      const results = body.requests.map((q) => {
        const query = q.query ?? new URLSearchParams(q.params ?? '').get('query') ?? '';
        const hits = (records.get(q.indexName ?? '') ?? []).filter((rec) => JSON.stringify(rec).toLowerCase().includes(query.toLowerCase()));
        return { index: q.indexName, hits, nbHits: hits.length, page: 0, nbPages: hits.length ? 1 : 0, hitsPerPage: 20, exhaustiveNbHits: true, query, params: q.params ?? `query=${encodeURIComponent(query)}`, processingTimeMS: 1 };
      });
      return ok({ results });
    }
    const indexPath = /^\/1\/indexes\/([^/*]+)$/.exec(r.path);
    if (r.method === 'POST' && indexPath) {
      if (host === 'dsn') return err(403, 'Write operations are not allowed on the DSN host', limits);
      const denied = need('addObject');
      if (denied) return denied;
      const rec = bodyJson(r);
      if (!rec || typeof rec !== 'object' || Array.isArray(rec)) return err(400, 'Invalid JSON', limits);
      const name = decodeURIComponent(indexPath[1]);
      const objectID = String((rec as { objectID?: unknown }).objectID ?? `obj-${tasks}`);
      records.set(name, [...(records.get(name) ?? []), { ...(rec as object), objectID }]);
      return ok({ createdAt: new Date().toISOString(), taskID: ++tasks, objectID }, 201);
    }
    if (r.method === 'GET' && r.path === '/1/indexes') {
      const denied = need('listIndexes');
      if (denied) return denied;
      return ok({ items: [...records.entries()].map(([name, recs]) => ({ name, entries: recs.length, dataSize: JSON.stringify(recs).length, updatedAt: new Date().toISOString() })), nbPages: 1 });
    }
    return err(404, 'Path not found', limits);
  };

  const main = await startMockServer((r) => handle(r, 'write'));
  const dsn = await startMockServer((r) => handle(r, 'dsn'));
  return {
    ...main,
    appId,
    adminKey,
    searchKey,
    dsn,
    records,
    revoke: (k) => void keys.delete(k),
    limitKey: (key, max, used = 0) => {
      const k = keys.get(key);
      if (k) Object.assign(k, { maxQueriesPerIPPerHour: max, used });
    },
    close: async () => {
      await Promise.all([main.close(), dsn.close()]);
    },
  };
}
