// providers/here.yaml against a HERE mock (test/mocks/providers/here.ts, one server for the
// search hosts, router.hereapi.com and account.api.here.com): the apiKey query parameter, the
// oauth option (client-credentials token request signed OAuth 1.0a HMAC-SHA256, recomputed by the
// mock; Bearer on the APIs), calls to the four service hosts through the pass-through door, HERE's
// error shapes, and both health checks (the billable geocode call; the oauth option's token
// check). HERE reports no usage in its answers (the template has no usage source), so there is
// no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startHereMock, type HereMock } from '../../mocks/providers/here.ts';
import { lastTo } from '../../mocks/providers/media-maps-shared.ts';
import { caught } from '../../helpers/caught.ts';

const API_KEY = 'AbC123dEf456GhI789jKl012MnO345pQr678StU901v';
const oauth = { accessKeyId: 'HERE-ACCESS-KEY-ID-0123', accessKeySecret: 'here/secret+with=chars&more' };
const OAUTH_HEADER = /^OAuth oauth_consumer_key="HERE-ACCESS-KEY-ID-0123", oauth_nonce="[^"]+", oauth_signature_method="HMAC-SHA256", oauth_timestamp="\d+", oauth_version="1.0", oauth_signature="[^"]+"$/;
const bindings = {
  'here-geocode': { protocol: 'http', service: 'geocode' }, 'here-revgeocode': { protocol: 'http', service: 'revgeocode' },
  'here-discover': { protocol: 'http', service: 'discover' }, 'here-routing': { protocol: 'http', service: 'routing' },
};

describe('here template', () => {
  let mock: HereMock;
  let hub: TemplateHub;
  let hubOAuth: TemplateHub;
  const origins = () => mock.origins;

  beforeAll(async () => {
    mock = await startHereMock({ apiKey: API_KEY, ...oauth });
    hub = await startTemplateHub({ template: 'here', origins: origins(), secret: { apiKey: API_KEY }, bindings });
    hubOAuth = await startTemplateHub({ template: 'here', authOption: 'oauth', origins: origins(), secret: oauth, bindings });
  });
  afterAll(async () => {
    await hubOAuth?.stop();
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: ?apiKey=<key>; a wrong key is refused with 401 {"error":"Unauthorized","error_description"}', async () => {
    const req = await renderForTemplate({ template: 'here', service: 'geocode', origins: origins(), secret: { apiKey: API_KEY }, query: { q: 'Invalidenstraße 116, Berlin' } });
    expect(req.url.origin + req.url.pathname).toBe(`${mock.origins['https://geocode.search.hereapi.com']}/v1/geocode`);
    expect(req.url.searchParams.get('apiKey')).toBe(API_KEY);
    expect(req.headers.Authorization).toBeUndefined();
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ items: [{ title: 'Invalidenstraße 116, Berlin', position: { lat: 52.53041, lng: 13.38527 } }] });

    const wrong = await sendRendered(await renderForTemplate({ template: 'here', service: 'geocode', origins: origins(), secret: { apiKey: 'NotTheKey000000000000000000000000000000000' }, query: { q: 'x' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'Unauthorized', error_description: 'apiKey invalid. apiKey not found.' });
  });

  it('auth contract: option oauth gets a Bearer token from /oauth2/token (client_credentials, signed OAuth 1.0a HMAC-SHA256); a wrong secret gets HERE\'s 401300 signature mismatch', async () => {
    const before = mock.tokenRequests.length;
    const req = await renderForTemplate({ template: 'here', authOption: 'oauth', service: 'routing', origins: origins(), secret: oauth, query: { transportMode: 'car', origin: '52.5308,13.3847', destination: '52.5264,13.3686', return: 'summary' } });
    // (the oauth hub's health probes request tokens too, so only what all of them share is checked)
    const token = mock.tokenRequests.slice(before);
    expect(token.length).toBeGreaterThan(0);
    for (const t of token) expect(t.authorization).toMatch(OAUTH_HEADER);
    expect(req.url.origin + req.url.pathname).toBe(`${mock.origins['https://router.hereapi.com']}/v8/routes`);
    expect(req.url.searchParams.has('apiKey')).toBe(false);
    expect(mock.issued).toContain(req.headers.Authorization.replace(/^Bearer /, ''));
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ routes: [{ sections: [{ summary: { length: 6100 }, transport: { mode: 'car' } }] }] });

    const beforeWrong = mock.tokenRequests.length;
    const err = await caught(renderForTemplate({ template: 'here', authOption: 'oauth', service: 'geocode', origins: origins(), secret: { ...oauth, accessKeySecret: 'not-the-secret' }, query: { q: 'x' } }));
    expect(err.code).toBe('SIL_AUTH_TOKEN');
    expect(err.message).toContain("answered 401: invalid_client (errorCode: '401300'. Signature mismatch.");
    expect(err.message).not.toContain('not-the-secret');
    expect(mock.tokenRequests.slice(beforeWrong)).toContainEqual(expect.objectContaining({ status: 401, errorCode: 401300 }));

    const forged = await sendRendered({ ...req, headers: { Authorization: 'Bearer eyJhbGciOiJSUzUxMiJ9.forged.here' } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: 'Unauthorized', error_description: 'Token Validation Failure - invalid token' });
  });

  it('via proxy: /bind/here-geocode, -revgeocode, -discover and -routing reach their hosts\' paths with the hub\'s apiKey', async () => {
    const calls: [string, string, RegExp | string][] = [
      ['/bind/here-geocode?q=Alexanderplatz', '/v1/geocode', 'Alexanderplatz'],
      ['/bind/here-revgeocode?at=52.5308,13.3847', '/v1/revgeocode', 'Invalidenstraße 116'],
      ['/bind/here-discover?q=restaurant&at=52.5308,13.3847', '/v1/discover', 'restaurant'],
    ];
    for (const [door, path, title] of calls) {
      const res = await hub.door(door);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: { title: string }[] }).items[0].title).toBe(title);
      expect(lastTo(mock.received, path).query.get('apiKey')).toBe(API_KEY);
    }
    const route = await hub.door('/bind/here-routing?transportMode=car&origin=52.5308,13.3847&destination=52.5264,13.3686&return=summary');
    expect(route.status).toBe(200);
    expect(await route.json()).toMatchObject({ routes: [{ sections: [{ arrival: { place: { location: { lat: 52.5264, lng: 13.3686 } } } }] }] });
    expect(lastTo(mock.received, '/v8/routes').query.get('apiKey')).toBe(API_KEY);

    const missing = await hub.door('/bind/here-routing?transportMode=car');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ status: 400, title: 'Malformed request', code: 'E605001' });
  });

  it('via proxy: option oauth: the token from /oauth2/token sent as Bearer to several hosts, no apiKey', async () => {
    const geo = await hubOAuth.door('/bind/here-geocode?q=Potsdamer+Platz');
    expect(geo.status).toBe(200);
    const route = await hubOAuth.door('/bind/here-routing?transportMode=pedestrian&origin=52.5308,13.3847&destination=52.5264,13.3686');
    expect(route.status).toBe(200);
    const g = mock.received.filter((r) => r.query.get('q') === 'Potsdamer Platz').at(-1)!;
    const r = mock.received.filter((x) => x.query.get('transportMode') === 'pedestrian').at(-1)!;
    expect(g.query.has('apiKey')).toBe(false);
    expect(g.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(mock.issued).toContain(String(g.headers.authorization).slice('Bearer '.length));
    expect(mock.issued).toContain(String(r.headers.authorization).slice('Bearer '.length));
  });

  it('via proxy: HERE\'s 429 {"error":"Too Many Requests"} reaches the caller', async () => {
    mock.throttle(/^\/v1\/discover$/);
    try {
      const limited = await hub.door('/bind/here-discover?q=cafe&at=52.5,13.4');
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({ error: 'Too Many Requests', error_description: 'Rate limit for this service has been reached' });
    } finally {
      mock.throttle(false);
    }
  });

  it('health check: the billable geocode call with ?apiKey= is ok; a revoked key makes it fail', async () => {
    expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
    expect(lastTo(mock.received, '/v1/geocode').query.get('q')).toBe('Invalidenstrasse 116, Berlin');

    mock.revoke();
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 401 });
    } finally {
      mock.revoke(false);
    }
  });

  it('health check: option oauth checks by obtaining a token (no billable call); a revoked access key makes it fail', async () => {
    const tokensBefore = mock.tokenRequests.length;
    expect(await hubOAuth.healthProbe()).toMatchObject({ ok: true });
    expect(mock.tokenRequests.length).toBeGreaterThan(tokensBefore);
    expect(mock.tokenRequests.at(-1)!.authorization).toMatch(OAUTH_HEADER);

    mock.revoke();
    try {
      const failed = await hubOAuth.healthProbe();
      expect(failed.ok).toBe(false);
      expect(failed.error).toMatch(/401/);
    } finally {
      mock.revoke(false);
    }
  });
});
