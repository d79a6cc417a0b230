// aws-sigv4 with the aws and aws-bedrock catalog templates: requests are signed by the hub (aws4)
// and sent to a mock AWS endpoint on 127.0.0.1 that recomputes the signature with its own code
// (test/helpers/sigv4-verify.ts, from the AWS documentation, node:crypto only) on what it
// received, as AWS does, and answers 403 SignatureDoesNotMatch when it differs. Anchored on the
// AWS SigV4 test suite's get-vanilla vector.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import type { AuthAwsSigV4, ProviderTemplate } from '../../../schemas/types.gen.ts';
import { loadCatalog } from '../../../server/config/catalog.ts';
import { applyAwsSigV4 } from '../../../server/auth-schemes/aws-sigv4.ts';
import { createAuthDeps, prepareAuth, renderRequestWithAuth, type TokenAuthContext } from '../../../server/auth-schemes/async-registry.ts';
import type { RequestParts } from '../../../server/auth-schemes/types.ts';
import { SilError } from '../../../server/errors.ts';
import { loopbackFetch } from '../../helpers/loopback-fetch.ts';
import { verifySigV4, type AwsCredentials, type SigV4Result } from '../../helpers/sigv4-verify.ts';

const { catalog } = loadCatalog();
const NOW = new Date(Date.UTC(2026, 2, 1, 9, 30, 15));
const CREDS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const TEMP = { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==' };

function template(id: string): ProviderTemplate & { id: string } {
  return catalog.get(id)!;
}

interface Seen { host: string; target: string; result: SigV4Result; body: Buffer }
let server: Server;
let mockUrl: string;
let expectation: { creds: AwsCredentials; region: string; service: string };
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const result = verifySigV4({ method: req.method ?? '', target: req.url ?? '/', headers: req.headers, body }, expectation.creds, { region: expectation.region, service: expectation.service, now: NOW });
      seen.push({ host: String(req.headers.host), target: req.url ?? '', result, body });
      if (result.ok) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/sil</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>');
      } else {
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(`<ErrorResponse><Error><Code>${result.code}</Code><Message>${result.reason}</Message></Error></ErrorResponse>`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mockUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const net = loopbackFetch();
const deps = createAuthDeps({ fetch: net.fetch });

function ctx(id: string, secret: Record<string, string>, connection: Record<string, string> = {}, model?: string): TokenAuthContext {
  const defaults: Record<string, string | number | boolean> = {};
  for (const [name, field] of Object.entries(template(id).connection ?? {})) if (field.default !== undefined) defaults[name] = field.default;
  return { providerId: id, keyId: 'k', connection: { ...defaults, ...connection }, secret, model, now: () => NOW };
}

async function send(req: RequestParts): Promise<{ status: number; last: Seen }> {
  net.route(req.url.origin, mockUrl);
  const res = await net.fetch(req.url, { method: req.method, headers: req.headers, body: req.body as RequestInit["body"] });
  await res.arrayBuffer();
  return { status: res.status, last: seen[seen.length - 1] };
}

async function caught(fn: () => unknown): Promise<SilError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SilError);
    return err as SilError;
  }
  throw new Error('expected an error');
}

