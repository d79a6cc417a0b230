// providers/aws.yaml against an AWS mock (test/mocks/providers/aws.ts) with two endpoints, each
// verifying SigV4 as AWS does (test/helpers/sigv4-verify.ts): STS (https://sts.eu-west-1.amazonaws.com,
// signing scope eu-west-1/sts; also the `api` service for connection.service sts) and Cost Explorer
// (https://ce.us-east-1.amazonaws.com, us-east-1/ce). The template declares no usage fields (Cost
// Explorer reports the account's costs as data, not per-request usage), so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { ACCOUNT, startAwsMock, type AwsMock } from '../../mocks/providers/aws.ts';

const CREDS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const REGION = 'eu-west-1';
const CONNECTION = { service: 'sts', region: REGION };
const IDENTITY = { Action: 'GetCallerIdentity', Version: '2011-06-15' };
const CE_HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSInsightsIndexService.GetCostAndUsage' };
const COST_QUERY = JSON.stringify({ TimePeriod: { Start: '2025-09-01', End: '2025-10-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] });

describe('aws template', () => {
  let mock: AwsMock;
  let hub: TemplateHub;
  const origins = (m = mock) => ({ [`https://sts.${REGION}.amazonaws.com`]: m.sts.url, 'https://ce.us-east-1.amazonaws.com': m.ce.url });
  const identity = (secret: Record<string, string>, m = mock) => renderForTemplate({ template: 'aws', service: 'sts', connection: CONNECTION, origins: origins(m), secret, query: IDENTITY });
  const costs = (secret: Record<string, string>) => renderForTemplate({ template: 'aws', service: 'cost-explorer', connection: CONNECTION, origins: origins(), secret, method: 'POST', headers: CE_HEADERS, body: COST_QUERY });

  beforeAll(async () => {
    mock = await startAwsMock({ creds: CREDS, region: REGION });
    hub = await startTemplateHub({
      template: 'aws', connection: CONNECTION, origins: origins(), secret: CREDS,
      bindings: { sts: { protocol: 'http', service: 'sts' }, ce: { protocol: 'http', service: 'cost-explorer' }, aws: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: STS GetCallerIdentity signed AWS4-HMAC-SHA256 with scope eu-west-1/sts verifies; a wrong secret (SignatureDoesNotMatch) or key id (InvalidClientTokenId) is refused 403 XML', async () => {
    const req = await identity(CREDS);
    expect(req.url.href).toBe(`${mock.sts.url}/?Action=GetCallerIdentity&Version=2011-06-15`);
    expect(req.headers.Authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/\\d{8}/${REGION}/sts/aws4_request, SignedHeaders=\\S+, Signature=[0-9a-f]{64}$`));
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(mock.sts.checks.at(-1)).toMatchObject({ ok: true });
    expect(await res.text()).toContain(`<Account>${ACCOUNT}</Account>`);

    const badSecret = await sendRendered(await identity({ ...CREDS, secretAccessKey: 'x'.repeat(40) }));
    expect(badSecret.status).toBe(403);
    const text = await badSecret.text();
    expect(text).toMatch(/^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
    expect(text).toContain('<Type>Sender</Type>');
    expect(text).toContain('<Code>SignatureDoesNotMatch</Code>');
    const unknown = await sendRendered(await identity({ ...CREDS, accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }));
    expect(unknown.status).toBe(403);
    expect(await unknown.text()).toContain('<Code>InvalidClientTokenId</Code>');
  });

  it('auth contract: Cost Explorer is signed with its own scope us-east-1/ce whatever the region; a wrong secret is refused 400 {__type: InvalidSignatureException}', async () => {
    const req = await costs(CREDS);
    expect(req.url.href).toBe(`${mock.ce.url}/`);
    expect(req.headers.Authorization).toContain('/us-east-1/ce/aws4_request');
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(mock.ce.checks.at(-1)).toMatchObject({ ok: true, signedHeaders: expect.arrayContaining(['host', 'x-amz-date']) });
    expect(JSON.parse(await res.text())).toMatchObject({ ResultsByTime: [{ Total: { UnblendedCost: { Amount: '42.1700000000', Unit: 'USD' } } }] });
    const wrong = await sendRendered(await costs({ ...CREDS, secretAccessKey: 'y'.repeat(40) }));
    expect(wrong.status).toBe(400);
    expect(JSON.parse(await wrong.text())).toEqual({ __type: 'InvalidSignatureException', message: expect.stringContaining('does not match the signature you provided') });
  });

  it('auth contract: temporary credentials (ASIA...) add a signed X-Amz-Security-Token; without it STS refuses InvalidClientTokenId', async () => {
    const temp = { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: CREDS.secretAccessKey, sessionToken: 'FwoGZXIvYXdzEXAMPLE//token' };
    const m = await startAwsMock({ creds: temp, region: REGION });
    try {
      const req = await identity(temp, m);
      expect((await sendRendered(req)).status).toBe(200);
      expect(m.sts.checks.at(-1)).toMatchObject({ ok: true, signedHeaders: expect.arrayContaining(['x-amz-security-token']) });
      const without = await sendRendered(await identity({ accessKeyId: temp.accessKeyId, secretAccessKey: temp.secretAccessKey }, m));
      expect(without.status).toBe(403);
      expect(await without.text()).toContain('<Code>InvalidClientTokenId</Code>');
    } finally {
      await m.close();
    }
  });

  it('auth contract: an instance for S3 (connection.service s3, the api service) signs scope eu-west-1/s3 with a signed x-amz-content-sha256; a wrong secret is refused 403 <Error>SignatureDoesNotMatch', async () => {
    const m = await startAwsMock({ creds: CREDS, region: REGION, s3: true });
    try {
      const list = (secret: Record<string, string>) => renderForTemplate({ template: 'aws', service: 'api', connection: { service: 's3', region: REGION }, origins: { [`https://s3.${REGION}.amazonaws.com`]: m.s3!.url }, secret, path: '' });
      const req = await list(CREDS);
      expect(req.headers.Authorization).toContain(`/${REGION}/s3/aws4_request`);
      const res = await sendRendered(req);
      expect(res.status).toBe(200);
      expect(m.s3!.checks.at(-1)).toMatchObject({ ok: true, signedHeaders: expect.arrayContaining(['x-amz-content-sha256']) });
      expect(await res.text()).toContain('<Name>sil-exports</Name>');
      const wrong = await sendRendered(await list({ ...CREDS, secretAccessKey: 'z'.repeat(40) }));
      expect(wrong.status).toBe(403);
      expect(await wrong.text()).toContain('<Error><Code>SignatureDoesNotMatch</Code>');
    } finally {
      await m.close();
    }
  });

  it('via proxy: GET and form POST /bind/sts call GetCallerIdentity signed for sts; the XML answer reaches the caller', async () => {
    const got = await hub.door('/bind/sts?Action=GetCallerIdentity&Version=2011-06-15');
    expect(got.status).toBe(200);
    expect(await got.text()).toContain(`<Arn>arn:aws:iam::${ACCOUNT}:user/sil-hub</Arn>`);
    const posted = await hub.door('/bind/sts', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expect(posted.status).toBe(200);
    const sent = mock.sts.received.filter((r) => r.method === 'POST').at(-1)!;
    expect(sent.path).toBe('/');
    expect(sent.body.toString()).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(String(sent.headers.authorization)).toContain(`/${REGION}/sts/aws4_request`);
    expect(mock.sts.checks.at(-1)).toMatchObject({ ok: true });
  });

  it('via proxy: POST /bind/ce with X-Amz-Target GetCostAndUsage is signed for us-east-1/ce and answers the month\'s cost', async () => {
    mock.cost.amount = '1337.0100000000';
    const res = await hub.door('/bind/ce', { method: 'POST', headers: CE_HEADERS, body: COST_QUERY });
    expect(res.status).toBe(200);
    expect(JSON.parse(await res.text())).toMatchObject({ ResultsByTime: [{ TimePeriod: { Start: '2025-09-01', End: '2025-10-01' }, Total: { UnblendedCost: { Amount: '1337.0100000000' } } }] });
    const sent = mock.ce.received.at(-1)!;
    expect(sent.headers['x-amz-target']).toBe('AWSInsightsIndexService.GetCostAndUsage');
    expect(String(sent.headers.authorization)).toContain('/us-east-1/ce/aws4_request');
    expect(mock.ce.checks.at(-1)).toMatchObject({ ok: true });
  });

  it('via proxy: the api service (connection.service sts) reaches the same STS endpoint; STS throttling (400 Throttling) reaches the caller as sent', async () => {
    const res = await hub.door('/bind/aws?Action=GetCallerIdentity&Version=2011-06-15');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<GetCallerIdentityResult>');
    mock.throttleNext('sts');
    const limited = await hub.door('/bind/aws?Action=GetCallerIdentity&Version=2011-06-15');
    expect(limited.status).toBe(400);
    expect(await limited.text()).toContain('<Code>Throttling</Code>');
  });

  it('health check: signed GET /?Action=GetCallerIdentity&Version=2011-06-15 on STS is ok; a deactivated key fails it with 403', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = mock.sts.received.filter((r) => r.method === 'GET').at(-1)!;
    expect(probe.query.get('Action')).toBe('GetCallerIdentity');
    mock.revoke();
    try {
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 403 });
      expect(failed.error ?? '').not.toContain(CREDS.secretAccessKey);
    } finally {
      mock.revoke(false);
    }
  });

  it('health check: an instance for another service (connection.service ec2) still signs the STS check with scope sts (the first service\'s auth) and is ok', async () => {
    const h = await startTemplateHub({ template: 'aws', connection: { service: 'ec2', region: REGION }, origins: origins(), secret: CREDS, bindings: {} });
    try {
      const before = mock.sts.checks.length;
      expect(await h.healthProbe()).toMatchObject({ ok: true, status: 200 });
      expect(mock.sts.checks.slice(before).every((c) => c.ok)).toBe(true);
      expect(String(mock.sts.received.at(-1)!.headers.authorization)).toContain(`/${REGION}/sts/aws4_request`);
    } finally {
      await h.stop();
    }
  });
});
