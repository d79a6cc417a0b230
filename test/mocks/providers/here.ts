// HERE location services on 127.0.0.1: one server per host of the template (geocode /
// revgeocode / discover .search.hereapi.com/v1, router.hereapi.com/v8 and the token endpoint
// account.api.here.com/oauth2/token), each serving only its own API, sharing keys and tokens
// (`origins` maps the template's hosts to them), written from:
// - HERE Identity & Access Management developer guide ("Authentication and Authorization API":
//   "Create OAuth1.0 signature", "errorFields Details"): POST /oauth2/token with
//   `grant_type=client_credentials` (form), signed OAuth 1.0a HMAC-SHA256 with the access key
//   id as oauth_consumer_key and the access key secret (RFC 5849 §3.4: the base string over
//   method, the request URI and the sorted oauth_* and body parameters; key = secret + "&");
//   answers {access_token, token_type: "bearer", expires_in: 86399}; errors carry errorId,
//   httpStatus, errorCode (401300 signature mismatch, 401200 header missing, 401202 malformed,
//   401204 timestamp, 401205 method, 401206 version, 401207 nonce), message, error and
//   error_description.
// - the search / routing APIs: `?apiKey=` or `Authorization: Bearer <token>`; a bad key answers
//   401 {"error":"Unauthorized","error_description":"apiKey invalid. apiKey not found."} (as
//   HERE answers, e.g. "apiKey invalid. apiKey is expired."), 429 {"error":"Too Many Requests",
//   "error_description":"Rate limit for this service has been reached"}; HERE documents no
//   rate-limit headers. Geocode / revgeocode / discover answer {items: [...]}; routing v8
//   {routes: [{sections: [{summary}]}]}; a missing parameter 400 {status, title, code, cause}.
import { createHmac, randomUUID } from 'node:crypto';
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { headerOf, switches, type MockSwitches } from './media-maps-shared.ts';

export interface HereMockOptions { apiKey?: string; accessKeyId?: string; accessKeySecret?: string; expiresIn?: number; now?: () => number }

export interface HereMock extends ProviderMock, MockSwitches {
  /** Each HERE origin the template uses → its server here (for the instance's `origins:`). */
  origins: Record<string, string>;
  tokenRequests: { status: number; errorCode?: number; authorization: string }[];
  issued: string[];
}

export const HERE_DEFAULTS = { apiKey: 'AbC123dEf456GhI789jKl012MnO345pQr678StU901v', accessKeyId: 'HERE-ACCESS-KEY-ID-0123', accessKeySecret: 'here/secret+with=chars&more' } as const;

/** The hosts and the paths each serves. */
const HOSTS: Record<string, RegExp> = {
  'https://geocode.search.hereapi.com': /^\/v1\/geocode$/,
  'https://revgeocode.search.hereapi.com': /^\/v1\/revgeocode$/,
  'https://discover.search.hereapi.com': /^\/v1\/discover$/,
  'https://router.hereapi.com': /^\/v8\/routes$/,
  'https://account.api.here.com': /^\/oauth2\/token$/,
};

