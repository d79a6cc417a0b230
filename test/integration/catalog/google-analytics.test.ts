// providers/google-analytics.yaml against a GA4 mock (test/mocks/providers/google-analytics.ts)
// serving oauth2.googleapis.com (token_uri of the service-account key), analyticsdata.
// googleapis.com (Data API) and www.google-analytics.com (Measurement Protocol), all mapped with
// `origins:`. The mock makes an RS256 key pair (node:crypto) and verifies each JWT assertion.
// No usage test: the template declares no usage sources (the Data API's quota tokens come back
// as `propertyQuota` only when a request asks, and are not recorded as usage).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startGoogleAnalyticsMock, GOOGLE_TOKEN_URL, type GoogleAnalyticsMock } from '../../mocks/providers/google-analytics.ts';
import { SilError } from '../../../server/errors.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const REPORT = JSON.stringify({ dateRanges: [{ startDate: '7daysAgo', endDate: 'today' }], dimensions: [{ name: 'country' }], metrics: [{ name: 'activeUsers' }] });
const SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';
const EVENT = (name: string) => JSON.stringify({ client_id: '123456.7654321', events: [{ name, params: { value: 9.99, currency: 'EUR' } }] });

describe('google-analytics template', () => {
  let mock: GoogleAnalyticsMock;
  let hub: TemplateHub;
  let connection: { propertyId: string; measurementId: string };
  let secret: { serviceAccountKey: string; apiSecret: string };
  const origins = () => ({ 'https://oauth2.googleapis.com': mock.url, 'https://analyticsdata.googleapis.com': mock.url, 'https://www.google-analytics.com': mock.url });
  const last = (path: string) => mock.received.filter((r) => r.path === path).at(-1)!;

  beforeAll(async () => {
    mock = await startGoogleAnalyticsMock();
    connection = { propertyId: mock.propertyId, measurementId: mock.measurementId };
    secret = { serviceAccountKey: mock.keyFile, apiSecret: mock.apiSecret };
    hub = await startTemplateHub({
      template: 'google-analytics', connection, origins: origins(), secret,
      bindings: { reports: { protocol: 'http', service: 'reports' }, mp: { protocol: 'http', service: 'measurement-protocol' }, 'mp-debug': { protocol: 'http', service: 'mp-debug' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: RS256 JWT assertion (iss client_email, aud oauth2.googleapis.com/token, scope analytics.readonly) exchanged for a Bearer; a foreign key, a tampered signature and an unknown token are refused', async () => {
    const req = await renderForTemplate({ template: 'google-analytics', service: 'reports', connection, origins: origins(), secret, method: 'POST', headers: JSON_TYPE, body: REPORT });
    const exchange = mock.tokenRequests.at(-1)!;
    expect(exchange.status).toBe(200);
    expect(exchange.form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const assertion = exchange.form.get('assertion')!;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', typ: 'JWT', kid: '0f1e2d3c4b5a' });
    const claims = decodeJwt(assertion);
    expect(claims).toMatchObject({ iss: 'sil-hub@sil-analytics.iam.gserviceaccount.com', aud: GOOGLE_TOKEN_URL, scope: SCOPE });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(req.url.href).toBe(`${mock.url}/v1beta/properties/${mock.propertyId}:runReport`);
    expect(req.headers.Authorization).toBe(`Bearer ${mock.tokens.issued.at(-1)}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'analyticsData#runReport', dimensionHeaders: [{ name: 'country' }], metricHeaders: [{ name: 'activeUsers' }], rowCount: 1 });

    const foreign = await renderForTemplate({ template: 'google-analytics', service: 'reports', connection, origins: origins(), secret: { ...secret, serviceAccountKey: mock.foreignKeyFile }, method: 'POST', headers: JSON_TYPE, body: REPORT }).then(() => null, (e: unknown) => e);
    expect(foreign).toBeInstanceOf(SilError);
    expect((foreign as SilError).code).toBe('SIL_AUTH_TOKEN');
    expect((foreign as SilError).details).toMatchObject({ status: 400, error: 'invalid_grant' });

    const [head, body, sig] = assertion.split('.');
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    const tampered = await fetch(`${mock.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${head}.${body}.${flipped}` }) });
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });

    const forged = await sendRendered({ ...req, headers: { ...req.headers, Authorization: 'Bearer ya29.forged' } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });

  it('auth contract: Measurement Protocol sends measurement_id + api_secret as query parameters and no Authorization; a wrong secret gets the documented 2xx but nothing is recorded', async () => {
    const render = (apiSecret: string) => renderForTemplate({ template: 'google-analytics', service: 'measurement-protocol', connection, origins: origins(), secret: { ...secret, apiSecret }, method: 'POST', headers: JSON_TYPE, body: EVENT('purchase') });
    const req = await render(mock.apiSecret);
    expect(req.url.href).toBe(`${mock.url}/mp/collect?measurement_id=${mock.measurementId}&api_secret=${mock.apiSecret}`);
    expect(Object.keys(req.headers).map((h) => h.toLowerCase())).toEqual(['content-type']);
    const before = mock.collected.length;
    expect((await sendRendered(req)).status).toBe(204);
    expect(mock.collected.slice(before)).toEqual([{ client_id: '123456.7654321', name: 'purchase', params: { value: 9.99, currency: 'EUR' } }]);

    const wrong = await sendRendered(await render('not-the-secret'));
    expect(wrong.status).toBe(204);
    expect(mock.collected.length).toBe(before + 1);
  });

  it('via proxy: POST /bind/reports runs runReport with one cached token (propertyQuota on request), POST /bind/mp records an event, POST /bind/mp-debug validates one', async () => {
    const tokensBefore = mock.tokenRequests.length;
    const res = await hub.door('/bind/reports', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ ...JSON.parse(REPORT), returnPropertyQuota: true }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rows: [{ dimensionValues: [{ value: 'Malta' }], metricValues: [{ value: '42' }] }], propertyQuota: { tokensPerDay: { consumed: 10 } } });
    const seen = last(`/v1beta/properties/${mock.propertyId}:runReport`);
    expect(seen.headers.authorization).toMatch(/^Bearer ya29\.mock-/);
    expect(mock.tokens.check(seen.headers.authorization!.slice(7))).toBeDefined();
    expect((await hub.door('/bind/reports', { method: 'POST', headers: JSON_TYPE, body: REPORT })).status).toBe(200);
    expect(mock.tokenRequests.length - tokensBefore).toBeLessThanOrEqual(1);

    const before = mock.collected.length;
    const mp = await hub.door('/bind/mp', { method: 'POST', headers: JSON_TYPE, body: EVENT('sign_up') });
    expect(mp.status).toBe(204);
    expect(mock.collected.slice(before).map((e) => e.name)).toEqual(['sign_up']);
    const collect = last('/mp/collect');
    expect(collect.query.get('api_secret')).toBe(mock.apiSecret);
    expect(collect.headers.authorization).toBeUndefined();

    const debug = await hub.door('/bind/mp-debug', { method: 'POST', headers: JSON_TYPE, body: EVENT('_badEventName') });
    expect(debug.status).toBe(200);
    expect(await debug.json()).toEqual({ validationMessages: [{ fieldPath: 'events', description: 'Event at index: [0] has invalid name [_badEventName]. Names must start with an alphabetic character.', validationCode: 'NAME_INVALID' }] });
  });

  it('via proxy: Google\'s error objects reach the caller (429 RESOURCE_EXHAUSTED)', async () => {
    mock.throttle(true);
    try {
      const limited = await hub.door('/bind/reports', { method: 'POST', headers: JSON_TYPE, body: REPORT });
      expect(limited.status).toBe(429);
      expect(await limited.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
    } finally {
      mock.throttle(false);
    }
  });

  it('health check: GET /v1beta/properties/{id}/metadata with the service-account token passes; a disabled key (its tokens revoked) fails it', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = last(`/v1beta/properties/${mock.propertyId}/metadata`);
    expect(mock.tokens.check(probe.headers.authorization?.replace(/^Bearer /, ''))).toBeDefined();

    mock.disableKey();
    const failed = await hub.healthProbe();
    expect(failed.ok).toBe(false);
    expect(failed.status === 401 || /SIL_AUTH_TOKEN/.test(failed.error ?? '')).toBe(true);
  });
});
