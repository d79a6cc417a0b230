// Google Cloud mock on 127.0.0.1: the OAuth 2.0 token endpoint (oauth2.googleapis.com/token) and
// the APIs the template names (cloudresourcemanager, compute, storage, bigquery, www.googleapis.com)
// on one server — their paths do not overlap. The token endpoint verifies the service account's
// JWT bearer assertion as Google documents it (developers.google.com/identity/protocols/oauth2/service-account
// "Preparing to make an authorized API call"): POST form grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer
// and assertion=<JWT>; header {"alg":"RS256","typ":"JWT"}; claims iss = client_email, scope, aud =
// https://oauth2.googleapis.com/token, iat, exp at most one hour later; RS256 signature checked with
// node:crypto against the key pair's public key. Answer {access_token, expires_in: 3599, token_type:
// Bearer}; refusals 400 {"error":"invalid_grant","error_description":...}. APIs take only live
// tokens it issued (else 401 UNAUTHENTICATED with WWW-Authenticate, cloud.google.com/apis/design/errors);
// quota errors are 429 RESOURCE_EXHAUSTED. Google sends no rate-limit headers.
import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { errorInfo, googleError } from './h2-google.ts';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface GoogleCloudMockOptions { publicKey: KeyObject; clientEmail: string; projectId: string; scope?: string }

export interface GoogleCloudMock extends ProviderMock {
  /** Access tokens issued, in order. */
  issued: string[];
  /** The form of each token request. */
  tokenRequests: URLSearchParams[];
  /** Disable the service account: no new token, and the issued ones stop working. */
  disable(on?: boolean): void;
  /** Forget the issued access tokens (as if they expired): the APIs answer 401 until a new one is fetched. */
  expireTokens(): void;
  /** The next API call whose path starts with `path` answers 429 RESOURCE_EXHAUSTED. */
  throttleNext(path: string): void;
}

const grantError = (error: string, description: string): MockAnswer => ({ status: 400, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { error, error_description: description } });

function b64json(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function startGoogleCloudMock(o: GoogleCloudMockOptions): Promise<GoogleCloudMock> {
  const scope = o.scope ?? 'https://www.googleapis.com/auth/cloud-platform';
  const issued: string[] = [];
  const live = new Map<string, number>(); // token → expiry (ms)
  const tokenRequests: URLSearchParams[] = [];
  let disabled = false;
  let throttle: string | null = null;

  function token(r: ReceivedRequest): MockAnswer {
    const form = new URLSearchParams(r.body.toString('utf8'));
    tokenRequests.push(form);
    if (r.method !== 'POST' || !String(r.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return grantError('invalid_request', 'Bad Request');
    if (form.get('grant_type') !== JWT_BEARER) return grantError('unsupported_grant_type', `Invalid grant_type: ${form.get('grant_type') ?? ''}`);
    const parts = (form.get('assertion') ?? '').split('.');
    const header = b64json(parts[0]);
    const claims = b64json(parts[1]);
    if (parts.length !== 3 || !header || !claims) return grantError('invalid_grant', 'Invalid JWT: the assertion is not a JWS.');
    if (header.alg !== 'RS256') return grantError('invalid_grant', 'Invalid JWT: only RS256 is accepted.');
    const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), o.publicKey, Buffer.from(parts[2]!, 'base64url'));
    if (!signed) return grantError('invalid_grant', 'Invalid JWT Signature.');
    if (claims.iss !== o.clientEmail || disabled) return grantError('invalid_grant', 'Invalid grant: account not found');
    if (claims.aud !== GOOGLE_TOKEN_URL) return grantError('invalid_grant', 'Invalid JWT: Failed audience check.');
    const now = Date.now() / 1000;
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp <= now || iat > now + 300 || exp - iat > 3600) {
      return grantError('invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    }
    if (!String(claims.scope ?? '').split(' ').includes(scope)) return grantError('invalid_scope', `the assertion does not ask for ${scope}`);
    const accessToken = `ya29.c.${randomBytes(24).toString('base64url')}`;
    issued.push(accessToken);
    live.set(accessToken, Date.now() + 3599_000);
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
  }

  function api(r: ReceivedRequest): MockAnswer {
    const p = o.projectId;
    if (r.method !== 'GET') return googleError(405, 'METHOD_NOT_ALLOWED', `the mock serves GET only, not ${r.method}`);
    if (r.path === `/v1/projects/${p}`) {
      return { status: 200, body: { projectNumber: '415104041262', projectId: p, lifecycleState: 'ACTIVE', name: 'My Project', createTime: '2024-03-01T09:00:00.000Z' } };
    }
    if (/^\/v1\/projects\/[^/]+$/.test(r.path)) return googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    if (r.path === `/compute/v1/projects/${p}/zones`) {
      return { status: 200, body: { kind: 'compute#zoneList', id: `projects/${p}/zones`, items: [{ kind: 'compute#zone', id: '2231', name: 'europe-west1-b', region: `https://www.googleapis.com/compute/v1/projects/${p}/regions/europe-west1`, status: 'UP' }], selfLink: `https://www.googleapis.com/compute/v1/projects/${p}/zones` } };
    }
    if (r.path === '/storage/v1/b') {
      if (r.query.get('project') !== p) return googleError(400, 'INVALID_ARGUMENT', 'Required parameter: project');
      return { status: 200, body: { kind: 'storage#buckets', items: [{ kind: 'storage#bucket', id: `${p}-assets`, name: `${p}-assets`, location: 'EU', storageClass: 'STANDARD' }] } };
    }
    if (r.path === `/bigquery/v2/projects/${p}/datasets`) {
      return { status: 200, body: { kind: 'bigquery#datasetList', etag: 'Xy1Z', datasets: [{ kind: 'bigquery#dataset', id: `${p}:billing_export`, datasetReference: { datasetId: 'billing_export', projectId: p }, location: 'EU' }] } };
    }
    if (r.path === '/oauth2/v3/userinfo' || r.path === '/oauth2/v1/tokeninfo') return { status: 200, body: { email: o.clientEmail, email_verified: true, scope } };
    return googleError(404, 'NOT_FOUND', `no such resource: ${r.path}`);
  }

  const mock = await startMockServer((r) => {
    if (r.path === '/token') return token(r);
    const auth = String(r.headers.authorization ?? '');
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const expires = live.get(given);
    if (disabled || expires === undefined || expires < Date.now()) {
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.', undefined, { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' });
    }
    if (throttle !== null && r.path.startsWith(throttle)) {
      throttle = null;
      return googleError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'cloudresourcemanager.googleapis.com'.", [errorInfo('RATE_LIMIT_EXCEEDED', 'cloudresourcemanager.googleapis.com')]);
    }
    return api(r);
  });
  return Object.assign(mock, { issued, tokenRequests, disable: (on = true) => void (disabled = on), expireTokens: () => live.clear(), throttleNext: (path: string) => void (throttle = path) });
}
