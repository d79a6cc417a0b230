// providers/azure.yaml against an Azure mock (test/mocks/providers/azure.ts: Entra ID's v2.0 token
// endpoint and Azure Resource Manager on one loopback server, both origins mapped to it): the
// client-credentials exchange with the client secret in the form body, the token sent as Bearer
// with each service's api-version, the pass-through door (subscriptions, Cost Management query,
// the full API), ARM's {"error": {code, message}} answers and x-ms-ratelimit-remaining-* headers
// reaching the caller, and the `kind: token` health check. The Cost Management query answers
// costs as data, but the template declares no usage source and ARM reports no per-request
// usage, so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { SilError } from '../../../server/errors.ts';
import { startAzureMock, AZURE_TENANT, AZURE_SUBSCRIPTION, type AzureMock } from '../../mocks/providers/azure.ts';

const APP = { clientId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', clientSecret: 'Xy8Q~contract.Secret-Value_0123456789abcd' };
const CONNECTION = { tenantId: AZURE_TENANT, subscriptionId: AZURE_SUBSCRIPTION };
const QUERY = JSON.stringify({ type: 'ActualCost', timeframe: 'MonthToDate', dataset: { granularity: 'None', aggregation: { totalCost: { name: 'PreTaxCost', function: 'Sum' } } } });
const JSON_TYPE = { 'content-type': 'application/json' };
type ArmError = { error: { code: string; message: string } };

describe('azure template', () => {
  let mock: AzureMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://login.microsoftonline.com': mock.url, 'https://management.azure.com': mock.url });
  const tokenRequests = () => mock.received.filter((r) => r.path === `/${AZURE_TENANT}/oauth2/v2.0/token`);
  /** The claims of the Entra token a request to ARM carried, as the mock issued them. */
  const claimsOf = (r: { headers: Record<string, unknown> }) => {
    const token = String(r.headers.authorization).replace(/^Bearer /, '');
    const uti = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { uti: string }).uti;
    return mock.issued.find((c) => c.uti === uti);
  };

  beforeAll(async () => {
    mock = await startAzureMock({ app: APP });
    hub = await startTemplateHub({
      template: 'azure',
      origins: origins(),
      connection: CONNECTION,
      secret: APP,
      bindings: { arm: { protocol: 'http', service: 'api' }, subscriptions: { protocol: 'http', service: 'subscriptions' }, cost: { protocol: 'http', service: 'cost-management' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: token from POST /{tenant}/oauth2/v2.0/token (form body client_id, client_secret, scope .default, grant_type) sent as Bearer with api-version; a wrong secret is refused with 401 invalid_client AADSTS7000215', async () => {
    const req = await renderForTemplate({ template: 'azure', service: 'subscriptions', connection: CONNECTION, origins: origins(), secret: APP });
    const tokenReq = tokenRequests().at(-1)!;
    expect(tokenReq.method).toBe('POST');
    expect(tokenReq.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(tokenReq.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(tokenReq.body.toString()))).toEqual({ grant_type: 'client_credentials', scope: 'https://management.azure.com/.default', client_id: APP.clientId, client_secret: APP.clientSecret });
    expect(req.url.href).toBe(`${mock.url}/subscriptions?api-version=2022-12-01`);
    expect(req.headers.Authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(mock.issued.at(-1)).toMatchObject({ aud: 'https://management.azure.com/', tid: AZURE_TENANT, appid: APP.clientId });
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ value: [{ subscriptionId: AZURE_SUBSCRIPTION, tenantId: AZURE_TENANT, state: 'Enabled' }], count: { type: 'Total', value: 1 } });

    const err = await renderForTemplate({ template: 'azure', service: 'subscriptions', connection: CONNECTION, origins: origins(), secret: { ...APP, clientSecret: 'Xy8Q~not.the.secret' } }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SilError);
    expect((err as SilError).code).toBe('SIL_AUTH_TOKEN');
    expect((err as SilError).details).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(String((err as Error).message)).not.toContain('not.the.secret');
    const answer = await fetch(`${mock.url}/${AZURE_TENANT}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(tokenReq.body.toString())), client_secret: 'wrong' }) });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215], error_description: expect.stringMatching(/^AADSTS7000215: Invalid client secret provided\./) });
  });

  it('auth contract: ARM refuses a token it did not issue, one for another audience, and a call without api-version, with its {"error": {code}} answers', async () => {
    const req = await renderForTemplate({ template: 'azure', service: 'subscriptions', connection: CONNECTION, origins: origins(), secret: APP });
    const forged = await sendRendered({ ...req, headers: { ...req.headers, Authorization: `${req.headers.Authorization.slice(0, -4)}AAAA` } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=.*error="invalid_token"/);
    expect(((await forged.json()) as ArmError).error.code).toBe('InvalidAuthenticationToken');
    // A token of the same app for Microsoft Graph (scope https://graph.microsoft.com/.default).
    const form = { grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.clientSecret, scope: 'https://graph.microsoft.com/.default' };
    const issued = await fetch(`${mock.url}/${AZURE_TENANT}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    const { access_token: graphToken } = (await issued.json()) as { access_token: string };
    const graph = await sendRendered({ ...req, headers: { ...req.headers, Authorization: `Bearer ${graphToken}` } });
    expect(graph.status).toBe(401);
    expect(((await graph.json()) as ArmError).error).toMatchObject({ code: 'InvalidAuthenticationTokenAudience', message: expect.stringContaining("wrong audience or resource 'https://graph.microsoft.com/'") });
    const noVersion = await sendRendered(await renderForTemplate({ template: 'azure', connection: CONNECTION, origins: origins(), secret: APP, path: 'subscriptions' }));
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toEqual({ error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' } });
  });

  it('via proxy: GET /bind/subscriptions and POST /bind/cost (Cost Management query) with the hub\'s Entra token; x-ms-ratelimit-remaining-* reach the caller', async () => {
    const res = await hub.door('/bind/subscriptions');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ value: [{ id: `/subscriptions/${AZURE_SUBSCRIPTION}`, displayName: 'Pay-As-You-Go' }] });
    const seen = mock.received.filter((r) => r.path === '/subscriptions').at(-1)!;
    expect(seen.url).toBe('/subscriptions?api-version=2022-12-01');
    expect(claimsOf(seen)).toMatchObject({ appid: APP.clientId, aud: 'https://management.azure.com/', tid: AZURE_TENANT });
    expect(Number(res.headers.get('x-ms-ratelimit-remaining-subscription-reads'))).toBeLessThan(12000);

    const cost = await hub.door('/bind/cost', { method: 'POST', headers: JSON_TYPE, body: QUERY });
    expect(cost.status).toBe(200);
    expect(await cost.json()).toMatchObject({ type: 'Microsoft.CostManagement/query', properties: { columns: [{ name: 'PreTaxCost' }, { name: 'Currency' }], rows: [[42.17, 'USD']] } });
    const post = mock.received.filter((r) => r.path.endsWith('/Microsoft.CostManagement/query')).at(-1)!;
    expect(post.url).toBe(`/subscriptions/${AZURE_SUBSCRIPTION}/providers/Microsoft.CostManagement/query?api-version=2023-03-01`);
    expect(JSON.parse(post.body.toString())).toEqual(JSON.parse(QUERY));
    expect(claimsOf(post)).toMatchObject({ appid: APP.clientId });
    expect(Number(cost.headers.get('x-ms-ratelimit-remaining-subscription-writes'))).toBe(1199);

    const one = await hub.door(`/bind/arm/subscriptions/${AZURE_SUBSCRIPTION}?api-version=2022-12-01`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ subscriptionId: AZURE_SUBSCRIPTION });
  });

  it('via proxy: ARM errors (400 MissingApiVersionParameter, 429 SubscriptionRequestsThrottled with Retry-After) reach the caller; a token ARM stopped accepting is replaced', async () => {
    const missing = await hub.door('/bind/arm/subscriptions');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ArmError).error.code).toBe('MissingApiVersionParameter');

    mock.writes.throttleNext(1, `/subscriptions/${AZURE_SUBSCRIPTION}/providers/Microsoft.CostManagement/query`);
    const limited = await hub.door('/bind/arm/subscriptions/' + AZURE_SUBSCRIPTION + '/providers/Microsoft.CostManagement/query?api-version=2023-03-01', { method: 'POST', headers: JSON_TYPE, body: QUERY });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as ArmError).error.code).toBe('SubscriptionRequestsThrottled');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBe('0');

    // Right after a background token check ends (one runs every 250 ms here): no token issued before the
    // revocation is then still on its way into the hub's cache, where the retry after the 401 would get it.
    await hub.healthProbe();
    const before = mock.issued.length;
    mock.revokeTokens();
    const after = await hub.door(`/bind/arm/subscriptions/${AZURE_SUBSCRIPTION}?api-version=2022-12-01`);
    expect(after.status).toBe(200);
    const used = claimsOf(mock.received.filter((r) => r.path === `/subscriptions/${AZURE_SUBSCRIPTION}`).at(-1)!);
    expect(mock.issued.indexOf(used!)).toBeGreaterThanOrEqual(before);
  });

  it('health check: kind token obtains a fresh Entra token with the client secret; a deleted secret makes it fail', async () => {
    const count = tokenRequests().length;
    const ok = await hub.healthProbe();
    expect(ok.ok).toBe(true);
    expect(tokenRequests().length).toBeGreaterThan(count);
    expect(new URLSearchParams(tokenRequests().at(-1)!.body.toString()).get('client_secret')).toBe(APP.clientSecret);

    mock.revokeSecret();
    const failed = await hub.healthProbe();
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/SIL_AUTH_TOKEN.*401/);
    expect(failed.error).not.toContain(APP.clientSecret);
  });
});