/** RFC 5849 §3.6: unreserved characters kept, every other UTF-8 byte as %XX. */
function pct(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export async function startHereMock(opts: HereMockOptions = {}): Promise<HereMock> {
  const o = { ...HERE_DEFAULTS, ...opts };
  const now = opts.now ?? Date.now;
  const sw = switches();
  const live = new Map<string, number>();
  const issued: string[] = [];
  const nonces = new Set<string>();
  const tokenRequests: HereMock['tokenRequests'] = [];

  const tokenError = (status: number, errorCode: number, message: string): MockAnswer => ({
    status,
    body: { errorId: `ERROR-${randomUUID()}`, httpStatus: status, errorCode, message, error: 'invalid_client', error_description: `errorCode: '${errorCode}'. ${message}` },
  });

  const checkSignature = (r: ReceivedRequest, header: string): MockAnswer | null => {
    if (!header) return tokenError(401, 401200, 'Missing Authorization header.');
    if (!header.startsWith('OAuth ')) return tokenError(401, 401202, 'Invalid Authorization header.');
    const p = new Map<string, string>();
    for (const part of header.slice(6).split(',')) {
      const m = /^\s*([A-Za-z0-9_]+)="([^"]*)"\s*$/.exec(part);
      if (!m || p.has(m[1])) return tokenError(401, 401202, 'Invalid Authorization header, duplicated or malformed parameters.');
      p.set(m[1], decodeURIComponent(m[2]));
    }
    for (const need of ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp']) {
      if (!p.has(need)) return tokenError(401, 401202, `Invalid Authorization header, missing ${need}.`);
    }
    if (p.get('oauth_signature_method') !== 'HMAC-SHA256') return tokenError(401, 401205, 'Unsupported signature method.');
    if (p.has('oauth_version') && p.get('oauth_version') !== '1.0') return tokenError(401, 401206, 'Unsupported OAuth version.');
    const ts = Number(p.get('oauth_timestamp'));
    if (!Number.isInteger(ts) || Math.abs(ts - now() / 1000) > 600) return tokenError(401, 401204, "Invalid Authorization header, timestamp doesn't match server time.");
    if (nonces.has(p.get('oauth_nonce')!)) return tokenError(401, 401207, 'Nonce already used.');
    const pairs: [string, string][] = [];
    for (const [k, v] of p) if (k !== 'oauth_signature' && k !== 'realm') pairs.push([pct(k), pct(v)]);
    for (const [k, v] of new URLSearchParams(r.body.toString('utf8'))) pairs.push([pct(k), pct(v)]);
    pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
    // RFC 5849 §3.4.1.2: the base string URI is the request's own (scheme, Host, path): this
    // server's, as the request was sent here (sil rewrites the token URL's origin before signing).
    const uri = `http://${String(headerOf(r, 'host')).toLowerCase()}${r.path}`;
    const base = ['POST', pct(uri), pct(pairs.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
    const expected = createHmac('sha256', `${pct(o.accessKeySecret)}&`).update(base).digest('base64');
    if (p.get('oauth_consumer_key') !== o.accessKeyId || p.get('oauth_signature') !== expected || sw.revoked) {
      return tokenError(401, 401300, 'Signature mismatch. Authorization signature or client credential is wrong.');
    }
    nonces.add(p.get('oauth_nonce')!);
    return null;
  };

  const token = (r: ReceivedRequest): MockAnswer => {
    const authorization = headerOf(r, 'authorization') ?? '';
    const seen: HereMock['tokenRequests'][number] = { status: 0, authorization };
    tokenRequests.push(seen);
    let answer: MockAnswer;
    if (r.method !== 'POST') answer = tokenError(405, 405002, 'Method not allowed.');
    else if (!String(headerOf(r, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) answer = tokenError(400, 400003, 'Content-Type header missing or invalid.');
    else if (new URLSearchParams(r.body.toString('utf8')).get('grant_type') !== 'client_credentials') answer = tokenError(400, 400203, 'Invalid value for grant_type.');
    else {
      const refused = checkSignature(r, authorization);
      if (refused) answer = refused;
      else {
        const t = `eyJhbGciOiJSUzUxMiJ9.${randomUUID()}.here`;
        const expiresIn = o.expiresIn ?? 86399;
        live.set(t, now() + expiresIn * 1000);
        issued.push(t);
        answer = { status: 200, body: { access_token: t, token_type: 'bearer', expires_in: expiresIn, scope: 'hrn:here:authorization::org123:project/sil-test' } };
      }
    }
    seen.status = answer.status;
    if (answer.status !== 200) seen.errorCode = (answer.body as { errorCode: number }).errorCode;
    return answer;
  };

  const unauthorized = (text: string): MockAnswer => ({ status: 401, body: { error: 'Unauthorized', error_description: text } });
  const authorize = (r: ReceivedRequest): MockAnswer | null => {
    const bearer = /^Bearer (\S+)$/.exec(headerOf(r, 'authorization') ?? '');
    if (bearer) {
      const until = live.get(bearer[1]);
      if (until === undefined || sw.revoked) return unauthorized('Token Validation Failure - invalid token');
      return until > now() ? null : unauthorized('Token Validation Failure - token expired');
    }
    const key = r.query.get('apiKey');
    if (key === null) return unauthorized('No credentials found');
    return key === o.apiKey && !sw.revoked ? null : unauthorized('apiKey invalid. apiKey not found.');
  };
  const badRequest = (cause: string): MockAnswer => ({ status: 400, body: { status: 400, title: 'Malformed request', code: 'E605001', cause, action: '', correlationId: randomUUID() } });
  const item = (title: string) => ({
    title, id: 'here:af:streetsection:abc123', resultType: 'houseNumber', houseNumberType: 'PA',
    address: { label: `${title}, 10115 Berlin, Deutschland`, countryCode: 'DEU', city: 'Berlin', street: 'Invalidenstraße', houseNumber: '116' },
    position: { lat: 52.53041, lng: 13.38527 }, scoring: { queryScore: 1 },
  });

  const handle = (r: ReceivedRequest): MockAnswer => {
    if (r.path === '/oauth2/token') return token(r);
    const refused = authorize(r);
    if (refused) return refused;
    if (sw.throttled(r)) return { status: 429, body: { error: 'Too Many Requests', error_description: 'Rate limit for this service has been reached' } };
    const q = r.query;
    if (r.method === 'GET' && r.path === '/v1/geocode') return q.get('q') || q.get('qq') ? { status: 200, body: { items: [item(q.get('q') ?? q.get('qq')!)] } } : badRequest("Missing required parameter 'q' or 'qq'");
    if (r.method === 'GET' && r.path === '/v1/revgeocode') return q.get('at') ? { status: 200, body: { items: [{ ...item('Invalidenstraße 116'), distance: 12 }] } } : badRequest("Missing required parameter 'at'");
    if (r.method === 'GET' && r.path === '/v1/discover') {
      return q.get('q') && (q.get('at') || q.get('in')) ? { status: 200, body: { items: [{ ...item(q.get('q')!), resultType: 'place', categories: [{ id: '100-1000-0000', name: 'Restaurant', primary: true }] }] } } : badRequest("Missing required parameter 'q' and 'at' or 'in'");
    }
    if (r.method === 'GET' && r.path === '/v8/routes') {
      if (!q.get('origin') || !q.get('destination') || !q.get('transportMode')) return badRequest("Missing required parameter 'origin', 'destination' or 'transportMode'");
      const [lat1, lng1] = q.get('origin')!.split(',').map(Number);
      const [lat2, lng2] = q.get('destination')!.split(',').map(Number);
      return {
        status: 200,
        body: { routes: [{ id: randomUUID(), sections: [{ id: randomUUID(), type: 'vehicle', departure: { place: { type: 'place', location: { lat: lat1, lng: lng1 } } }, arrival: { place: { type: 'place', location: { lat: lat2, lng: lng2 } } }, summary: { duration: 540, length: 6100, baseDuration: 480 }, transport: { mode: q.get('transportMode') } }] }] },
      };
    }
    return notFound(r);
  };
  const notFound = (r: ReceivedRequest): MockAnswer => ({ status: 404, body: { status: 404, title: 'Not Found', cause: `No route for ${r.method} ${r.path}`, correlationId: randomUUID() } });

  const received: ReceivedRequest[] = [];
  const servers: ProviderMock[] = [];
  const origins: Record<string, string> = {};
  for (const [origin, paths] of Object.entries(HOSTS)) {
    const server = await startMockServer((r) => {
      received.push(r);
      return paths.test(r.path) ? handle(r) : notFound(r);
    });
    servers.push(server);
    origins[origin] = server.url;
  }
  return {
    url: servers[0].url,
    received,
    origins,
    revoke: sw.revoke,
    throttle: sw.throttle,
    tokenRequests,
    issued,
    close: async () => {
      await Promise.all(servers.map((x) => x.close()));
    },
  };
}
