// providers/google-maps.yaml against a Google Maps Platform mock (test/mocks/providers/
// google-maps.ts: maps.googleapis.com and places.googleapis.com): the `key` query parameter of
// the classic web services and X-Goog-Api-Key (with the caller's X-Goog-FieldMask) of Places
// API (New), Google's two error shapes (HTTP 200 with status REQUEST_DENIED / OVER_QUERY_LIMIT;
// google.rpc errors on Places), calls through the pass-through door, and the geocode health
// check that reads the body's status. Google reports no usage in its answers (the template has no
// usage source); the per-request price sil records is checked with the geocoding call.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startGoogleMapsMock, type GoogleMapsMock } from '../../mocks/providers/google-maps.ts';
import { lastTo } from '../../mocks/providers/media-maps-shared.ts';

const KEY = 'AIzaSyTEST_0123456789abcdefghijklmnopq';
const WRONG = 'AIzaSyWRONG_0123456789abcdefghijklmnop';
const ADDRESS = '1600 Amphitheatre Parkway, Mountain View, CA';
const MASK = { 'X-Goog-FieldMask': 'places.displayName,places.formattedAddress' };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('google-maps template', () => {
  let mock: GoogleMapsMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://maps.googleapis.com': mock.url, 'https://places.googleapis.com': mock.placesUrl });

  beforeAll(async () => {
    mock = await startGoogleMapsMock({ apiKey: KEY });
    hub = await startTemplateHub({
      template: 'google-maps', origins: origins(), secret: { apiKey: KEY },
      bindings: { 'maps-geocode': { protocol: 'http', service: 'geocoding' }, 'maps-places': { protocol: 'http', service: 'places' }, maps: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: classic web services take ?key=; a wrong key answers HTTP 200 with status REQUEST_DENIED and error_message', async () => {
    const req = await renderForTemplate({ template: 'google-maps', service: 'geocoding', origins: origins(), secret: { apiKey: KEY }, query: { address: ADDRESS } });
    expect(req.url.origin + req.url.pathname).toBe(`${mock.url}/maps/api/geocode/json`);
    expect(req.url.searchParams.get('key')).toBe(KEY);
    expect(req.url.searchParams.get('address')).toBe(ADDRESS);
    expect(req.headers.Authorization).toBeUndefined();
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'OK', results: [{ place_id: 'ChIJj61dQgK6j4AR4GeTYWZsKWw' }] });

    const wrong = await sendRendered(await renderForTemplate({ template: 'google-maps', service: 'geocoding', origins: origins(), secret: { apiKey: WRONG }, query: { address: ADDRESS } }));
    expect(wrong.status).toBe(200);
    expect(await wrong.json()).toEqual({ error_message: 'The provided API key is invalid. ', results: [], status: 'REQUEST_DENIED' });
  });

  it('auth contract: Places (New) takes X-Goog-Api-Key (no key in the URL) with the caller\'s X-Goog-FieldMask; a wrong key is a 400 API_KEY_INVALID google.rpc error', async () => {
    const render = (apiKey: string, headers: Record<string, string> = { ...MASK, ...JSON_TYPE }) =>
      renderForTemplate({ template: 'google-maps', service: 'places', origins: origins(), secret: { apiKey }, method: 'POST', path: 'places:searchText', headers, body: JSON.stringify({ textQuery: 'Googleplex' }) });
    const req = await render(KEY);
    expect(req.url.href).toBe(`${mock.placesUrl}/v1/places:searchText`);
    expect(req.headers['X-Goog-Api-Key']).toBe(KEY);
    expect(req.url.searchParams.has('key')).toBe(false);
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ places: [{ displayName: { text: 'Googleplex', languageCode: 'en' }, formattedAddress: '1600 Amphitheatre Pkwy, Mountain View, CA 94043, USA' }] });

    const wrong = await sendRendered(await render(WRONG));
    expect(wrong.status).toBe(400);
    const error = ((await wrong.json()) as { error: { code: number; status: string; message: string; details: { reason: string }[] } }).error;
    expect(error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.' });
    expect(error.details[0].reason).toBe('API_KEY_INVALID');

    const noMask = await sendRendered(await render(KEY, JSON_TYPE));
    expect(noMask.status).toBe(400);
    expect(((await noMask.json()) as { error: { message: string } }).error.message).toMatch(/^FieldMask is a required parameter/);
  });

  it('via proxy: GET /bind/maps-geocode?address=... and /bind/maps/maps/api/directions/json with the hub\'s key, priced per request', async () => {
    const res = await hub.door(`/bind/maps-geocode?address=${encodeURIComponent('Googleplex, Mountain View')}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'OK', results: [{ formatted_address: '1600 Amphitheatre Pkwy, Mountain View, CA 94043, USA', geometry: { location: { lat: 37.4220656, lng: -122.0840897 } } }] });
    const seen = mock.received.filter((r) => r.query.get('address') === 'Googleplex, Mountain View').at(-1)!;
    expect(seen.path).toBe('/maps/api/geocode/json');
    expect(seen.query.get('key')).toBe(KEY);
    const usage = hub.usageFor('maps-geocode');
    expect(usage?.requests).toBe(1);
    expect(usage?.cost).toBeCloseTo(0.005, 10);

    const route = await hub.door('/bind/maps/maps/api/directions/json?origin=Mountain+View&destination=San+Jose');
    expect(route.status).toBe(200);
    expect(await route.json()).toMatchObject({ status: 'OK', routes: [{ legs: [{ distance: { value: 6100 } }] }] });
    expect(lastTo(mock.received, '/maps/api/directions/json').query.get('key')).toBe(KEY);
  });

  it('via proxy: POST /bind/maps-places/places:searchText with X-Goog-FieldMask, the key as X-Goog-Api-Key', async () => {
    const res = await hub.door('/bind/maps-places/places:searchText', { method: 'POST', headers: { 'X-Goog-FieldMask': 'places.id,places.location', ...JSON_TYPE }, body: JSON.stringify({ textQuery: 'Googleplex' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ places: [{ id: 'ChIJj61dQgK6j4AR4GeTYWZsKWw', location: { latitude: 37.4220656, longitude: -122.0840897 } }] });
    const seen = mock.placesReceived.at(-1)!;
    expect(seen.path).toBe('/v1/places:searchText');
    expect(seen.headers['x-goog-api-key']).toBe(KEY);
    expect(seen.headers['x-goog-fieldmask']).toBe('places.id,places.location');
    expect(seen.query.has('key')).toBe(false);
  });

  it('via proxy: OVER_QUERY_LIMIT (HTTP 200) and Places\' 429 RESOURCE_EXHAUSTED reach the caller as Google sent them', async () => {
    mock.throttle();
    try {
      const classic = await hub.door(`/bind/maps-geocode?address=${encodeURIComponent(ADDRESS)}`);
      expect(classic.status).toBe(200);
      expect(await classic.json()).toEqual({ error_message: 'You have exceeded your rate-limit for this API.', results: [], status: 'OVER_QUERY_LIMIT' });
      const places = await hub.door('/bind/maps-places/places:searchText', { method: 'POST', headers: { ...MASK, ...JSON_TYPE }, body: JSON.stringify({ textQuery: 'x' }) });
      expect(places.status).toBe(429);
      expect(((await places.json()) as { error: { status: string } }).error.status).toBe('RESOURCE_EXHAUSTED');
    } finally {
      mock.throttle(false);
    }
  });

  it('health check: the billable geocode call is ok when the body\'s status is OK; a revoked key (HTTP 200, REQUEST_DENIED) makes it fail', async () => {
    expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/maps/api/geocode/json').at(-1)!;
    expect(probe.query.get('address')).toBe(ADDRESS);
    expect(probe.query.get('key')).toBe(KEY);

    mock.revoke();
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 200, error: 'status is not as expected' });
    } finally {
      mock.revoke(false);
    }
  });
});
