// Elasticsearch cluster mock (Elastic Cloud / self-hosted, 8.x REST API).
// Sources: elastic.co/docs/api/doc/elasticsearch-serverless/authentication and the
// security-api-create-api-key docs (`Authorization: ApiKey <encoded>`, encoded = base64(id:api_key);
// HTTP Basic user:password), the 401 security_exception answer with
// `WWW-Authenticate: Basic realm="security", charset="UTF-8"`, `ApiKey` (elasticsearch
// x-pack security: "unable to authenticate with provided credentials and anonymous access is not
// allowed for this request" / "missing authentication credentials for REST request [...]"),
// GET /_security/_authenticate (authentication_type "api_key" with api_key {id, name}, or
// "realm"), the search API answer (took, timed_out, _shards, hits.total {value, relation}),
// `X-elastic-product: Elasticsearch` on every answer (the official clients refuse answers without
// it), error bodies `{"error": {"root_cause", "type", "reason"}, "status"}`, and 429
// es_rejected_execution_exception when a thread pool queue is full. No rate-limit headers.
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { authValue, basicCredentials } from './h4-http.ts';

export interface ElasticsearchMock extends ProviderMock {
  /** API key id → { key, name } */
  apiKeys: Map<string, { key: string; name: string }>;
  /** user → password */
  users: Map<string, string>;
  /** index → documents by id */
  indices: Map<string, Map<string, Record<string, unknown>>>;
  /** POST /_security/api_key/_invalidate, done by the cluster's admin. */
  invalidate(id: string): void;
  /** The next `n` requests (to `path` when given) get 429 es_rejected_execution_exception. */
  rejectNext(n?: number, path?: string): void;
}

/** The `encoded` value Elasticsearch returns for an API key. */
export const encodedApiKey = (id: string, key: string): string => Buffer.from(`${id}:${key}`).toString('base64');

const CHALLENGE = ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', 'ApiKey'];

function esError(status: number, type: string, reason: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): MockAnswer {
  const cause = { type, reason, ...extra };
  return { status, headers, body: { error: { root_cause: [cause], ...cause }, status } };
}

