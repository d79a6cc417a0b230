// Azure mock: Microsoft Entra ID's token endpoint (azure-entra.ts) and Azure Resource Manager
// (https://management.azure.com) on one loopback server; the paths do not overlap, so both
// origins map to it.
//
// ARM sources: learn.microsoft.com/rest/api/azure (Authorization: Bearer <Entra token> whose aud
// is https://management.azure.com/ or https://management.core.windows.net/; api-version on
// every call; error {"error": {"code", "message"}}), Subscriptions - List (2022-12-01: value[],
// count), Cost Management Query - Usage (2023-03-01: properties.columns / rows),
// MicrosoftDocs/azure-docs azure-resource-manager/management/request-limits-and-throttling.md
// (x-ms-ratelimit-remaining-subscription-reads / -writes on every answer; 429 with Retry-After).
// The ARM error codes as ARM sends them: AuthenticationFailed (no or malformed Authorization
// header), InvalidAuthenticationToken, InvalidAuthenticationTokenAudience,
// ExpiredAuthenticationToken (all 401 with WWW-Authenticate), MissingApiVersionParameter,
// InvalidApiVersionParameter (400), SubscriptionNotFound (404), SubscriptionRequestsThrottled (429).
import { randomUUID } from 'node:crypto';
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { Quota } from './cloud-quota.ts';
import { readToken, tokenEndpoint, tokenPathTenant, type AccessClaims, type EntraApp } from './azure-entra.ts';

export const AZURE_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const AZURE_SUBSCRIPTION = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';
export const AZURE_CLIENT_ID = '8f1c2d3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f';
export const AZURE_CLIENT_SECRET = 'Q~8Q8~mockSecretValue.abcDEFghiJKLmnoPQRstu_';

export interface AzureMock extends ProviderMock {
  app: EntraApp;
  /** Access tokens issued so far. */
  issued: AccessClaims[];
  reads: Quota;
  writes: Quota;
  /** Deletes the app's client secret in Entra: token requests are refused (AADSTS7000215). */
  revokeSecret(): void;
  /** Tokens issued so far stop working in ARM (InvalidAuthenticationToken). */
  revokeTokens(): void;
}

const ARM_AUDIENCES = ['https://management.core.windows.net/', 'https://management.core.windows.net', 'https://management.azure.com/', 'https://management.azure.com'];
const VERSIONS: Record<string, string[]> = {
  subscriptions: ['2016-06-01', '2019-06-01', '2020-01-01', '2021-01-01', '2022-12-01'],
  costQuery: ['2019-11-01', '2021-10-01', '2022-10-01', '2023-03-01', '2023-11-01', '2024-08-01'],
};

const armError = (status: number, code: string, message: string, headers: Record<string, string> = {}): MockAnswer => ({ status, headers, body: { error: { code, message } } });

