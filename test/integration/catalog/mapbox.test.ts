// providers/mapbox.yaml against a Mapbox mock (test/mocks/providers/mapbox.ts): the
// access_token query parameter, Mapbox's {"message"} errors, geocoding and directions through the
// pass-through door with the X-Rate-Limit-* headers, and the /tokens/v2 health check that reads
// the body's code. Mapbox reports no usage in its answers (the template has no usage source), so
// there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startMapboxMock, type MapboxMock } from '../../mocks/providers/mapbox.ts';
import { lastTo } from '../../mocks/providers/media-maps-shared.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { readRateLimit } from '../../../server/observe/rate-limit.ts';

const TOKEN = 'pk.eyJ1Ijoic2lsLXRlc3QiLCJhIjoiY2xhYmMxMjMifQ.c2lnbmF0dXJlLXRlc3Q';
const OTHER = 'pk.eyJ1Ijoib3RoZXIiLCJhIjoiY2x4eXo5ODcifQ.b3RoZXItc2lnbmF0dXJl';

describe('mapbox template', () => {
  let mock: MapboxMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.mapbox.com': mock.url });

  beforeAll(async () => {
    mock = await startMapboxMock({ accessToken: TOKEN });
    hub = await startTemplateHub({
      template: 'mapbox', origins: origins(), secret: { accessToken: TOKEN },
      bindings: { 'mb-geocode': { protocol: 'http', service: 'geocoding' }, 'mb-directions': { protocol: 'http', service: 'directions' }, mapbox: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: ?access_token=<token> and no Authorization header; another token is refused with 401 {"message":"Not Authorized - Invalid Token"}', async () => {
    const req = await renderForTemplate({ template: 'mapbox', service: 'geocoding', origins: origins(), secret: { accessToken: TOKEN }, query: { q: '1600 Pennsylvania Ave NW' } });
    expect(req.url.origin + req.url.pathname).toBe(`${mock.url}/search/geocode/v6/forward`);
    expect(req.url.searchParams.get('access_token')).toBe(TOKEN);
    expect(req.headers.Authorization).toBeUndefined();
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ type: 'FeatureCollection', features: [{ properties: { name: '1600 Pennsylvania Ave NW', feature_type: 'address' } }] });

    const wrong = await sendRendered(await renderForTemplate({ template: 'mapbox', service: 'geocoding', origins: origins(), secret: { accessToken: OTHER }, query: { q: 'x' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ message: 'Not Authorized - Invalid Token' });
  });

  it('via proxy: GET /bind/mb-geocode?q=... and /bind/mb-directions/driving/<lon,lat;lon,lat> with the hub\'s token, X-Rate-Limit-* passed on', async () => {
    const geo = await hub.door('/bind/mb-geocode?q=Brandenburger+Tor&limit=1');
    expect(geo.status).toBe(200);
    expect(((await geo.json()) as { features: { properties: { name: string } }[] }).features[0].properties.name).toBe('Brandenburger Tor');
    const seen = lastTo(mock.received, '/search/geocode/v6/forward');
    expect(seen.query.get('access_token')).toBe(TOKEN);
    expect(seen.query.get('limit')).toBe('1');
    expect(geo.headers.get('x-rate-limit-limit')).toBe('600');
    expect(geo.headers.get('x-rate-limit-interval')).toBe('60');
    expect(Number(geo.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);

    const route = await hub.door(`/bind/mb-directions/driving/${encodeURIComponent('13.3777,52.5163;13.4050,52.5200')}?overview=false`);
    expect(route.status).toBe(200);
    expect(await route.json()).toMatchObject({ code: 'Ok', routes: [{ distance: 1843.5 }], waypoints: [{ location: [13.3777, 52.5163] }, { location: [13.405, 52.52] }] });
    const r = lastTo(mock.received, /^\/directions\/v5\/mapbox\/driving\//);
    expect(r.query.get('access_token')).toBe(TOKEN);
    expect(r.query.get('overview')).toBe('false');
  });

  it('via proxy: a 422 for bad input and the 429 {"message":"Too Many Requests"} with X-Rate-Limit-Reset reach the caller', async () => {
    const bad = await hub.door('/bind/mb-directions/driving/not-coordinates');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ code: 'InvalidInput' });

    mock.throttle(/^\/search\//);
    try {
      const limited = await hub.door('/bind/mb-geocode?q=x');
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({ message: 'Too Many Requests' });
      const reading = readRateLimit(projectCatalog().catalog.get('mapbox')!.rateLimit, Object.fromEntries(limited.headers), Date.now());
      expect(reading).toMatchObject({ limit: 600, resetAt: Number(limited.headers.get('x-rate-limit-reset')) * 1000 });
    } finally {
      mock.throttle(false);
    }
  });

  it('health check: GET /tokens/v2 is ok when the body\'s code is TokenValid; a revoked token (200, code TokenRevoked) makes it fail', async () => {
    expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
    expect(lastTo(mock.received, '/tokens/v2').query.get('access_token')).toBe(TOKEN);

    mock.revoke();
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 200, error: 'code is not as expected' });
    } finally {
      mock.revoke(false);
    }
  });
});
