// Amplitude mock: HTTP V2 ingestion and the Dashboard REST / Export APIs, after
// https://amplitude.com/docs/apis/analytics/http-v2 , .../dashboard-rest , .../export-api and
// .../apis/authentication (Amplitude-Developer-Docs/amplitude-dev-center docs/analytics/apis/):
// - ingestion (api2.amplitude.com, POST /2/httpapi): `Content-Type: application/json`, the
//   project API key as `api_key` in the JSON body, no header. 200 `{code, events_ingested,
//   payload_size_bytes, server_upload_time}`; 400 `{code: 400, error: "Invalid API key"}` or
//   `{code, error: "Request missing required field", missing_field}` or
//   `{code, error: "Invalid field values on some events", events_with_invalid_fields}`; 429
//   `{code, error, eps_threshold, throttled_devices, throttled_users, throttled_events}`;
// - Dashboard REST + Export (amplitude.com/api/2/...): HTTP Basic api_key:secret_key. The body
//   of a refused request is not documented: 401 with a Basic challenge and a short text here.
//   429 when a limit is exceeded ("the 429 error includes information on how you are exceeding
//   the limit"). GET /api/2/events/list → `{data: [{value, display, totals, ...}]}`;
//   GET /api/2/export?start=YYYYMMDDTHH&end=... → 400 without them, 404 when the range has no
//   data, else the events as gzipped JSON lines (real exports are a zip of such files).
// No rate-limit headers are documented for either API: none are sent.
// Ingestion and REST paths do not overlap, so one server serves both hosts.
import { gzipSync } from 'node:zlib';
import { startMockServer, bodyJson, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import { basicPair, mediaType, same } from './analytics-search-shared.ts';

export interface AmplitudeMockOptions { apiKey?: string; secretKey?: string }

export interface AmplitudeEvent { event_type: string; user_id?: string; device_id?: string; time?: number; insert_id?: string; [k: string]: unknown }

export interface AmplitudeMock extends ProviderMock {
  apiKey: string;
  secretKey: string;
  /** Events ingested (after insert_id de-duplication). */
  events: AmplitudeEvent[];
  /** Revokes the API key (ingestion and REST) or deletes the secret key (REST only). */
  revoke(which: 'apiKey' | 'secretKey'): void;
  /** While on, ingestion (default) answers 429 for every user/device, or the REST APIs answer 429. */
  throttle(on: boolean, api?: 'ingest' | 'rest'): void;
}

export async function startAmplitudeMock(o: AmplitudeMockOptions = {}): Promise<AmplitudeMock> {
  const apiKey = o.apiKey ?? '0123456789abcdef0123456789abcdef';
  const secretKey = o.secretKey ?? 'fedcba9876543210fedcba9876543210';
  let apiKeyLive = true;
  let secretLive = true;
  let throttled = false;
  let restThrottled = false;
  const events: AmplitudeEvent[] = [];
  const seen = new Set<string>();

  const ingest = (r: ReceivedRequest): MockAnswer => {
    const bad = (error: string, extra: Record<string, unknown> = {}): MockAnswer => ({ status: 400, body: { code: 400, error, ...extra } });
    if (mediaType(r) !== 'application/json') return bad('Invalid request body content type');
    if (r.body.length === 0) return bad('Missing request body');
    const body = bodyJson(r) as { api_key?: unknown; events?: unknown } | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('Invalid JSON request body');
    if (typeof body.api_key !== 'string' || body.api_key === '') return bad('Request missing required field', { missing_field: 'api_key' });
    if (!Array.isArray(body.events) || body.events.length === 0) return bad('Request missing required field', { missing_field: 'events' });
    if (!apiKeyLive || !same(body.api_key, apiKey)) return bad('Invalid API key');
    const list = body.events as AmplitudeEvent[];
    const missing: number[] = [];
    const invalidTime: number[] = [];
    list.forEach((e, i) => {
      if (typeof e?.event_type !== 'string' || (!e.user_id && !e.device_id)) missing.push(i);
      if (e?.time !== undefined && !Number.isInteger(e.time)) invalidTime.push(i);
    });
    if (missing.length) return bad('Request missing required field', { events_with_missing_fields: { event_type: missing } });
    if (invalidTime.length) return bad('Invalid field values on some events', { events_with_invalid_fields: { time: invalidTime } });
    if (throttled) {
      const users = Object.fromEntries(list.filter((e) => e.user_id).map((e) => [e.user_id, 11]));
      const devices = Object.fromEntries(list.filter((e) => e.device_id).map((e) => [e.device_id, 11]));
      return { status: 429, body: { code: 429, error: 'Too many requests for some devices and users', eps_threshold: 10, throttled_devices: devices, throttled_users: users, throttled_events: list.map((_, i) => i) } };
    }
    for (const e of list) {
      if (e.insert_id && seen.has(e.insert_id)) continue;
      if (e.insert_id) seen.add(e.insert_id);
      events.push({ ...e, time: e.time ?? Date.now() });
    }
    return { status: 200, body: { code: 200, events_ingested: list.length, payload_size_bytes: r.body.length, server_upload_time: Date.now() } };
  };

  const rest = (r: ReceivedRequest): MockAnswer => {
    const pair = basicPair(r);
    if (!pair || !apiKeyLive || !secretLive || !same(pair[0], apiKey) || !same(pair[1], secretKey)) {
      return { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="Amplitude"', 'Content-Type': 'text/plain' }, body: 'Invalid API key or secret key' };
    }
    if (restThrottled) return { status: 429, headers: { 'Content-Type': 'text/plain' }, body: 'Exceeded rate limit with query of cost 1 (rate limit 36000 cost per hour)' };
    if (r.method === 'GET' && r.path === '/api/2/events/list') {
      const counts = new Map<string, number>();
      for (const e of events) counts.set(e.event_type, (counts.get(e.event_type) ?? 0) + 1);
      return { status: 200, body: { data: [...counts].map(([value, totals]) => ({ non_active: false, value, totals, deleted: false, flow_hidden: false, hidden: false, display: value })) } };
    }
    if (r.method === 'GET' && r.path === '/api/2/export') {
      const hour = /^(\d{4})(\d\d)(\d\d)T(\d\d)$/;
      const [s, e] = [hour.exec(r.query.get('start') ?? ''), hour.exec(r.query.get('end') ?? '')];
      if (!s || !e) return { status: 400, headers: { 'Content-Type': 'text/plain' }, body: 'start and end must be formatted YYYYMMDDTHH' };
      const ms = (m: RegExpExecArray, plus: number) => Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4]) + plus;
      const inRange = events.filter((ev) => ev.time! >= ms(s, 0) && ev.time! < ms(e, 3_600_000));
      if (inRange.length === 0) return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Raw data files were not found.' };
      return { status: 200, headers: { 'Content-Type': 'application/gzip' }, body: gzipSync(inRange.map((ev) => JSON.stringify(ev)).join('\n')) };
    }
    return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not found' };
  };

  const mock = await startMockServer((r) => (r.path === '/2/httpapi' && r.method === 'POST' ? ingest(r) : rest(r)));
  return {
    ...mock,
    apiKey,
    secretKey,
    events,
    revoke: (which) => void (which === 'apiKey' ? (apiKeyLive = false) : (secretLive = false)),
    throttle: (on, api = 'ingest') => void (api === 'ingest' ? (throttled = on) : (restThrottled = on)),
  };
}
