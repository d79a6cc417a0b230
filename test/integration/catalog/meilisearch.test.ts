// providers/meilisearch.yaml against a Meilisearch mock (test/mocks/providers/meilisearch.ts) at a
// Meilisearch Cloud URL (connection instanceUrl): Bearer API keys with their actions, the
// multi-search service and the pass-through door, and the /version health check. Meilisearch
// reports no usage in tokens/seconds/units, so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startMeilisearchMock, type MeilisearchMock } from '../../mocks/providers/meilisearch.ts';

const CLOUD = 'https://ms-0123456789ab-1234.fra.meilisearch.io';
const CONNECTION = { instanceUrl: CLOUD };
const ADMIN = '1f2e3d4c5b6a79880f1e2d3c4b5a69788f7e6d5c4b3a29181f0e9d8c7b6a5948';
const SEARCH_ONLY = 'a7b6c5d4e3f20918a7b6c5d4e3f20918a7b6c5d4e3f20918a7b6c5d4e3f20918';
const HUB_KEY = '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d';
const JSON_TYPE = { 'content-type': 'application/json' };

describe('meilisearch template', () => {
  let mock: MeilisearchMock;
  let hub: TemplateHub;
  const origins = () => ({ [CLOUD]: mock.url });

  beforeAll(async () => {
    mock = await startMeilisearchMock({ keys: { [ADMIN]: { actions: ['*'], indexes: ['*'] }, [SEARCH_ONLY]: { actions: ['search'], indexes: ['*'] }, [HUB_KEY]: { actions: ['search', 'version'], indexes: ['movies'] } } });
    hub = await startTemplateHub({ template: 'meilisearch', connection: CONNECTION, origins: origins(), secret: { apiKey: HUB_KEY }, bindings: { search: { protocol: 'http', service: 'search' }, meili: { protocol: 'http', service: 'api' } } });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <API key>; a wrong key is refused with 403 invalid_api_key in Meilisearch\'s {message, code, type, link}', async () => {
    const req = await renderForTemplate({ template: 'meilisearch', service: 'search', connection: CONNECTION, origins: origins(), secret: { apiKey: ADMIN }, method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ queries: [{ indexUid: 'movies', q: 'drama' }] }) });
    expect(req.url.href).toBe(`${mock.url}/multi-search`);
    expect(req.headers.Authorization).toBe(`Bearer ${ADMIN}`);
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ results: [{ indexUid: 'movies', query: 'drama', estimatedTotalHits: 2 }] });

    const wrong = await sendRendered(await renderForTemplate({ template: 'meilisearch', healthCheck: true, connection: CONNECTION, origins: origins(), secret: { apiKey: 'not-a-key-of-this-instance' } }));
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ message: 'The provided API key is invalid.', code: 'invalid_api_key', type: 'auth', link: 'https://docs.meilisearch.com/errors#invalid_api_key' });
  });

  it('auth contract: a search-only key (Default Search API Key) searches, but the health check path GET /version refuses it', async () => {
    const searchReq = await renderForTemplate({ template: 'meilisearch', connection: CONNECTION, origins: origins(), secret: { apiKey: SEARCH_ONLY }, method: 'POST', path: 'indexes/movies/search', headers: JSON_TYPE, body: JSON.stringify({ q: 'wonder' }) });
    const found = await sendRendered(searchReq);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ hits: [{ id: 2, title: 'Wonder Woman' }], estimatedTotalHits: 1 });

    const check = await renderForTemplate({ template: 'meilisearch', healthCheck: true, connection: CONNECTION, origins: origins(), secret: { apiKey: SEARCH_ONLY } });
    expect(check.url.href).toBe(`${mock.url}/version`);
    const refused = await sendRendered(check);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('invalid_api_key');
  });

  it('via proxy: POST /bind/search (multi-search) and /bind/meili/indexes/movies/search with the hub\'s key', async () => {
    const multi = await hub.door('/bind/search', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ queries: [{ indexUid: 'movies', q: 'adventure', limit: 1 }] }) });
    expect(multi.status).toBe(200);
    const body = (await multi.json()) as { results: { hits: unknown[]; estimatedTotalHits: number; limit: number }[] };
    expect(body.results[0]).toMatchObject({ estimatedTotalHits: 2, limit: 1 });
    expect(body.results[0].hits).toHaveLength(1);
    const seen = mock.received.findLast((r) => r.path === '/multi-search')!;
    expect(seen.method).toBe('POST');
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_KEY}`);
    expect(seen.headers['content-type']).toBe('application/json');

    const single = await hub.door('/bind/meili/indexes/movies/search', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ q: 'carol' }) });
    expect(single.status).toBe(200);
    expect(await single.json()).toMatchObject({ hits: [{ id: 1, title: 'Carol' }], query: 'carol' });
  });

  it('via proxy: Meilisearch\'s error objects (index_not_found, a key outside its indexes, 503 too_many_search_requests) reach the caller', async () => {
    mock.keys.get(HUB_KEY)!.indexes.push('books');
    const missing = await hub.door('/bind/search', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ queries: [{ indexUid: 'books', q: 'x' }] }) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Inside `.queries[0]`: Index `books` not found.', code: 'index_not_found', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#index_not_found' });

    const outside = await hub.door('/bind/search', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ queries: [{ indexUid: 'series', q: 'x' }] }) });
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { code: string }).code).toBe('invalid_api_key');

    mock.overloadNext();
    const busy = await hub.door('/bind/search', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ queries: [{ indexUid: 'movies', q: 'pi' }] }) });
    expect(busy.status).toBe(503);
    expect(((await busy.json()) as { code: string; type: string })).toMatchObject({ code: 'too_many_search_requests', type: 'system' });
  });

  it('health check: GET /version with the key is ok; a deleted key makes it fail', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(mock.received.findLast((r) => r.path === '/version')!.headers.authorization).toBe(`Bearer ${HUB_KEY}`);

    mock.deleteKey(HUB_KEY);
    expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 403 });
  });
});