function subscription(id: string, tenant: string) {
  return {
    id: `/subscriptions/${id}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: id,
    tenantId: tenant,
    displayName: 'Pay-As-You-Go',
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

function costQuery(r: ReceivedRequest, sub: string): MockAnswer {
  let q: { type?: unknown; timeframe?: unknown; dataset?: unknown };
  try {
    q = JSON.parse(r.body.toString('utf8')) as typeof q;
  } catch {
    return armError(400, 'BadRequest', 'Invalid query definition: the request body is not valid JSON.');
  }
  if (typeof q?.type !== 'string' || typeof q.timeframe !== 'string' || typeof q.dataset !== 'object') return armError(400, 'BadRequest', 'Invalid query definition: type, timeframe and dataset are required.');
  const id = randomUUID();
  return {
    status: 200,
    body: {
      id: `subscriptions/${sub}/providers/Microsoft.CostManagement/query/${id}`,
      name: id,
      type: 'Microsoft.CostManagement/query',
      location: null,
      sku: null,
      eTag: null,
      properties: { nextLink: null, columns: [{ name: 'PreTaxCost', type: 'Number' }, { name: 'Currency', type: 'String' }], rows: [[42.17, 'USD']] },
    },
  };
}

export async function startAzureMock(opts: { app?: Partial<EntraApp>; subscriptions?: string[]; expiresIn?: number } = {}): Promise<AzureMock> {
  const app: EntraApp = { tenantId: AZURE_TENANT, clientId: AZURE_CLIENT_ID, clientSecret: AZURE_CLIENT_SECRET, ...opts.app };
  const subscriptions = new Set(opts.subscriptions ?? [AZURE_SUBSCRIPTION]);
  const issued: AccessClaims[] = [];
  const live = new Set<string>();
  const reads = new Quota(12000, 3600);
  const writes = new Quota(1200, 3600);

  /** The caller's token claims, or ARM's 401. */
  function authenticate(r: ReceivedRequest): AccessClaims | MockAnswer {
    const challenge = (desc: string) => ({ 'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${app.tenantId}", error="invalid_token", error_description="${desc}"` });
    const h = r.headers.authorization;
    if (h === undefined) return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", challenge("The authentication failed because of missing 'Authorization' header."));
    const m = /^Bearer (\S+)$/.exec(String(h));
    if (!m) return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.", challenge('The access token is invalid.'));
    const claims = readToken(m[1]);
    if (!claims || !live.has(claims.uti)) return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', challenge('The access token is invalid.'));
    if (!ARM_AUDIENCES.includes(claims.aud)) {
      return armError(401, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${ARM_AUDIENCES.map((a) => `'${a}'`).join(',')}.`, challenge('The access token has been obtained for wrong audience or resource.'));
    }
    const now = Math.floor(Date.now() / 1000);
    if (claims.exp <= now) return armError(401, 'ExpiredAuthenticationToken', `The access token expiry UTC time '${new Date(claims.exp * 1000).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.`, challenge('The access token has expired.'));
    return claims;
  }

  function arm(r: ReceivedRequest): MockAnswer {
    const claims = authenticate(r);
    if (!('aud' in claims)) return claims;
    const isRead = r.method === 'GET' || r.method === 'HEAD';
    const quota = isRead ? reads : writes;
    const taken = quota.take(r.path);
    const headers = { [`x-ms-ratelimit-remaining-subscription-${isRead ? 'reads' : 'writes'}`]: String(taken.remaining), 'x-ms-request-id': randomUUID(), 'x-ms-correlation-request-id': randomUUID() };
    const withHeaders = (a: MockAnswer): MockAnswer => ({ ...a, headers: { ...headers, ...a.headers } });
    if (!taken.ok) {
      const wait = quota.retryAfter();
      return withHeaders(armError(429, 'SubscriptionRequestsThrottled', `Number of '${isRead ? 'read' : 'write'}' requests for subscription '${AZURE_SUBSCRIPTION}' actor '${claims.appid}' exceeded. Please try again after '${wait}' seconds after the additional tokens are available.`, { 'Retry-After': String(wait) }));
    }
    const version = r.query.get('api-version');
    if (version === null) return withHeaders(armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'));
    const check = (kind: string): MockAnswer | undefined =>
      VERSIONS[kind].includes(version) ? undefined : withHeaders(armError(400, 'InvalidApiVersionParameter', `The api-version '${version}' is invalid. The supported versions are '${VERSIONS[kind].join(',')}'.`));
    if (r.method === 'GET' && r.path === '/subscriptions') {
      return check('subscriptions') ?? withHeaders({ status: 200, body: { value: [...subscriptions].map((s) => subscription(s, claims.tid)), count: { type: 'Total', value: subscriptions.size } } });
    }
    const one = /^\/subscriptions\/([^/]+)(\/providers\/Microsoft\.CostManagement\/query)?$/i.exec(r.path);
    if (one) {
      const bad = check(one[2] ? 'costQuery' : 'subscriptions');
      if (bad) return bad;
      if (!subscriptions.has(one[1])) return withHeaders(armError(404, 'SubscriptionNotFound', `The subscription '${one[1]}' could not be found.`));
      if (!one[2] && r.method === 'GET') return withHeaders({ status: 200, body: subscription(one[1], claims.tid) });
      if (one[2] && r.method === 'POST') return withHeaders(costQuery(r, one[1]));
    }
    return withHeaders(armError(404, 'NotFound', `The resource '${r.path}' was not found.`));
  }

  const server = await startMockServer((r) =>
    tokenPathTenant(r.path) !== undefined
      ? tokenEndpoint(r, app, opts.expiresIn ?? 3599, (_token, claims) => {
          issued.push(claims);
          live.add(claims.uti);
        })
      : arm(r),
  );
  return {
    ...server,
    app,
    issued,
    reads,
    writes,
    revokeSecret: () => void (app.clientSecret = `deleted-${randomUUID()}`),
    revokeTokens: () => live.clear(),
  };
}
