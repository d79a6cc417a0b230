// Google Maps Platform on 127.0.0.1, two hosts as Google has them:
// - maps.googleapis.com, the classic web services (developers.google.com/maps/documentation/
//   geocoding/requests-geocoding, /directions, /distance-matrix): the key is the `key` query
//   parameter; the HTTP status is 200 even for errors, the body's `status` says what happened:
//   REQUEST_DENIED with `error_message` for a missing or invalid key, OVER_QUERY_LIMIT when over
//   quota, INVALID_REQUEST for a missing address, OK otherwise. No rate-limit headers.
// - places.googleapis.com/v1, Places API (New) (developers.google.com/maps/documentation/places/
//   web-service/text-search, /place-details, /choose-fields): the key in X-Goog-Api-Key (or
//   `key`), the response fields in X-Goog-FieldMask (or `fields` / `$fields`), required, no
//   default; errors are Google's `{"error":{code,message,status,details}}` (400
//   INVALID_ARGUMENT "API key not valid..." with ErrorInfo reason API_KEY_INVALID, 403
//   PERMISSION_DENIED without a key, 400 for a missing field mask, 429 RESOURCE_EXHAUSTED).
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { bodyJson } from '../../helpers/catalog/provider-mock.ts';
import { headerOf, switches, type MockSwitches } from './media-maps-shared.ts';

export interface GoogleMapsMockOptions { apiKey?: string }

export interface GoogleMapsMock extends ProviderMock, MockSwitches {
  /** The Places API (New) server (for https://places.googleapis.com). */
  placesUrl: string;
  placesReceived: ReceivedRequest[];
}

export const GOOGLE_MAPS_DEFAULTS = { apiKey: 'AIzaSyTEST_0123456789abcdefghijklmnopq' } as const;

const PLACE = {
  id: 'ChIJj61dQgK6j4AR4GeTYWZsKWw',
  displayName: { text: 'Googleplex', languageCode: 'en' },
  formattedAddress: '1600 Amphitheatre Pkwy, Mountain View, CA 94043, USA',
  location: { latitude: 37.4220656, longitude: -122.0840897 },
  types: ['corporate_office', 'point_of_interest', 'establishment'],
  rating: 4.2,
};

/** The place with only the fields a mask names (`places.x` for a search, `x` for details; `*` all). */
function masked(mask: string, prefix: string): Record<string, unknown> {
  const names = mask.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.includes('*') || names.includes(`${prefix}*`)) return { ...PLACE };
  const out: Record<string, unknown> = {};
  for (const n of names) {
    const field = prefix ? (n.startsWith(prefix) ? n.slice(prefix.length) : '') : n;
    const top = field.split('.')[0] as keyof typeof PLACE;
    if (top in PLACE) out[top] = PLACE[top];
  }
  return out;
}

export async function startGoogleMapsMock(opts: GoogleMapsMockOptions = {}): Promise<GoogleMapsMock> {
  const o = { ...GOOGLE_MAPS_DEFAULTS, ...opts };
  const sw = switches();
  const denied = (message: string, extra: Record<string, unknown>): MockAnswer => ({ status: 200, body: { error_message: message, ...extra, status: 'REQUEST_DENIED' } });

  const maps = await startMockServer((r) => {
    const m = /^\/maps\/api\/(geocode|directions|distancematrix)\/json$/.exec(r.path);
    if (!m) return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>Error 404 (Not Found)</body></html>' };
    const empty = m[1] === 'geocode' ? { results: [] } : m[1] === 'directions' ? { geocoded_waypoints: [], routes: [] } : { destination_addresses: [], origin_addresses: [], rows: [] };
    const key = r.query.get('key');
    if (!key) return denied('You must use an API key to authenticate each request to Google Maps Platform APIs. For additional information, please refer to http://g.co/dev/maps-no-account', empty);
    if (key !== o.apiKey || sw.revoked) return denied('The provided API key is invalid. ', empty);
    if (sw.throttled(r)) return { status: 200, body: { error_message: 'You have exceeded your rate-limit for this API.', ...empty, status: 'OVER_QUERY_LIMIT' } };
    if (m[1] === 'geocode') {
      const address = r.query.get('address') ?? r.query.get('latlng') ?? r.query.get('place_id');
      if (!address) return { status: 200, body: { error_message: "Invalid request. Missing the 'address', 'components', 'latlng' or 'place_id' parameter.", results: [], status: 'INVALID_REQUEST' } };
      return {
        status: 200,
        body: {
          results: [{
            address_components: [{ long_name: '1600', short_name: '1600', types: ['street_number'] }],
            formatted_address: PLACE.formattedAddress,
            geometry: { location: { lat: PLACE.location.latitude, lng: PLACE.location.longitude }, location_type: 'ROOFTOP' },
            place_id: PLACE.id,
            types: ['street_address'],
          }],
          status: 'OK',
        },
      };
    }
    if (!r.query.get('origin') && !r.query.get('origins')) return { status: 200, body: { error_message: 'Invalid request. Missing the origin parameter.', ...empty, status: 'INVALID_REQUEST' } };
    if (m[1] === 'directions') {
      return { status: 200, body: { geocoded_waypoints: [{ geocoder_status: 'OK', place_id: PLACE.id }], routes: [{ summary: 'US-101 S', legs: [{ distance: { text: '6.1 km', value: 6100 }, duration: { text: '9 mins', value: 540 } }] }], status: 'OK' } };
    }
    return { status: 200, body: { destination_addresses: ['San Jose, CA, USA'], origin_addresses: ['Mountain View, CA, USA'], rows: [{ elements: [{ distance: { text: '22 km', value: 22000 }, duration: { text: '20 mins', value: 1200 }, status: 'OK' }] }], status: 'OK' } };
  });

  const googleError = (code: number, status: string, message: string, reason?: string): MockAnswer => ({
    status: code,
    body: { error: { code, message, status, ...(reason ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service: 'places.googleapis.com' } }] } : {}) } },
  });
  const places = await startMockServer((r) => {
    const key = headerOf(r, 'x-goog-api-key') ?? r.query.get('key');
    if (!key) return googleError(403, 'PERMISSION_DENIED', 'The request is missing a valid API key.');
    if (key !== o.apiKey || sw.revoked) return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', 'API_KEY_INVALID');
    if (sw.throttled(r)) return googleError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'places.googleapis.com'.", 'RATE_LIMIT_EXCEEDED');
    const mask = headerOf(r, 'x-goog-fieldmask') ?? r.query.get('fields') ?? r.query.get('$fields');
    if (!mask) {
      return googleError(400, 'INVALID_ARGUMENT', "FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters on how to provide it. As an example, you can set the header 'X-Goog-FieldMask' to 'displayName' in order to request for the display name of places.");
    }
    if (r.method === 'POST' && r.path === '/v1/places:searchText') {
      const body = bodyJson(r) as { textQuery?: string } | undefined;
      if (!body?.textQuery) return googleError(400, 'INVALID_ARGUMENT', 'Empty text_query.');
      return { status: 200, body: { places: [masked(mask, 'places.')] } };
    }
    if (r.method === 'GET' && r.path === `/v1/places/${PLACE.id}`) return { status: 200, body: masked(mask, '') };
    return googleError(404, 'NOT_FOUND', `Method not found: ${r.method} ${r.path}`);
  });

  return {
    url: maps.url,
    received: maps.received,
    placesUrl: places.url,
    placesReceived: places.received,
    revoke: sw.revoke,
    throttle: sw.throttle,
    close: async () => {
      await Promise.all([maps.close(), places.close()]);
    },
  };
}
