// The Microsoft Entra ID (login.microsoftonline.com) half of the Azure mock: the v2.0 token
// endpoint with the client-credentials grant, and the access tokens it issues (JWTs, signed here
// with the mock's own HS256 key so the ARM half can check them).
//
// Sources: learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
// (POST /{tenant}/oauth2/v2.0/token, application/x-www-form-urlencoded: client_id, scope =
// <resource>/.default, client_secret, grant_type=client_credentials; the secret may instead come
// as HTTP Basic per RFC 6749; success {token_type: "Bearer", expires_in, ext_expires_in,
// access_token}; error {error, error_description, error_codes, timestamp, trace_id,
// correlation_id, error_uri}), reference-error-codes (AADSTS900144 missing parameter, 70003
// unsupported grant, 90002 tenant not found, 700016 application not found, 7000218 no secret,
// 7000215 invalid secret, 1002012 scope without /.default); the 401 invalid_client answer as
// reported in OfficeDev/microsoft-365-agents-toolkit#8621.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { MockAnswer, ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';

export interface EntraApp {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface AccessClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  iat: number;
  nbf: number;
  exp: number;
  uti: string;
}

const KEY = Buffer.from('sil-mock-entra-signing-key-0001');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const sign = (data: string) => createHmac('sha256', KEY).update(data).digest('base64url');

export function issueToken(claims: AccessClaims): string {
  const head = `${b64({ typ: 'JWT', alg: 'HS256', kid: 'mock-1' })}.${b64(claims)}`;
  return `${head}.${sign(head)}`;
}

/** The claims of a token this mock signed, or undefined (not a JWT, or a bad signature). */
export function readToken(token: string): AccessClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const want = Buffer.from(sign(`${parts[0]}.${parts[1]}`));
  const got = Buffer.from(parts[2]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as AccessClaims;
  } catch {
    return undefined;
  }
}

function aadError(status: number, error: string, code: number, text: string): MockAnswer {
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

const missing = (name: string) => aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);

/** The path of the token endpoint, or undefined. */
export const tokenPathTenant = (path: string): string | undefined => /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path)?.[1];

/**
 * The token endpoint. `app.clientSecret` is what Entra holds now (rotate or delete it to revoke);
 * `onIssue` sees each token issued.
 */
export function tokenEndpoint(r: ReceivedRequest, app: EntraApp, expiresIn: number, onIssue: (token: string, claims: AccessClaims) => void): MockAnswer {
  const tenant = tokenPathTenant(r.path) ?? '';
  if (r.method !== 'POST') return aadError(400, 'invalid_request', 900561, 'The endpoint only accepts POST, OPTIONS requests. Received a GET request.');
  if (tenant !== app.tenantId) return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  const form = /^application\/x-www-form-urlencoded\b/i.test(String(r.headers['content-type'] ?? '')) ? new URLSearchParams(r.body.toString('utf8')) : new URLSearchParams();
  const grant = form.get('grant_type');
  if (grant === null) return missing('grant_type');
  if (grant !== 'client_credentials') return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic (.+)$/.exec(String(r.headers.authorization ?? ''));
  if (basic) {
    const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    clientId ??= decodeURIComponent(id.replace(/\+/g, ' '));
    secret ??= decodeURIComponent(rest.join(':').replace(/\+/g, ' '));
  }
  if (clientId === null) return missing('client_id');
  const scope = form.get('scope');
  if (scope === null) return missing('scope');
  if (!scope.endsWith('/.default') || scope.includes(' ')) {
    return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  if (clientId !== app.clientId) return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
  if (secret === null) return aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  if (secret !== app.clientSecret) {
    return aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
  }
  const now = Math.floor(Date.now() / 1000);
  const claims: AccessClaims = { aud: scope.slice(0, -'.default'.length), iss: `https://sts.windows.net/${tenant}/`, tid: tenant, appid: clientId, iat: now, nbf: now, exp: now + expiresIn, uti: randomUUID() };
  const token = issueToken(claims);
  onIssue(token, claims);
  return { status: 200, body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token } };
}
