// providers/mixpanel.yaml against a Mixpanel mock (test/mocks/providers/mixpanel.ts): a service
// account over HTTP Basic with project_id in the query, ingestion on api.mixpanel.com/import and
// the query / app APIs on mixpanel.com/api, both mapped with `origins:`. Mixpanel reports no usage
// in tokens/seconds/units (plans count monthly events in the app), so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startMixpanelMock, type MixpanelMock } from '../../mocks/providers/mixpanel.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const events = (...ids: string[]) => JSON.stringify(ids.map((id) => ({ event: 'Signed Up', properties: { time: 1779264000, distinct_id: 'user-42', $insert_id: id } })));

describe('mixpanel template', () => {
  let mock: MixpanelMock;
  let hub: TemplateHub;
  let secret: { serviceAccountUsername: string; serviceAccountSecret: string };
  let connection: { projectId: string };
  const origins = () => ({ 'https://mixpanel.com': mock.url, 'https://api.mixpanel.com': mock.url });
  const last = (path: string) => mock.received.filter((r) => r.path === path).at(-1)!;

  beforeAll(async () => {
    mock = await startMixpanelMock();
    secret = { serviceAccountUsername: mock.username, serviceAccountSecret: mock.secret };
    connection = { projectId: mock.projectId };
    hub = await startTemplateHub({
      template: 'mixpanel', connection, origins: origins(), secret,
      bindings: { import: { protocol: 'http', service: 'import' }, query: { protocol: 'http', service: 'query' }, mixpanel: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: service account Basic username:secret with ?strict=1&project_id= on POST api.mixpanel.com/import; a wrong secret or a project it is not in is refused 401 {code, error, status}', async () => {
    const render = (s = secret, c = connection) => renderForTemplate({ template: 'mixpanel', service: 'import', connection: c, origins: origins(), secret: s, method: 'POST', headers: JSON_TYPE, body: events('contract-1') });
    const req = await render();
    expect(req.url.href).toBe(`${mock.url}/import?strict=1&project_id=${mock.projectId}`);
    expect(req.headers.Authorization).toBe(basic(mock.username, mock.secret));
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 200, num_records_imported: 1, status: 'OK' });

    const refused = { code: 401, error: 'Invalid credentials', status: 'Unauthorized' };
    const wrong = await sendRendered(await render({ ...secret, serviceAccountSecret: 'not-the-secret' }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(refused);
    const otherProject = await sendRendered(await render(secret, { projectId: '7654321' }));
    expect(otherProject.status).toBe(401);
    expect(await otherProject.json()).toEqual(refused);
    expect(mock.events.map((e) => e.properties.$insert_id)).toEqual(['contract-1']);
  });

  it('auth contract: the query API gets the same Basic header and project_id; a wrong secret is refused 401 {request, error}', async () => {
    const req = await renderForTemplate({ template: 'mixpanel', service: 'query', connection, origins: origins(), secret, path: 'insights', query: { bookmark_id: '42' } });
    expect(req.url.href).toBe(`${mock.url}/api/query/insights?project_id=${mock.projectId}&bookmark_id=42`);
    expect(req.headers.Authorization).toBe(basic(mock.username, mock.secret));
    expect((await sendRendered(req)).status).toBe(200);

    const wrong = await sendRendered(await renderForTemplate({ template: 'mixpanel', service: 'query', connection, origins: origins(), secret: { ...secret, serviceAccountUsername: 'someone-else.1a2b3c.mp-service-account' }, path: 'insights', query: { bookmark_id: '42' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ request: `/api/query/insights?project_id=${mock.projectId}&bookmark_id=42`, error: 'Invalid credentials' });
  });

  it('via proxy: POST /bind/import (JSON array) with the service account, then GET /bind/query/insights?bookmark_id= counts the events', async () => {
    const sent = await hub.door('/bind/import', { method: 'POST', headers: JSON_TYPE, body: events('door-1', 'door-2') });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ code: 200, num_records_imported: 2, status: 'OK' });
    const seen = last('/import');
    expect(seen.headers.authorization).toBe(basic(mock.username, mock.secret));
    expect(seen.url).toBe(`/import?strict=1&project_id=${mock.projectId}`);
    expect(JSON.parse(seen.body.toString())).toEqual(JSON.parse(events('door-1', 'door-2')));

    const report = await hub.door('/bind/query/insights?bookmark_id=42');
    expect(report.status).toBe(200);
    expect(await report.json()).toMatchObject({ headers: ['$event'], series: { 'Signed Up': { all: 3 } } });
    expect(last('/api/query/insights').url).toBe(`/api/query/insights?project_id=${mock.projectId}&bookmark_id=42`);
  });

  it('via proxy: Mixpanel\'s error bodies reach the caller: strict=1 validation 400 with failed_records, and 429 for the ingestion rate limit', async () => {
    const bad = JSON.stringify([{ event: 'Signed Up', properties: { time: 'yesterday', distinct_id: 'user-42', $insert_id: 'bad-1' } }]);
    const invalid = await hub.door('/bind/import', { method: 'POST', headers: JSON_TYPE, body: bad });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ code: 400, error: 'some data points in the request failed validation', status: 'Bad Request', num_records_imported: 0, failed_records: [{ index: 0, insert_id: 'bad-1', field: 'properties.time', message: "'properties.time' is invalid: must be specified as seconds since epoch" }] });

    mock.throttle(true);
    try {
      const limited = await hub.door('/bind/import', { method: 'POST', headers: JSON_TYPE, body: events('door-3') });
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({ code: 429, error: 'Project exceeded rate limits. Please retry the request with exponential backoff.', status: 'Too Many Requests' });
    } finally {
      mock.throttle(false);
    }
  });

  it('health check: GET mixpanel.com/api/app/me with the service account passes; a deleted service account fails it (401)', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(last('/api/app/me').headers.authorization).toBe(basic(mock.username, mock.secret));

    mock.revoke();
    const failed = await hub.healthProbe();
    expect(failed).toMatchObject({ ok: false, status: 401 });
  });
});
