// Mapbox web services on 127.0.0.1 (https://api.mapbox.com), written from docs.mapbox.com:
// - api/overview (access tokens, rate limits): the token is the `access_token` query parameter;
//   a missing token answers 401 {"message":"Not Authorized - No Token"}, an unknown one 401
//   {"message":"Not Authorized - Invalid Token"}, a token without the scope 403
//   {"message":"Forbidden"}; rate-limited APIs send X-Rate-Limit-Interval (window, seconds),
//   X-Rate-Limit-Limit and X-Rate-Limit-Reset (Unix seconds), and 429 {"message":"Too Many
//   Requests"} when spent;
// - api/accounts/tokens ("Retrieve a token", GET /tokens/v2): `{code, token}` where code is
//   TokenValid, TokenMalformed, TokenInvalid, TokenExpired or TokenRevoked;
// - api/search/geocoding (v6 forward: GeoJSON FeatureCollection) and api/navigation/directions
//   (GET /directions/v5/mapbox/{profile}/{lon,lat;lon,lat}: {code:"Ok", routes, waypoints}).
import { randomUUID } from 'node:crypto';
import { startMockServer, type MockAnswer, type ProviderMock } from '../../helpers/catalog/provider-mock.ts';
import { switches, type MockSwitches } from './media-maps-shared.ts';

export interface MapboxMockOptions {
  accessToken?: string;
  /** Requests per window (default 600 per 60 s, the Geocoding API's). */
  limit?: number;
  now?: () => number;
}

export interface MapboxMock extends ProviderMock, MockSwitches {}

// Shaped like a Mapbox public token: usage prefix, base64url JSON payload, signature.
export const MAPBOX_DEFAULTS = { accessToken: 'pk.eyJ1Ijoic2lsLXRlc3QiLCJhIjoiY2xhYmMxMjMifQ.c2lnbmF0dXJlLXRlc3Q' } as const;
const INTERVAL = 60;

export async function startMapboxMock(opts: MapboxMockOptions = {}): Promise<MapboxMock> {
  const o = { ...MAPBOX_DEFAULTS, ...opts };
  const now = opts.now ?? Date.now;
  const limit = opts.limit ?? 600;
  const sw = switches();
  const used = new Map<number, number>();
  const message = (status: number, text: string, headers: Record<string, string> = {}): MockAnswer => ({ status, headers, body: { message: text } });
  const wellFormed = (t: string) => /^(pk|sk|tk)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(t);

  const mock = await startMockServer((r) => {
    const token = r.query.get('access_token');
    if (r.method === 'GET' && r.path === '/tokens/v2') {
      if (!token) return message(401, 'Not Authorized - No Token');
      if (!wellFormed(token)) return { status: 401, body: { code: 'TokenMalformed' } };
      if (token !== o.accessToken) return { status: 401, body: { code: 'TokenInvalid' } };
      if (sw.revoked) return { status: 200, body: { code: 'TokenRevoked', token: { usage: 'pk', user: 'sil-test', authorization: 'clabc123' } } };
      return { status: 200, body: { code: 'TokenValid', token: { usage: token.slice(0, 2), user: 'sil-test', authorization: 'clabc123' } } };
    }
    if (!token) return message(401, 'Not Authorized - No Token');
    if (token !== o.accessToken || sw.revoked) return message(401, 'Not Authorized - Invalid Token');

    const window = Math.floor(now() / 1000 / INTERVAL);
    const count = (used.get(window) ?? 0) + 1;
    const rate = { 'X-Rate-Limit-Interval': String(INTERVAL), 'X-Rate-Limit-Limit': String(limit), 'X-Rate-Limit-Reset': String((window + 1) * INTERVAL) };
    if (sw.throttled(r) || count > limit) return message(429, 'Too Many Requests', rate);
    used.set(window, count);

    if (r.method === 'GET' && r.path === '/search/geocode/v6/forward') {
      const q = r.query.get('q');
      if (!q) return { status: 422, headers: rate, body: { error_code: 'InvalidInput', message: 'Query is required.' } };
      return {
        status: 200,
        headers: rate,
        body: {
          type: 'FeatureCollection',
          features: [{
            type: 'Feature',
            id: 'dXJuOm1ieGFkcjpmMDU',
            geometry: { type: 'Point', coordinates: [-77.03655, 38.89768] },
            properties: { mapbox_id: 'dXJuOm1ieGFkcjpmMDU', feature_type: 'address', name: q, full_address: `${q}, Washington, District of Columbia 20500, United States`, coordinates: { longitude: -77.03655, latitude: 38.89768, accuracy: 'rooftop' } },
          }],
          attribution: 'NOTICE: © 2025 Mapbox and its suppliers. All rights reserved.',
        },
      };
    }
    const route = /^\/directions\/v5\/mapbox\/(driving|driving-traffic|walking|cycling)\/([^/]+)$/.exec(r.path);
    if (r.method === 'GET' && route) {
      const points = decodeURIComponent(route[2]).split(';').map((p) => p.split(',').map(Number));
      if (points.length < 2 || points.some((p) => p.length !== 2 || p.some((n) => !Number.isFinite(n)))) {
        return { status: 422, headers: rate, body: { code: 'InvalidInput', message: 'Coordinates must be lon,lat pairs separated by semicolons.' } };
      }
      return {
        status: 200,
        headers: rate,
        body: {
          code: 'Ok',
          uuid: randomUUID(),
          routes: [{ distance: 1843.5, duration: 312.4, weight: 330.1, weight_name: 'auto', geometry: 'mnn_Ick}pA', legs: [{ distance: 1843.5, duration: 312.4, steps: [], summary: '' }] }],
          waypoints: points.map((p) => ({ name: '', location: p, distance: 0.5 })),
        },
      };
    }
    return message(404, 'Not Found', rate);
  });
  return { ...mock, revoke: sw.revoke, throttle: sw.throttle };
}
