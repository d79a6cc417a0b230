// Google Analytics 4 mock: Google's OAuth 2.0 token endpoint (service-account JWT bearer), the
// GA4 Data API v1beta and the Measurement Protocol, after developers.google.com identity/protocols/
// oauth2/service-account ("Preparing to make an authorized API call", error codes), analytics/
// devguides/reporting/data/v1 (runReport, getMetadata, quotas) and analytics/devguides/collection/
// protocol/ga4 (sending events, validating events):
// - POST /token (oauth2.googleapis.com): form `grant_type=urn:ietf:params:oauth:grant-type:
//   jwt-bearer&assertion=<JWT>`; the JWT is RS256-signed by the service account's private key
//   (verified here with node:crypto against its public key), iss = client_email, aud =
//   https://oauth2.googleapis.com/token, scope = space-separated scopes, exp - iat ≤ 3600 s.
//   200 `{access_token, expires_in: 3599, token_type: "Bearer"}`; 400 `{error: "invalid_grant",
//   error_description: "Invalid JWT Signature."}` (and the other documented descriptions),
//   `unsupported_grant_type`;
// - Data API (analyticsdata.googleapis.com/v1beta): Bearer access token with the
//   analytics.readonly (or analytics) scope. Errors are Google's `{error: {code, message,
//   status}}`: 401 UNAUTHENTICATED, 403 PERMISSION_DENIED (scope, property), 429
//   RESOURCE_EXHAUSTED. runReport → `{dimensionHeaders, metricHeaders, rows, rowCount, metadata,
//   kind}` (+ `propertyQuota` when `returnPropertyQuota` is true); metadata → `{name, dimensions,
//   metrics}`. No rate-limit headers (quota is in the body);
// - Measurement Protocol (www.google-analytics.com): POST /mp/collect?measurement_id&api_secret
//   answers 204 whatever it gets (no HTTP errors, documented); events with a wrong secret are
//   dropped, so `collected` is the observable. /debug/mp/collect answers `{validationMessages}`
//   and, as documented, does not check api_secret.
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { startMockServer, bodyJson, bodyText, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import { bearerToken, mediaType, same, TokenStore } from './analytics-search-shared.ts';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const READ_SCOPES = ['https://www.googleapis.com/auth/analytics.readonly', 'https://www.googleapis.com/auth/analytics'];

export interface GoogleAnalyticsMockOptions { clientEmail?: string; propertyId?: string; measurementId?: string; apiSecret?: string; now?: () => number }

export interface GoogleAnalyticsMock extends ProviderMock {
  propertyId: string;
  measurementId: string;
  apiSecret: string;
  /** A service-account JSON key file whose key the token endpoint knows. */
  keyFile: string;
  /** The same account with a private key Google does not know (a deleted or foreign key). */
  foreignKeyFile: string;
  tokens: TokenStore;
  tokenRequests: { form: URLSearchParams; status: number; error?: string }[];
  /** Measurement Protocol events accepted (right measurement id and secret). */
  collected: { client_id: string; name: string; params?: Record<string, unknown> }[];
  /** Disables the service-account key (token requests get invalid_grant) and revokes its tokens. */
  disableKey(): void;
  /** While on, runReport answers 429 RESOURCE_EXHAUSTED (property tokens used up). */
  throttle(on: boolean): void;
}

export function serviceAccountKeyFile(privateKeyPem: string, clientEmail: string): string {
  return JSON.stringify({ type: 'service_account', project_id: 'sil-analytics', private_key_id: '0f1e2d3c4b5a', private_key: privateKeyPem, client_email: clientEmail, client_id: '100000000000000000001', token_uri: GOOGLE_TOKEN_URL });
}

/** An RS256 compact JWS checked against `key`: its header and claims, or why it is refused. */
function verifyRs256(jwt: string, key: KeyObject): { claims: Record<string, unknown> } | { why: string } {
  const parts = jwt.split('.');
  if (parts.length !== 3) return { why: 'Invalid JWT: malformed' };
  try {
    const head = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
    if (head.alg !== 'RS256') return { why: 'Invalid JWT Signature.' };
    if (!verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'))) return { why: 'Invalid JWT Signature.' };
    return { claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown> };
  } catch {
    return { why: 'Invalid JWT: malformed' };
  }
}

const googleError = (code: number, status: string, message: string): MockAnswer => ({ status: code, body: { error: { code, message, status } } });

export async function startGoogleAnalyticsMock(o: GoogleAnalyticsMockOptions = {}): Promise<GoogleAnalyticsMock> {
  const now = o.now ?? Date.now;
  const clientEmail = o.clientEmail ?? 'sil-hub@sil-analytics.iam.gserviceaccount.com';
  const propertyId = o.propertyId ?? '123456789';
  const measurementId = o.measurementId ?? 'G-SIL0TEST1';
  const apiSecret = o.apiSecret ?? 'mp-Secret_0123456789';
  const pem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let publicKey: KeyObject | undefined = pair.publicKey;
  let throttled = false;
  const tokens = new TokenStore('ya29.mock-', now);
  const tokenRequests: GoogleAnalyticsMock['tokenRequests'] = [];
  const collected: GoogleAnalyticsMock['collected'] = [];
  let consumed = 0;

  const token = (r: ReceivedRequest): MockAnswer => {
    const form = new URLSearchParams(mediaType(r) === 'application/x-www-form-urlencoded' ? bodyText(r) : '');
    const seen: GoogleAnalyticsMock['tokenRequests'][number] = { form, status: 200 };
    tokenRequests.push(seen);
    const refuse = (error: string, error_description: string): MockAnswer => {
      Object.assign(seen, { status: 400, error });
      return { status: 400, body: { error, error_description } };
    };
    if (r.method !== 'POST' || mediaType(r) !== 'application/x-www-form-urlencoded') return refuse('invalid_request', 'Required parameter is missing: grant_type');
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return refuse('unsupported_grant_type', `Invalid grant_type: ${form.get('grant_type') ?? ''}`);
    if (!publicKey) return refuse('invalid_grant', 'Invalid JWT Signature.');
    const checked = verifyRs256(form.get('assertion') ?? '', publicKey);
    if ('why' in checked) return refuse('invalid_grant', checked.why);
    const c = checked.claims;
    if (c.iss !== clientEmail) return refuse('invalid_grant', 'Invalid grant: account not found');
    if (c.aud !== GOOGLE_TOKEN_URL) return refuse('invalid_grant', 'Invalid JWT: Failed audience check.');
    const t = now() / 1000;
    if (typeof c.iat !== 'number' || typeof c.exp !== 'number' || c.exp - c.iat > 3600 || c.iat > t + 300 || c.exp < t) {
      return refuse('invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    }
    if (typeof c.scope !== 'string' || c.scope === '') return refuse('invalid_scope', 'Empty or missing scope not allowed.');
    return { status: 200, body: { access_token: tokens.issue(3599, c.scope), expires_in: 3599, token_type: 'Bearer' } };
  };

  const dataApi = (r: ReceivedRequest): MockAnswer => {
    const live = tokens.check(bearerToken(r));
    if (!live) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.');
    if (!live.scope.split(' ').some((s) => READ_SCOPES.includes(s))) return googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.');
    const m = /^\/v1beta\/properties\/([0-9]+)(:runReport|\/metadata)$/.exec(r.path);
    if (!m) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
    if (m[1] !== propertyId) return googleError(403, 'PERMISSION_DENIED', 'User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.');
    if (m[2] === '/metadata') {
      if (r.method !== 'GET') return googleError(405, 'INVALID_ARGUMENT', 'Method not allowed');
      return { status: 200, body: { name: `properties/${propertyId}/metadata`, dimensions: [{ apiName: 'country', uiName: 'Country', category: 'Geography' }, { apiName: 'date', uiName: 'Date', category: 'Time' }], metrics: [{ apiName: 'activeUsers', uiName: 'Active users', type: 'TYPE_INTEGER', category: 'User' }] } };
    }
    if (r.method !== 'POST') return googleError(405, 'INVALID_ARGUMENT', 'Method not allowed');
    // Quota tokens are charged by reports, not by getMetadata.
    if (throttled) return googleError(429, 'RESOURCE_EXHAUSTED', 'Exhausted property tokens per hour. These quota tokens will return in under an hour. To learn more, see https://developers.google.com/analytics/devguides/reporting/data/v1/quotas');
    const q = bodyJson(r) as { dimensions?: { name: string }[]; metrics?: { name: string }[]; returnPropertyQuota?: boolean } | undefined;
    if (!q || !Array.isArray(q.metrics) || q.metrics.length === 0) return googleError(400, 'INVALID_ARGUMENT', 'Must specify at least one metric.');
    consumed += 10;
    const dims = q.dimensions ?? [];
    const rows = [{ dimensionValues: dims.map(() => ({ value: 'Malta' })), metricValues: q.metrics.map(() => ({ value: '42' })) }];
    const quota = (limit: number) => ({ consumed: 10, remaining: limit - consumed });
    return { status: 200, body: { dimensionHeaders: dims.map((d) => ({ name: d.name })), metricHeaders: q.metrics.map((x) => ({ name: x.name, type: 'TYPE_INTEGER' })), rows, rowCount: rows.length, metadata: { currencyCode: 'EUR', timeZone: 'Europe/Malta' }, kind: 'analyticsData#runReport', ...(q.returnPropertyQuota ? { propertyQuota: { tokensPerDay: quota(200000), tokensPerHour: quota(40000), concurrentRequests: { consumed: 0, remaining: 10 }, serverErrorsPerProjectPerHour: { consumed: 0, remaining: 10 }, potentiallyThresholdedRequestsPerHour: { consumed: 0, remaining: 120 }, tokensPerProjectPerHour: quota(14000) } } : {}) } };
  };

  const measurement = (r: ReceivedRequest, debug: boolean): MockAnswer => {
    const body = bodyJson(r) as { client_id?: string; events?: { name?: string; params?: Record<string, unknown> }[] } | undefined;
    const messages: { fieldPath: string; description: string; validationCode: string }[] = [];
    if (!body || typeof body.client_id !== 'string' || body.client_id === '') messages.push({ fieldPath: 'client_id', description: 'Measurement requires a client_id.', validationCode: 'VALUE_REQUIRED' });
    (body?.events ?? []).forEach((e, i) => {
      if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(e?.name ?? '')) messages.push({ fieldPath: 'events', description: `Event at index: [${i}] has invalid name [${e?.name ?? ''}]. Names must start with an alphabetic character.`, validationCode: 'NAME_INVALID' });
    });
    if (debug) return { status: 200, body: { validationMessages: messages } };
    // Production never reports an error: a wrong secret or a malformed event is dropped silently.
    if (messages.length === 0 && same(r.query.get('measurement_id') ?? '', measurementId) && same(r.query.get('api_secret') ?? '', apiSecret)) {
      for (const e of body!.events ?? []) collected.push({ client_id: body!.client_id!, name: e.name!, params: e.params });
    }
    return { status: 204 };
  };

  const mock = await startMockServer((r) => {
    if (r.path === '/token') return token(r);
    if (r.path === '/mp/collect' && r.method === 'POST') return measurement(r, false);
    if (r.path === '/debug/mp/collect' && r.method === 'POST') return measurement(r, true);
    return dataApi(r);
  });
  return {
    ...mock,
    propertyId,
    measurementId,
    apiSecret,
    keyFile: serviceAccountKeyFile(pem(pair.privateKey), clientEmail),
    foreignKeyFile: serviceAccountKeyFile(pem(foreign.privateKey), clientEmail),
    tokens,
    tokenRequests,
    collected,
    disableKey: () => {
      publicKey = undefined;
      tokens.revokeAll();
    },
    throttle: (on) => void (throttled = on),
  };
}
