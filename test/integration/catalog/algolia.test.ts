// providers/algolia.yaml against an Algolia mock (test/mocks/providers/algolia.ts) with two hosts:
// {APP_ID}.algolia.net (writes, the health check) and {APP_ID}-dsn.algolia.net (the search
// service's reads), each rendered from connection.applicationId and mapped with `origins:`.
// Algolia reports no usage in tokens/seconds/units, so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startAlgoliaMock, type AlgoliaMock } from '../../mocks/providers/algolia.ts';

const APP = { applicationId: 'LATENCY123' };
const JSON_TYPE = { 'content-type': 'application/json' };
const SEARCH = JSON.stringify({ requests: [{ indexName: 'products', query: 'lamp' }] });

describe('algolia template', () => {
  let mock: AlgoliaMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://LATENCY123.algolia.net': mock.url, 'https://LATENCY123-dsn.algolia.net': mock.dsn.url });
  const last = (m: { received: AlgoliaMock['received'] }, path: string) => m.received.filter((r) => r.path === path).at(-1)!;

  beforeAll(async () => {
    mock = await startAlgoliaMock({ appId: APP.applicationId });
    hub = await startTemplateHub({
      template: 'algolia', connection: APP, origins: origins(), secret: { apiKey: mock.adminKey },
      bindings: { search: { protocol: 'http', service: 'search' }, indexing: { protocol: 'http', service: 'indexing' }, algolia: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: X-Algolia-Application-Id + X-Algolia-API-Key on the -dsn read host; a wrong key or application id is refused 403 {message, status}', async () => {
    const req = await renderForTemplate({ template: 'algolia', service: 'search', connection: APP, origins: origins(), secret: { apiKey: mock.searchKey }, method: 'POST', headers: JSON_TYPE, body: SEARCH });
    expect(req.url.href).toBe(`${mock.dsn.url}/1/indexes/*/queries`);
    expect(req.headers).toEqual({ 'content-type': 'application/json', 'X-Algolia-Application-Id': 'LATENCY123', 'X-Algolia-API-Key': mock.searchKey });
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ results: [{ index: 'products', query: 'lamp', nbHits: 0, hits: [] }] });
    expect(last(mock.dsn, '/1/indexes/*/queries').headers['x-algolia-api-key']).toBe(mock.searchKey);

    const wrongKey = await sendRendered(await renderForTemplate({ template: 'algolia', service: 'search', connection: APP, origins: origins(), secret: { apiKey: 'ffffffffffffffffffffffffffffffff' }, method: 'POST', headers: JSON_TYPE, body: SEARCH }));
    expect(wrongKey.status).toBe(403);
    expect(await wrongKey.json()).toEqual({ message: 'Invalid Application-ID or API key', status: 403 });
    const otherApp = { 'https://OTHERAPP99-dsn.algolia.net': mock.dsn.url };
    const wrongApp = await sendRendered(await renderForTemplate({ template: 'algolia', service: 'search', connection: { applicationId: 'OTHERAPP99' }, origins: otherApp, secret: { apiKey: mock.searchKey }, method: 'POST', headers: JSON_TYPE, body: SEARCH }));
    expect(wrongApp.status).toBe(403);
    expect(await wrongApp.json()).toEqual({ message: 'Invalid Application-ID or API key', status: 403 });
  });

  it('auth contract: the indexing service writes on {APP_ID}.algolia.net; a search-only key lacks the addObject ACL (403 Method not allowed)', async () => {
    const render = (apiKey: string) => renderForTemplate({ template: 'algolia', service: 'indexing', connection: APP, origins: origins(), secret: { apiKey }, method: 'POST', path: 'contract', headers: JSON_TYPE, body: '{"name":"probe"}' });
    const denied = await render(mock.searchKey);
    expect(denied.url.href).toBe(`${mock.url}/1/indexes/contract`);
    const res = await sendRendered(denied);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Method not allowed with this API key', status: 403 });
    expect((await sendRendered(await render(mock.adminKey))).status).toBe(201);
  });

  it('via proxy: POST /bind/indexing/products adds a record on the write host, POST /bind/search finds it on the DSN host, GET /bind/algolia/1/indexes lists the index', async () => {
    const added = await hub.door('/bind/indexing/products', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ objectID: 'lamp-1', name: 'Desk lamp' }) });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ objectID: 'lamp-1', taskID: expect.any(Number) });
    const write = last(mock, '/1/indexes/products');
    expect(write.headers['x-algolia-application-id']).toBe('LATENCY123');
    expect(write.headers['x-algolia-api-key']).toBe(mock.adminKey);
    expect(write.headers.authorization).toBeUndefined();

    const found = await hub.door('/bind/search', { method: 'POST', headers: JSON_TYPE, body: SEARCH });
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ results: [{ index: 'products', nbHits: 1, hits: [{ objectID: 'lamp-1', name: 'Desk lamp' }] }] });
    const read = last(mock.dsn, '/1/indexes/*/queries');
    expect(read.headers['x-algolia-api-key']).toBe(mock.adminKey);
    expect(JSON.parse(read.body.toString())).toEqual(JSON.parse(SEARCH));

    const listed = await hub.door('/bind/algolia/1/indexes');
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ name: 'products', entries: 1 })]), nbPages: 1 });
  });

  it('via proxy: a key with maxQueriesPerIPPerHour gets X-RateLimit-Limit/-Remaining/-Reset through the door; past the limit Algolia answers 429 {message, status}', async () => {
    mock.limitKey(mock.adminKey, 1000);
    try {
      const res = await hub.door('/bind/algolia/1/indexes');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(1000);
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThan(Date.now() / 1000);
      expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 3600);
    } finally {
      mock.limitKey(mock.adminKey, undefined);
    }
    expect((await hub.door('/bind/algolia/1/indexes')).headers.get('x-ratelimit-limit')).toBeNull();

    // Exhausted on the search key (not the hub's, whose health probes keep running).
    mock.limitKey(mock.searchKey, 2, 2);
    const limited = await sendRendered(await renderForTemplate({ template: 'algolia', service: 'search', connection: APP, origins: origins(), secret: { apiKey: mock.searchKey }, method: 'POST', headers: JSON_TYPE, body: SEARCH }));
    mock.limitKey(mock.searchKey, undefined);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toEqual({ message: 'Too many requests', status: 429 });
  });

  it('health check: GET /1/keys/{apiKey} on the write host reads the key\'s own ACL; a deleted key fails it, and the probe error does not repeat the key', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = last(mock, `/1/keys/${mock.adminKey}`);
    expect(probe.method).toBe('GET');
    expect(probe.headers['x-algolia-api-key']).toBe(mock.adminKey);

    mock.revoke(mock.adminKey);
    const failed = await hub.healthProbe();
    expect(failed).toMatchObject({ ok: false, status: 403 });
    expect(failed.error ?? '').not.toContain(mock.adminKey);
  });
});