export async function startElasticsearchMock(opts: { apiKeys?: Record<string, string>; users?: Record<string, string> } = {}): Promise<ElasticsearchMock> {
  const apiKeys = new Map(Object.entries(opts.apiKeys ?? { VuaCfGcBCdbkQm_e5aOx: 'ui2lp2axTNmsyakw9tvNnw' }).map(([id, key]) => [id, { key, name: `key-${id.slice(0, 4)}` }]));
  const users = new Map(Object.entries(opts.users ?? { elastic: 'changeme-0123' }));
  const invalidated = new Set<string>();
  const indices = new Map([['products', new Map<string, Record<string, unknown>>([
    ['1', { name: 'Trail running shoe', brand: 'Fjell', price: 129 }],
    ['2', { name: 'Road running shoe', brand: 'Asphalt', price: 99 }],
    ['3', { name: 'Rain jacket', brand: 'Fjell', price: 180 }],
  ])]]);
  let rejecting = { n: 0, path: undefined as string | undefined };

  const unauthenticated = (r: ReceivedRequest, why?: string) =>
    esError(401, 'security_exception', why ?? 'unable to authenticate with provided credentials and anonymous access is not allowed for this request', { header: { 'WWW-Authenticate': CHALLENGE } }, { 'WWW-Authenticate': CHALLENGE.join(', ') });

  type Who = { user: string; type: 'api_key' | 'realm'; apiKey?: { id: string; name: string } };
  function authenticate(r: ReceivedRequest): Who | MockAnswer {
    const encoded = authValue(r, 'ApiKey');
    if (encoded !== null) {
      const text = Buffer.from(encoded, 'base64').toString('utf8');
      const [id, key] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
      const known = apiKeys.get(id);
      if (text.indexOf(':') < 0 || !known || known.key !== key || invalidated.has(id)) return unauthenticated(r);
      return { user: 'elastic', type: 'api_key', apiKey: { id, name: known.name } };
    }
    const basic = basicCredentials(r);
    if (basic) return users.get(basic.user) === basic.password ? { user: basic.user, type: 'realm' } : unauthenticated(r);
    return unauthenticated(r, `missing authentication credentials for REST request [${r.url}]`);
  }

  function search(r: ReceivedRequest, index: string | null): MockAnswer {
    const names = index === null || index === '_all' || index === '*' ? [...indices.keys()] : index.split(',');
    for (const n of names) if (!indices.has(n)) return esError(404, 'index_not_found_exception', `no such index [${n}]`, { 'resource.type': 'index_or_alias', 'resource.id': n, index_uuid: '_na_', index: n });
    const q = (bodyJson(r) ?? {}) as { query?: { match?: Record<string, unknown> }; size?: number };
    const [field, value] = Object.entries(q.query?.match ?? {})[0] ?? [];
    const words = String((value as { query?: unknown })?.query ?? value ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const hits = names.flatMap((n) => [...indices.get(n)!].map(([id, source]) => {
      const text = String(field ? source[field] ?? '' : '').toLowerCase();
      const score = field ? words.filter((w) => text.split(/\W+/).includes(w)).length : 1;
      return { _index: n, _id: id, _score: score, _source: source };
    })).filter((h) => h._score > 0).sort((a, b) => b._score - a._score);
    return { status: 200, body: { took: 3, timed_out: false, _shards: { total: names.length, successful: names.length, skipped: 0, failed: 0 }, hits: { total: { value: hits.length, relation: 'eq' }, max_score: hits[0]?._score ?? null, hits: hits.slice(0, q.size ?? 10) } } };
  }

  function route(r: ReceivedRequest, who: Who): MockAnswer {
    const m = /^\/(?:([^/_][^/]*)\/)?_search$/.exec(r.path);
    if (m && (r.method === 'POST' || r.method === 'GET')) return search(r, m[1] ?? null);
    if (r.method === 'GET' && r.path === '/_security/_authenticate') {
      const realm = who.type === 'api_key' ? { name: '_es_api_key', type: '_es_api_key' } : { name: 'reserved', type: 'reserved' };
      return { status: 200, body: { username: who.user, roles: who.type === 'api_key' ? [] : ['superuser'], full_name: null, email: null, metadata: {}, enabled: true, authentication_realm: realm, lookup_realm: realm, authentication_type: who.type, ...(who.apiKey ? { api_key: who.apiKey } : {}) } };
    }
    if (r.method === 'GET' && r.path === '/_cluster/health')
      return { status: 200, body: { cluster_name: 'mock-cluster', status: 'green', timed_out: false, number_of_nodes: 3, number_of_data_nodes: 3, active_primary_shards: indices.size, active_shards: indices.size * 2, relocating_shards: 0, initializing_shards: 0, unassigned_shards: 0, number_of_pending_tasks: 0, active_shards_percent_as_number: 100 } };
    if (r.method === 'GET' && r.path === '/')
      return { status: 200, body: { name: 'instance-0000000001', cluster_name: 'mock-cluster', cluster_uuid: 'Jj3mQyhxRTSXk5gAVz6EbQ', version: { number: '8.15.0', build_flavor: 'default', lucene_version: '9.11.1' }, tagline: 'You Know, for Search' } };
    return esError(400, 'illegal_argument_exception', `request [${r.path}] contains unrecognized parameter or path`);
  }

  const mock = await startMockServer((r) => {
    const answer = ((): MockAnswer => {
      const who = authenticate(r);
      if ('status' in who) return who;
      if (rejecting.n > 0 && (rejecting.path === undefined || rejecting.path === r.path)) {
        rejecting.n--;
        return esError(429, 'es_rejected_execution_exception', 'rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1024, max_coordinating_and_primary_bytes=1024]');
      }
      return route(r, who);
    })();
    return { ...answer, headers: { 'X-elastic-product': 'Elasticsearch', ...answer.headers } };
  });

  return {
    ...mock,
    apiKeys,
    users,
    indices,
    invalidate: (id) => void invalidated.add(id),
    rejectNext: (n = 1, path) => void (rejecting = { n, path }),
  };
}
