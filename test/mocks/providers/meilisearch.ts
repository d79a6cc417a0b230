// Meilisearch instance mock (self-hosted or Meilisearch Cloud, v1.x API).
// Sources: meilisearch.com/docs/reference/api/authorization (`Authorization: Bearer <key>` on
// every route but /health), meilisearch.com/docs/reference/errors (`{"message", "code", "type",
// "link"}`; 401 missing_authorization_header, 403 invalid_api_key "The provided API key is
// invalid." — also for a key whose actions or indexes do not cover the route, as
// meilisearch's GuardedData<ActionPolicy<...>> extractors answer), the key actions
// (GET /version needs `version`, POST /multi-search and /indexes/{uid}/search need `search`;
// the Default Search API Key holds only `search`, the Default Admin API Key `*`), the multi-search
// and search answers (hits, query, processingTimeMs, limit, offset, estimatedTotalHits),
// GET /version {commitSha, commitDate, pkgVersion}, GET /health {status: "available"}, 415
// missing/invalid_content_type on JSON routes, 503 too_many_search_requests when the search queue
// is full. No rate-limit headers.
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { authValue } from './h4-http.ts';

export interface MeiliKey { actions: string[]; indexes: string[] }

export interface MeilisearchMock extends ProviderMock {
  /** API key → its actions and indexes (`*` for all). */
  keys: Map<string, MeiliKey>;
  /** DELETE /keys/{key}: the key is refused from now on. */
  deleteKey(key: string): void;
  /** The next `n` search requests get 503 too_many_search_requests. */
  overloadNext(n?: number): void;
}

type Doc = Record<string, unknown> & { id: number };

const meiliError = (status: number, code: string, type: string, message: string): MockAnswer => ({ status, body: { message, code, type, link: `https://docs.meilisearch.com/errors#${code}` } });
const INVALID_KEY = () => meiliError(403, 'invalid_api_key', 'auth', 'The provided API key is invalid.');

export async function startMeilisearchMock(opts: { keys?: Record<string, MeiliKey> } = {}): Promise<MeilisearchMock> {
  const keys = new Map(Object.entries(opts.keys ?? { 'd0552b41536279a0ad88bd595327b96f01176a60c2243e906c52ac02375f9bc4': { actions: ['*'], indexes: ['*'] } }));
  const indexes = new Map<string, Doc[]>([['movies', [
    { id: 1, title: 'Carol', genres: ['Romance', 'Drama'] },
    { id: 2, title: 'Wonder Woman', genres: ['Action', 'Adventure'] },
    { id: 3, title: 'Life of Pi', genres: ['Adventure', 'Drama'] },
  ]]]);
  let overloaded = 0;

  /** The key when it may run `action` (on `index`), or the refusal. */
  function authorize(r: ReceivedRequest, action: string): MeiliKey | MockAnswer {
    if (r.headers.authorization === undefined) return meiliError(401, 'missing_authorization_header', 'auth', 'The Authorization header is missing. It must use the bearer authorization method.');
    const key = keys.get(authValue(r, 'Bearer') ?? '');
    if (!key || !(key.actions.includes('*') || key.actions.includes(action))) return INVALID_KEY();
    return key;
  }
  const indexAllowed = (key: MeiliKey, uid: string) => key.indexes.includes('*') || key.indexes.includes(uid);

  function jsonBody(r: ReceivedRequest): { value: Record<string, unknown> } | MockAnswer {
    const type = r.headers['content-type'];
    if (type === undefined) return meiliError(415, 'missing_content_type', 'invalid_request', 'A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`');
    if (!/^application\/json\b/i.test(String(type))) return meiliError(415, 'invalid_content_type', 'invalid_request', `The Content-Type \`${type}\` is invalid. Accepted values for the Content-Type header are: \`application/json\``);
    const value = bodyJson(r);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return meiliError(400, 'bad_request', 'invalid_request', 'The json payload provided is malformed.');
    return { value: value as Record<string, unknown> };
  }

  function searchOne(uid: string, q: { q?: unknown; limit?: unknown; offset?: unknown }) {
    const words = String(q.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const limit = Number(q.limit ?? 20);
    const offset = Number(q.offset ?? 0);
    const hits = indexes.get(uid)!.filter((d) => words.every((w) => JSON.stringify(d).toLowerCase().includes(w)));
    return { hits: hits.slice(offset, offset + limit), query: String(q.q ?? ''), processingTimeMs: 1, limit, offset, estimatedTotalHits: hits.length };
  }

  function search(r: ReceivedRequest, key: MeiliKey, uid: string | null): MockAnswer {
    if (overloaded > 0) {
      overloaded--;
      return meiliError(503, 'too_many_search_requests', 'system', 'Too many search requests running at the same time: 10. Retry after 10s.');
    }
    const body = jsonBody(r);
    if (!('value' in body)) return body;
    const queries = uid === null ? body.value.queries : [{ ...body.value, indexUid: uid }];
    if (!Array.isArray(queries)) return meiliError(400, 'missing_queries', 'invalid_request', 'Missing field `queries`');
    const results = [];
    for (const [i, q] of (queries as Record<string, unknown>[]).entries()) {
      const where = uid === null ? `Inside \`.queries[${i}]\`: ` : '';
      const index = String(q.indexUid ?? '');
      if (!indexAllowed(key, index)) return { ...INVALID_KEY(), body: { ...(INVALID_KEY().body as object), message: `${where}The provided API key is invalid.` } };
      if (!indexes.has(index)) return meiliError(404, 'index_not_found', 'invalid_request', `${where}Index \`${index}\` not found.`);
      results.push({ indexUid: index, ...searchOne(index, q) });
    }
    return { status: 200, body: uid === null ? { results } : (({ indexUid: _, ...rest }) => rest)(results[0]) };
  }

  const mock = await startMockServer((r) => {
    if (r.method === 'GET' && r.path === '/health') return { status: 200, body: { status: 'available' } };
    const route = r.method === 'GET' && r.path === '/version' ? 'version'
      : r.method === 'POST' && r.path === '/multi-search' ? 'multi'
      : r.method === 'POST' && /^\/indexes\/[^/]+\/search$/.test(r.path) ? 'search' : null;
    if (route === null) return meiliError(404, 'not_found', 'invalid_request', 'Not Found');
    const key = authorize(r, route === 'version' ? 'version' : 'search');
    if ('status' in key) return key;
    if (route === 'version') return { status: 200, body: { commitSha: 'b46889b5f0f2f8b91438a08a358ba8f05fc09fc1', commitDate: '2025-09-01T09:12:38Z', pkgVersion: '1.20.0' } };
    return search(r, key, route === 'multi' ? null : r.path.split('/')[2]);
  });

  return {
    ...mock,
    keys,
    deleteKey: (key) => void keys.delete(key),
    overloadNext: (n = 1) => void (overloaded = n),
  };
}