describe('aws-sigv4', () => {
  it('reproduces the AWS test suite vector get-vanilla, which the independent check accepts', async () => {
    const scheme: AuthAwsSigV4 = { type: 'aws-sigv4', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'service' };
    const signed = applyAwsSigV4(scheme, { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {} }, { connection: {}, secret: {}, now: () => new Date(Date.UTC(2015, 7, 30, 12, 36, 0)) });
    expect(signed.headers.Authorization).toBe('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
    expect(signed.headers['X-Amz-Date']).toBe('20150830T123600Z');
    const check = verifySigV4({ method: 'GET', target: '/', headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', authorization: signed.headers.Authorization }, body: Buffer.alloc(0) }, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, { region: 'us-east-1', service: 'service', now: new Date(Date.UTC(2015, 7, 30, 12, 36, 0)) });
    expect(check.ok).toBe(true);
  });

  it('aws health check: STS GetCallerIdentity in the instance region', async () => {
    expectation = { creds: CREDS, region: 'eu-central-1', service: 'sts' };
    const t = template('aws');
    const hc = t.healthCheck!;
    // The check names the sts service: its host and its auth (signed for sts).
    const sts = t.services.find((x) => x.id === hc.service)!;
    const req = await renderRequestWithAuth({ baseUrl: sts.baseUrl!, path: hc.path, method: hc.method, query: hc.query, auth: sts.auth! }, ctx('aws', CREDS, { region: 'eu-central-1' }), deps);
    expect(req.url.href).toBe('https://sts.eu-central-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15');
    const { status, last } = await send(req);
    expect(last.result).toMatchObject({ ok: true, signedHeaders: ['host', 'x-amz-date'] });
    expect(status).toBe(200);
    expect(last.host).toBe('sts.eu-central-1.amazonaws.com');
  });

  it('temporary credentials: X-Amz-Security-Token sent and signed', async () => {
    expectation = { creds: TEMP, region: 'us-east-1', service: 'sts' };
    const t = template('aws');
    const s = t.services.find((x) => x.id === 'sts')!;
    const req = await renderRequestWithAuth({ baseUrl: s.baseUrl!, path: s.path, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new TextEncoder().encode('Action=GetCallerIdentity&Version=2011-06-15'), auth: s.auth }, ctx('aws', TEMP), deps);
    expect(req.headers['X-Amz-Security-Token']).toBe(TEMP.sessionToken);
    const { status, last } = await send(req);
    expect(last.result).toMatchObject({ ok: true, signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-security-token'] });
    expect(status).toBe(200);
  });

  it('aws-bedrock invoke: model id with ":" in the path, JSON body, caller headers signed', async () => {
    expectation = { creds: CREDS, region: 'us-west-2', service: 'bedrock' };
    const t = template('aws-bedrock');
    const s = t.services.find((x) => x.id === 'invoke')!;
    const c = ctx('aws-bedrock', CREDS, { region: 'us-west-2' }, 'anthropic.claude-3-5-sonnet-20240620-v1:0');
    const body = new TextEncoder().encode(JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'héllo' }] }));
    const req = await renderRequestWithAuth({ baseUrl: t.baseUrl, path: s.path, method: 'POST', body, caller: { headers: { 'content-type': 'application/json', accept: 'application/json' } }, auth: t.auth }, c, deps);
    expect(req.url.pathname).toBe('/model/anthropic.claude-3-5-sonnet-20240620-v1:0/invoke');
    const { status, last } = await send(req);
    expect(last.result).toMatchObject({ ok: true, signedHeaders: ['accept', 'content-type', 'host', 'x-amz-date'] });
    expect(status).toBe(200);
    expect(last.body.equals(Buffer.from(body))).toBe(true);
  });

  it('a query with spaces, "+", "/" and repeated names is sent as it was signed', async () => {
    expectation = { creds: CREDS, region: 'us-east-1', service: 'iam' };
    const scheme: AuthAwsSigV4 = { type: 'aws-sigv4', accessKeyId: '${secret.accessKeyId}', secretAccessKey: '${secret.secretAccessKey}', region: 'us-east-1', service: 'iam' };
    const url = new URL('https://iam.amazonaws.com/');
    url.search = new URLSearchParams([['Action', 'ListUsers'], ['PathPrefix', '/division a+b/'], ['Marker', 'x*y~z'], ['Tag', 'b'], ['Tag', 'a'], ['Version', '2010-05-08']]).toString();
    const req = await prepareAuth(scheme, { method: 'GET', url, headers: {} }, ctx('aws', CREDS), deps);
    expect(req.url.searchParams.getAll('PathPrefix')).toEqual(['/division a+b/']);
    expect(req.url.search).not.toContain('+'); // RFC 3986 on the wire: %20 and %2B
    const { status, last } = await send(req);
    expect(last.result.ok).toBe(true);
    expect(status).toBe(200);
  });

  it('S3 (connection.service s3): x-amz-content-sha256 of the body, signed; key with a space and é', async () => {
    expectation = { creds: CREDS, region: 'eu-west-1', service: 's3' };
    const t = template('aws');
    const body = new Uint8Array([0, 1, 2, 3, 250, 251, 252, 253]);
    const c = ctx('aws', CREDS, { service: 's3', region: 'eu-west-1' });
    const req = await renderRequestWithAuth({ baseUrl: t.baseUrl, path: '/', method: 'PUT', body, caller: { path: 'my-bucket/photos/my%20caf%C3%A9.bin', headers: { 'content-type': 'application/octet-stream' } }, auth: t.auth }, c, deps);
    expect(req.url.href).toBe('https://s3.eu-west-1.amazonaws.com/my-bucket/photos/my%20caf%C3%A9.bin');
    expect(req.headers['X-Amz-Content-Sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    const { status, last } = await send(req);
    expect(last.result).toMatchObject({ ok: true, signedHeaders: ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date'] });
    expect(status).toBe(200);
  });

  it('aws cost-explorer: the service signs with its own scope (us-east-1, ce)', async () => {
    expectation = { creds: CREDS, region: 'us-east-1', service: 'ce' };
    const t = template('aws');
    const s = t.services.find((x) => x.id === 'cost-explorer')!;
    const req = await renderRequestWithAuth({ baseUrl: s.baseUrl!, path: s.path, method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSInsightsIndexService.GetCostAndUsage' }, body: new TextEncoder().encode('{"Granularity":"MONTHLY"}'), auth: s.auth }, ctx('aws', CREDS, { region: 'eu-central-1' }), deps);
    const { status, last } = await send(req);
    expect(last.result).toMatchObject({ ok: true, signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-target'] });
    expect(status).toBe(200);
  });

  it('the independent check refuses a wrong secret, a changed body and a stale date', async () => {
    expectation = { creds: CREDS, region: 'us-east-1', service: 'sts' };
    const t = template('aws');
    const hc = t.healthCheck!;
    const sts = t.services.find((x) => x.id === hc.service)!;
    const build = (secret: Record<string, string>, now = NOW) => renderRequestWithAuth({ baseUrl: sts.baseUrl!, path: hc.path, method: 'POST', body: new TextEncoder().encode('a=1'), auth: sts.auth! }, { ...ctx('aws', secret), now: () => now }, deps);
    let r = await send(await build({ ...CREDS, secretAccessKey: 'x'.repeat(40) }));
    expect([r.status, r.last.result.ok && 'ok' || (r.last.result as { code: string }).code]).toEqual([403, 'SignatureDoesNotMatch']);
    const good = await build(CREDS);
    r = await send({ ...good, body: new TextEncoder().encode('a=2') });
    expect(r.status).toBe(403);
    r = await send(await build(CREDS, new Date(NOW.getTime() - 16 * 60_000)));
    expect((r.last.result as { code: string }).code).toBe('RequestTimeTooSkewed');
    expect((await send(good)).status).toBe(200);
  });

  it('replaces a caller Authorization, X-Amz-Date or content hash; an optional session token may be absent', async () => {
    expectation = { creds: CREDS, region: 'us-east-1', service: 'sts' };
    const t = template('aws');
    const req = await renderRequestWithAuth({ baseUrl: 'https://sts.us-east-1.amazonaws.com', path: '/', caller: { headers: { authorization: 'Bearer x', 'x-amz-date': '20000101T000000Z', 'x-amz-content-sha256': 'forged', 'x-amz-security-token': 'forged' } }, auth: t.auth }, ctx('aws', CREDS), deps);
    expect(Object.keys(req.headers).map((h) => h.toLowerCase()).sort()).toEqual(['authorization', 'host', 'x-amz-date']);
    expect((await send(req)).status).toBe(200);
  });

  it('a key without the secret access key is SIL_AUTH_MISSING_SECRET', async () => {
    const err = await caught(() => applyAwsSigV4(template('aws').auth as AuthAwsSigV4, { method: 'GET', url: new URL('https://sts.us-east-1.amazonaws.com/'), headers: {} }, ctx('aws', { accessKeyId: CREDS.accessKeyId })));
    expect(err.code).toBe('SIL_AUTH_MISSING_SECRET');
    expect(err.message).toContain('secretAccessKey');
  });
});
