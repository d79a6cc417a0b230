// providers/amplitude.yaml against an Amplitude mock (test/mocks/providers/amplitude.ts): HTTP V2
// ingestion on api2.amplitude.com (the `ingest` service's body auth: api_key in the JSON body)
// and the Dashboard REST / Export APIs on amplitude.com (Basic api_key:secret_key), both mapped
// with `origins:`. Amplitude reports no usage in tokens/seconds/units (plans count MTUs/events
// in the app), so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startAmplitudeMock, type AmplitudeMock } from '../../mocks/providers/amplitude.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const batch = (...ids: string[]) => JSON.stringify({ events: ids.map((id) => ({ event_type: 'watch_tutorial', user_id: 'user-20391', insert_id: id })) });
const hour = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 11);

describe('amplitude template', () => {
  let mock: AmplitudeMock;
  let hub: TemplateHub;
  let secret: { apiKey: string; secretKey: string };
  const origins = () => ({ 'https://amplitude.com': mock.url, 'https://api2.amplitude.com': mock.url });
  const last = (path: string) => mock.received.filter((r) => r.path === path).at(-1)!;

  beforeAll(async () => {
    mock = await startAmplitudeMock();
    secret = { apiKey: mock.apiKey, secretKey: mock.secretKey };
    hub = await startTemplateHub({
      template: 'amplitude', origins: origins(), secret,
      bindings: { ingest: { protocol: 'http', service: 'ingest' }, export: { protocol: 'http', service: 'export' }, amplitude: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: ingestion puts api_key into the JSON body of POST api2.amplitude.com/2/httpapi (no header); a wrong key is refused 400 {code, error: "Invalid API key"}', async () => {
    const req = await renderForTemplate({ template: 'amplitude', service: 'ingest', origins: origins(), secret, method: 'POST', headers: JSON_TYPE, body: batch('contract-1') });
    expect(req.url.href).toBe(`${mock.url}/2/httpapi`);
    expect(req.headers.Authorization ?? req.headers.authorization).toBeUndefined();
    expect(JSON.parse(String(req.body))).toEqual({ ...JSON.parse(batch('contract-1')), api_key: mock.apiKey });
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: 200, events_ingested: 1, payload_size_bytes: expect.any(Number), server_upload_time: expect.any(Number) });

    const wrong = await sendRendered(await renderForTemplate({ template: 'amplitude', service: 'ingest', origins: origins(), secret: { ...secret, apiKey: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, method: 'POST', headers: JSON_TYPE, body: batch('contract-2') }));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ code: 400, error: 'Invalid API key' });
    expect(mock.events.map((e) => e.insert_id)).toEqual(['contract-1']);
  });

  it('auth contract: Dashboard REST sends Basic api_key:secret_key to amplitude.com/api/2/...; a wrong secret key is refused 401', async () => {
    const req = await renderForTemplate({ template: 'amplitude', origins: origins(), secret, path: '2/events/list' });
    expect(req.url.href).toBe(`${mock.url}/api/2/events/list`);
    expect(req.headers.Authorization).toBe(basic(mock.apiKey, mock.secretKey));
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: [{ value: 'watch_tutorial', totals: 1 }] });

    const wrong = await sendRendered(await renderForTemplate({ template: 'amplitude', origins: origins(), secret: { ...secret, secretKey: '00000000000000000000000000000000' }, path: '2/events/list' }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('via proxy: POST /bind/ingest gets the api_key merged in, GET /bind/amplitude/2/events/list and GET /bind/export?start&end (Basic) read the events back', async () => {
    const sent = await hub.door('/bind/ingest', { method: 'POST', headers: JSON_TYPE, body: batch('door-1', 'door-2', 'door-1') });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ code: 200, events_ingested: 3 });
    const seen = last('/2/httpapi');
    expect(JSON.parse(seen.body.toString())).toMatchObject({ api_key: mock.apiKey, events: [{ insert_id: 'door-1' }, { insert_id: 'door-2' }, { insert_id: 'door-1' }] });
    expect(seen.headers.authorization).toBeUndefined();

    const list = await hub.door('/bind/amplitude/2/events/list');
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ data: [expect.objectContaining({ value: 'watch_tutorial', totals: 3 })] });
    expect(last('/api/2/events/list').headers.authorization).toBe(basic(mock.apiKey, mock.secretKey));

    const now = Date.now();
    const exported = await hub.door(`/bind/export?start=${hour(now - 3_600_000)}&end=${hour(now + 3_600_000)}`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/gzip');
    const lines = gunzipSync(Buffer.from(await exported.arrayBuffer())).toString().split('\n').map((l) => JSON.parse(l) as { insert_id: string });
    expect(lines.map((l) => l.insert_id)).toEqual(['contract-1', 'door-1', 'door-2']);
    expect(last('/api/2/export').query.get('start')).toBe(hour(now - 3_600_000));

    const empty = await hub.door('/bind/export?start=20200101T00&end=20200101T01');
    expect(empty.status).toBe(404);
  });

  it('via proxy: ingestion errors keep Amplitude\'s shape: 400 missing_field, 429 with eps_threshold and throttled_users', async () => {
    const missing = await hub.door('/bind/ingest', { method: 'POST', headers: JSON_TYPE, body: '{}' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ code: 400, error: 'Request missing required field', missing_field: 'events' });

    mock.throttle(true);
    try {
      const limited = await hub.door('/bind/ingest', { method: 'POST', headers: JSON_TYPE, body: batch('door-3') });
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({ code: 429, error: 'Too many requests for some devices and users', eps_threshold: 10, throttled_devices: {}, throttled_users: { 'user-20391': 11 }, throttled_events: [0] });
    } finally {
      mock.throttle(false);
    }
  });

  it('health check: GET amplitude.com/api/2/events/list with Basic passes; a deleted secret key fails it (401)', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(last('/api/2/events/list').headers.authorization).toBe(basic(mock.apiKey, mock.secretKey));

    mock.revoke('secretKey');
    const failed = await hub.healthProbe();
    expect(failed).toMatchObject({ ok: false, status: 401 });
  });
});
