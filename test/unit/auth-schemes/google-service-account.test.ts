// google-service-account with the google-cloud and google-analytics catalog templates. The
// test makes an RS256 key pair, puts the private key (PKCS#8 PEM) in a service-account JSON key
// file, and runs a token endpoint on 127.0.0.1 (oauth2.googleapis.com routed there) that
// verifies the JWT assertion with jose against the public key, as Google does, and an API that
// takes only the tokens it issued while they live.
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportPKCS8, generateKeyPair, type CryptoKey } from 'jose';
import type { AuthGoogleServiceAccount, ProviderTemplate } from '../../../schemas/types.gen.ts';
import { loadCatalog } from '../../../server/config/catalog.ts';
import { createAuthDeps, invalidateAuth, prepareAuth, renderRequestWithAuth, type AuthDeps, type TokenAuthContext } from '../../../server/auth-schemes/async-registry.ts';
import type { RequestParts } from '../../../server/auth-schemes/types.ts';
import { SilError } from '../../../server/errors.ts';
import { loopbackFetch, type LoopbackFetch } from '../../helpers/loopback-fetch.ts';
import { startOAuthProviderMock, type OAuthProviderMock } from '../../helpers/oauth-provider-mock.ts';
import { caught } from '../../helpers/caught.ts';

const { catalog } = loadCatalog();
const T0 = Date.UTC(2026, 4, 20, 8, 0, 0);
const EMAIL = 'sil-hub@my-project-123.iam.gserviceaccount.com';
const CLOUD = 'https://www.googleapis.com/auth/cloud-platform';

let publicKey: CryptoKey;
let pem: string;
let otherPem: string;

function keyFile(privateKey: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'my-project-123',
    private_key_id: 'a1b2c3d4e5f6',
    private_key: privateKey,
    client_email: EMAIL,
    client_id: '109876543210987654321',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    ...extra,
  });
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  publicKey = pair.publicKey;
  pem = await exportPKCS8(pair.privateKey);
  otherPem = await exportPKCS8((await generateKeyPair('RS256', { extractable: true })).privateKey);
});

function template(id: string): ProviderTemplate & { id: string } {
  return catalog.get(id)!;
}

const mocks: OAuthProviderMock[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});

interface Setup { mock: OAuthProviderMock; net: LoopbackFetch; deps: AuthDeps; advance: (s: number) => void; ctx: (key?: string) => TokenAuthContext }

async function setup(id: string, scope: string, origins: string[], options: { subject?: string; connection?: Record<string, string>; tokenOrigin?: string } = {}): Promise<Setup> {
  let t = T0;
  const now = () => t;
  const tokenOrigin = options.tokenOrigin ?? 'https://oauth2.googleapis.com';
  const mock = await startOAuthProviderMock({ clientAuth: 'jwt-bearer', tokenPath: '/token', publicTokenUrl: `${tokenOrigin}/token`, jwt: { publicKey, issuer: EMAIL, scope, subject: options.subject }, expiresIn: 3599, now });
  mocks.push(mock);
  const net = loopbackFetch();
  for (const o of [tokenOrigin, ...origins]) net.route(o, mock.url);
  const deps = createAuthDeps({ fetch: net.fetch, now });
  const ctx = (key = keyFile(pem)): TokenAuthContext => ({ providerId: id, keyId: 'sa-1', connection: { projectId: 'my-project-123', propertyId: '123456789', measurementId: 'G-ABC123', ...options.connection }, secret: { serviceAccountKey: key, apiSecret: 'mp-secret' }, now: () => new Date(t) });
  return { mock, net, deps, advance: (s) => void (t += s * 1000), ctx };
}

async function get(s: Setup, req: Promise<RequestParts>): Promise<{ sent: RequestParts; status: number }> {
  const sent = await req;
  const res = await s.net.fetch(sent.url, { method: sent.method, headers: sent.headers, body: sent.body as RequestInit['body'] });
  await res.arrayBuffer();
  return { sent, status: res.status };
}


