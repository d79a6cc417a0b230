// AWS (generic SigV4) mock: two 127.0.0.1 servers (three with the optional S3 one), because the template talks to two endpoints
// that both answer `POST /` with their own signing scope: STS (sts.{region}.amazonaws.com,
// service sts, the instance's region; also the `api` service when connection.service is sts) and
// Cost Explorer (ce.us-east-1.amazonaws.com, service ce, always us-east-1). Each checks SigV4
// with test/helpers/sigv4-verify.ts. Sources: docs.aws.amazon.com/STS/latest/APIReference
// (GetCallerIdentity, Query API GET or POST form, XML answer, CommonErrors: 403 XML ErrorResponse,
// Throttling 400), docs.aws.amazon.com/aws-cost-management/latest/APIReference (GetCostAndUsage:
// POST / with X-Amz-Target AWSInsightsIndexService.GetCostAndUsage, application/x-amz-json-1.1;
// errors `{"__type","message"}` with 400, LimitExceededException). AWS sends no rate-limit headers.
import { randomUUID } from 'node:crypto';
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { checkSigV4, json11Error, json11Refusal, queryError, queryRefusal, type AwsCredentials, type SigV4Result } from './h2-aws.ts';

export const ACCOUNT = '123456789012';

export interface AwsMockOptions {
  creds: AwsCredentials;
  region: string;
  userName?: string;
  /** Also serve {s3}.{region}.amazonaws.com for an instance with connection.service s3 (`s3` below). */
  s3?: boolean;
}

export interface AwsMock extends ProviderMock {
  /** STS (the `url` and `received` above are this server's). */
  sts: ProviderMock & { checks: SigV4Result[] };
  /** Cost Explorer. */
  ce: ProviderMock & { checks: SigV4Result[] };
  /** S3 (with `s3: true`): GET / answers ListBuckets; refusals are S3's XML <Error> with 403. */
  s3?: ProviderMock & { checks: SigV4Result[] };
  /** The Cost Explorer total (USD) GetCostAndUsage reports. */
  cost: { amount: string };
  /** Refuse the access key from now on (deleted or deactivated), or again accept it. */
  revoke(on?: boolean): void;
  /** The next request to that endpoint is throttled. */
  throttleNext(endpoint: 'sts' | 'ce'): void;
}

/** The Query API parameters of a request: the query string and, for a form POST, the body. */
function queryParams(r: ReceivedRequest): URLSearchParams {
  const params = new URLSearchParams(r.query);
  if (r.method === 'POST' && String(r.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(r.body.toString('utf8'))) params.append(k, v);
  }
  return params;
}

export async function startAwsMock(o: AwsMockOptions): Promise<AwsMock> {
  const stsChecks: SigV4Result[] = [];
  const ceChecks: SigV4Result[] = [];
  const cost = { amount: '42.1700000000' };
  let revoked = false;
  let throttle: 'sts' | 'ce' | null = null;
  const takeThrottle = (endpoint: 'sts' | 'ce') => (throttle === endpoint ? ((throttle = null), true) : false);

  const sts = await startMockServer((r): MockAnswer => {
    const check = checkSigV4(r, o.creds, o.region, 'sts');
    stsChecks.push(check);
    if (!check.ok) return queryRefusal(check.code, check.reason);
    if (revoked) return queryRefusal('InvalidClientTokenId', 'revoked');
    if (takeThrottle('sts')) return queryError(400, 'Sender', 'Throttling', 'Rate exceeded');
    const params = queryParams(r);
    if (r.path !== '/' || params.get('Action') === null) return queryError(400, 'Sender', 'MissingAction', 'Missing Action');
    if (params.get('Version') !== '2011-06-15') return queryError(400, 'Sender', 'InvalidParameterValue', 'Invalid or missing Version');
    if (params.get('Action') !== 'GetCallerIdentity') return queryError(400, 'Sender', 'InvalidAction', `Could not find operation ${params.get('Action')} for version 2011-06-15`);
    const user = o.userName ?? 'sil-hub';
    const xml = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n    <Arn>arn:aws:iam::${ACCOUNT}:user/${user}</Arn>\n    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>\n    <Account>${ACCOUNT}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`;
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }, body: xml };
  });

  const ce = await startMockServer((r): MockAnswer => {
    const check = checkSigV4(r, o.creds, 'us-east-1', 'ce');
    ceChecks.push(check);
    if (!check.ok) return json11Refusal(check.code, check.reason);
    if (revoked) return json11Refusal('InvalidClientTokenId', 'revoked');
    if (takeThrottle('ce')) return json11Error('LimitExceededException', 'You made too many calls in a short period of time. Try again later.');
    const target = String(r.headers['x-amz-target'] ?? '');
    if (r.method !== 'POST' || r.path !== '/' || !target.startsWith('AWSInsightsIndexService.')) return json11Error('UnknownOperationException', `no operation ${target}`);
    if (target !== 'AWSInsightsIndexService.GetCostAndUsage') return json11Error('UnknownOperationException', `the mock serves only GetCostAndUsage, not ${target}`);
    const body = bodyJson(r) as { TimePeriod?: { Start?: string; End?: string }; Granularity?: string; Metrics?: string[] } | undefined;
    if (!body?.TimePeriod?.Start || !body.TimePeriod.End || !body.Granularity || !Array.isArray(body.Metrics) || body.Metrics.length === 0) {
      return json11Error('ValidationException', 'TimePeriod, Granularity and Metrics are required');
    }
    const total = Object.fromEntries(body.Metrics.map((m) => [m, { Amount: cost.amount, Unit: 'USD' }]));
    const answer = { GroupDefinitions: [], ResultsByTime: [{ TimePeriod: { Start: body.TimePeriod.Start, End: body.TimePeriod.End }, Total: total, Groups: [], Estimated: false }], DimensionValueAttributes: [] };
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(answer) };
  });

  // S3 (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html): x-amz-content-sha256
  // is required and signed; errors are <Error><Code>...</Code><Message>...</Message></Error>.
  const s3Checks: SigV4Result[] = [];
  const s3 = o.s3 ? await startMockServer((r): MockAnswer => {
    const check = checkSigV4(r, o.creds, o.region, 's3');
    s3Checks.push(check);
    const xml = (status: number, code: string, message: string): MockAnswer => ({ status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>` });
    if (!check.ok) return xml(check.code === 'InvalidRequest' ? 400 : 403, check.code, check.reason);
    if (revoked) return xml(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (r.method !== 'GET' || r.path !== '/') return xml(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${ACCOUNT}</ID></Owner><Buckets><Bucket><Name>sil-exports</Name><CreationDate>2025-01-02T03:04:05.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>` };
  }) : undefined;

  return {
    url: sts.url,
    received: sts.received,
    sts: Object.assign(sts, { checks: stsChecks }),
    ce: Object.assign(ce, { checks: ceChecks }),
    ...(s3 ? { s3: Object.assign(s3, { checks: s3Checks }) } : {}),
    cost,
    revoke: (on = true) => void (revoked = on),
    throttleNext: (endpoint) => void (throttle = endpoint),
    close: async () => {
      await sts.close();
      await ce.close();
      await s3?.close();
    },
  };
}
