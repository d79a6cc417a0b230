// providers/elasticsearch.yaml against an Elasticsearch mock (test/mocks/providers/elasticsearch.ts)
// at an Elastic Cloud deployment URL (connection instanceUrl): ApiKey and Basic auth, the search
// service and the pass-through door, and the _authenticate health check. Elasticsearch reports
// no usage in tokens/seconds/units, so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { encodedApiKey, startElasticsearchMock, type ElasticsearchMock } from '../../mocks/providers/elasticsearch.ts';

const CLOUD = 'https://my-deployment.es.us-east-1.aws.found.io:9243';
const CONNECTION = { instanceUrl: CLOUD };
const KEY = { id: 'VuaCfGcBCdbkQm_e5aOx', key: 'ui2lp2axTNmsyakw9tvNnw' };
const HUB_KEY = { id: 'TiNAGG4BaaMdaH1tRfuU', key: 'KnR6yE41RrSowb0kQ0HWoA' };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('elasticsearch template', () => {
  let mock: ElasticsearchMock;
  let hub: TemplateHub;
  const origins = () => ({ [CLOUD]: mock.url });

  beforeAll(async () => {
    mock = await startElasticsearchMock({ apiKeys: { [KEY.id]: KEY.key, [HUB_KEY.id]: HUB_KEY.key }, users: { elastic: 'pa55-w0rd-elastic' } });
    hub = await startTemplateHub({ template: 'elasticsearch', connection: CONNECTION, origins: origins(), secret: { apiKey: encodedApiKey(HUB_KEY.id, HUB_KEY.key) }, bindings: { search: { protocol: 'http', service: 'search' }, es: { protocol: 'http', service: 'api' } } });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: ApiKey <base64(id:api_key)>; a wrong key is refused with a 401 security_exception', async () => {
    const encoded = encodedApiKey(KEY.id, KEY.key);
    const req = await renderForTemplate({ template: 'elasticsearch', connection: CONNECTION, origins: origins(), secret: { apiKey: encoded }, path: '_security/_authenticate' });
    expect(req.url.href).toBe(`${mock.url}/_security/_authenticate`);
    expect(req.headers.Authorization).toBe(`ApiKey ${encoded}`);
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(await ok.json()).toMatchObject({ authentication_type: 'api_key', api_key: { id: KEY.id } });

    const wrong = await sendRendered(await renderForTemplate({ template: 'elasticsearch', connection: CONNECTION, origins: origins(), secret: { apiKey: encodedApiKey(KEY.id, 'not-the-api-key-000') }, path: '_security/_authenticate' }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('ApiKey');
    expect(await wrong.json()).toMatchObject({ status: 401, error: { type: 'security_exception', root_cause: [{ type: 'security_exception' }] } });
  });

  it('auth contract: option basic sends HTTP Basic user:password; a wrong password is refused', async () => {
    const req = await renderForTemplate({ template: 'elasticsearch', authOption: 'basic', connection: CONNECTION, origins: origins(), secret: { username: 'elastic', password: 'pa55-w0rd-elastic' }, path: '_security/_authenticate' });
    expect(req.headers.Authorization).toBe(`Basic ${Buffer.from('elastic:pa55-w0rd-elastic').toString('base64')}`);
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ username: 'elastic', authentication_type: 'realm' });

    const wrong = await sendRendered(await renderForTemplate({ template: 'elasticsearch', authOption: 'basic', connection: CONNECTION, origins: origins(), secret: { username: 'elastic', password: 'guess' }, path: '_security/_authenticate' }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { type: 'security_exception' } });
  });

  it('via proxy: POST /bind/search (the cross-index _search) and /bind/es/products/_search with the hub\'s API key', async () => {
    const query = JSON.stringify({ query: { match: { name: 'running shoe' } }, size: 5 });
    const all = await hub.door('/bind/search', { method: 'POST', headers: JSON_TYPE, body: query });
    expect(all.status).toBe(200);
    const body = (await all.json()) as { hits: { total: { value: number }; hits: { _id: string }[] } };
    expect(body.hits.total.value).toBe(2);
    expect(body.hits.hits.map((h) => h._id).sort()).toEqual(['1', '2']);
    const seen = mock.received.findLast((r) => r.path === '/_search')!;
    expect(seen.method).toBe('POST');
    expect(seen.headers.authorization).toBe(`ApiKey ${encodedApiKey(HUB_KEY.id, HUB_KEY.key)}`);
    expect(seen.body.toString()).toBe(query);

    const one = await hub.door('/bind/es/products/_search', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ query: { match: { brand: 'Fjell' } } }) });
    expect(one.status).toBe(200);
    expect(((await one.json()) as { hits: { total: { value: number } } }).hits.total.value).toBe(2);
    expect(mock.received.findLast((r) => r.path === '/products/_search')!.headers.authorization).toBe(`ApiKey ${encodedApiKey(HUB_KEY.id, HUB_KEY.key)}`);

    const health = await hub.door('/bind/es/_cluster/health');
    expect(await health.json()).toMatchObject({ status: 'green', timed_out: false });
  });

  it('via proxy: Elasticsearch\'s error objects (index_not_found_exception, 429 es_rejected_execution_exception) reach the caller', async () => {
    const missing = await hub.door('/bind/es/no-such-index/_search', { method: 'POST', headers: JSON_TYPE, body: '{}' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, error: { type: 'index_not_found_exception', index: 'no-such-index' } });

    mock.rejectNext(1, '/products/_search');
    const rejected = await hub.door('/bind/es/products/_search', { method: 'POST', headers: JSON_TYPE, body: '{}' });
    expect(rejected.status).toBe(429);
    expect(await rejected.json()).toMatchObject({ status: 429, error: { type: 'es_rejected_execution_exception' } });
  });

  it('health check: GET /_security/_authenticate with the API key is ok; an invalidated key makes it fail', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(mock.received.findLast((r) => r.path === '/_security/_authenticate')!.headers.authorization).toBe(`ApiKey ${encodedApiKey(HUB_KEY.id, HUB_KEY.key)}`);

    mock.invalidate(HUB_KEY.id);
    expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 401 });
  });
});