describe('google-cloud', () => {
  const healthCheck = (s: Setup, key?: string) => {
    const t = template('google-cloud');
    const hc = t.healthCheck!;
    return renderRequestWithAuth({ baseUrl: hc.baseUrl!, path: hc.path, method: hc.method, auth: t.auth }, s.ctx(key), s.deps);
  };

  it('the health check gets a token with a JWT assertion the endpoint verifies, and passes', async () => {
    const s = await setup('google-cloud', CLOUD, ['https://cloudresourcemanager.googleapis.com']);
    const { sent, status } = await get(s, healthCheck(s));
    expect(status).toBe(200);
    expect(s.net.calls.map((u) => u.href)).toEqual(['https://oauth2.googleapis.com/token', 'https://cloudresourcemanager.googleapis.com/v1/projects/my-project-123']);
    expect(sent.headers.Authorization).toBe(`Bearer ${s.mock.issued[0]}`);
    const form = s.mock.tokenRequests[0].form;
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const assertion = form.get('assertion')!;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'a1b2c3d4e5f6' });
    expect(decodeJwt(assertion)).toEqual({ iss: EMAIL, scope: CLOUD, aud: 'https://oauth2.googleapis.com/token', iat: T0 / 1000, exp: T0 / 1000 + 3600 });
  });

  it('caches the token about an hour (expires_in 3599, refreshed 60 s ahead)', async () => {
    const s = await setup('google-cloud', CLOUD, ['https://cloudresourcemanager.googleapis.com']);
    await get(s, healthCheck(s));
    s.advance(3599 - 61);
    expect((await get(s, healthCheck(s))).status).toBe(200);
    expect(s.mock.tokenRequests).toHaveLength(1);
    s.advance(2);
    expect((await get(s, healthCheck(s))).status).toBe(200);
    expect(s.mock.tokenRequests).toHaveLength(2);
    // The new assertion is stamped with the new time.
    expect(decodeJwt(s.mock.tokenRequests[1].form.get('assertion')!).iat).toBe(T0 / 1000 + 3599 - 59);
  });

  it('services on other hosts share the token; a 401 invalidates it', async () => {
    const s = await setup('google-cloud', CLOUD, ['https://compute.googleapis.com', 'https://storage.googleapis.com']);
    const t = template('google-cloud');
    const call = (id: string) => {
      const svc = t.services.find((x) => x.id === id)!;
      return get(s, renderRequestWithAuth({ baseUrl: svc.baseUrl!, path: svc.path, auth: t.auth, caller: { path: 'zones' } }, s.ctx(), s.deps));
    };
    const first = await call('compute');
    expect(first.sent.url.href).toBe('https://compute.googleapis.com/compute/v1/projects/my-project-123/zones');
    expect((await call('storage')).status).toBe(200);
    expect(s.mock.tokenRequests).toHaveLength(1);
    s.mock.revoke(s.mock.issued[0]);
    const refused = await call('storage');
    expect(refused.status).toBe(401);
    expect(invalidateAuth(t.auth, refused.sent, s.ctx(), s.deps)).toBe(true);
    expect((await call('storage')).status).toBe(200);
    expect(s.mock.tokenRequests).toHaveLength(2);
  });

  it('a key the endpoint does not know (another key pair) is refused: SIL_AUTH_TOKEN invalid_grant', async () => {
    const s = await setup('google-cloud', CLOUD, ['https://cloudresourcemanager.googleapis.com']);
    const err = await caught(healthCheck(s, keyFile(otherPem)));
    expect(err.code).toBe('SIL_AUTH_TOKEN');
    expect(err.details).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('reads a PKCS#1 private key too, and uses the key file token_uri when the scheme has no tokenUrl', async () => {
    const s = await setup('google-cloud', CLOUD, ['https://cloudresourcemanager.googleapis.com'], { tokenOrigin: 'https://oauth2.sovereign.example' });
    const pkcs1 = createPrivateKey(pem).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    const { status } = await get(s, healthCheck(s, keyFile(pkcs1, { token_uri: 'https://oauth2.sovereign.example/token' })));
    expect(status).toBe(200);
    expect(s.net.calls[0].href).toBe('https://oauth2.sovereign.example/token');
  });

  it('a key file that is not a service-account key is SIL_AUTH_MISSING_SECRET, and no message repeats it', async () => {
    const s = await setup('google-cloud', CLOUD, []);
    const cases: [string, string][] = [
      ['{"private_key": "-----BEGIN PRIVATE', 'is not JSON'],
      [keyFile(pem, { type: 'authorized_user' }), 'is of type "authorized_user", not service_account'],
      [keyFile(pem, { client_email: undefined }), 'has no client_email'],
      [keyFile('-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n'), 'has a private_key that is not a readable PEM private key'],
    ];
    for (const [key, why] of cases) {
      const err = await caught(healthCheck(s, key));
      expect(err.code).toBe('SIL_AUTH_MISSING_SECRET');
      expect(err.message).toBe(`auth google-service-account: the service-account key (\${secret.serviceAccountKey}) ${why}`);
    }
    expect(s.net.calls).toHaveLength(0);
  });
});

describe('google-analytics', () => {
  it('reports use the service account (analytics.readonly); the Measurement Protocol its query secret', async () => {
    const s = await setup('google-analytics', 'https://www.googleapis.com/auth/analytics.readonly', ['https://analyticsdata.googleapis.com', 'https://www.google-analytics.com']);
    const t = template('google-analytics');
    const reports = t.services.find((x) => x.id === 'reports')!;
    const report = await get(s, renderRequestWithAuth({ baseUrl: t.baseUrl, path: reports.path, method: 'POST', body: new TextEncoder().encode('{"dateRanges":[{"startDate":"7daysAgo","endDate":"today"}]}'), caller: { headers: { 'content-type': 'application/json' } }, auth: t.auth }, s.ctx(), s.deps));
    expect(report.sent.url.href).toBe('https://analyticsdata.googleapis.com/v1beta/properties/123456789:runReport');
    expect(report.status).toBe(200);
    const mp = t.services.find((x) => x.id === 'mp-debug')!;
    const debug = await renderRequestWithAuth({ baseUrl: mp.baseUrl!, path: mp.path, method: 'POST', auth: mp.auth }, s.ctx(), s.deps);
    expect(debug.url.href).toBe('https://www.google-analytics.com/debug/mp/collect?measurement_id=G-ABC123&api_secret=mp-secret');
    expect(debug.headers.Authorization).toBeUndefined();
    expect(s.mock.tokenRequests).toHaveLength(1);
  });

  it('subject (domain-wide delegation) goes into the assertion as sub', async () => {
    const scope = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
    const s = await setup('google-analytics', scope, ['https://admin.googleapis.com'], { subject: 'admin@example.com' });
    const scheme: AuthGoogleServiceAccount = { type: 'google-service-account', serviceAccountKey: '${secret.serviceAccountKey}', scopes: [scope], subject: 'admin@example.com' };
    const { status } = await get(s, prepareAuth(scheme, { method: 'GET', url: new URL('https://admin.googleapis.com/admin/directory/v1/users'), headers: {} }, s.ctx(), s.deps));
    expect(status).toBe(200);
    expect(decodeJwt(s.mock.tokenRequests[0].form.get('assertion')!).sub).toBe('admin@example.com');
  });
});
