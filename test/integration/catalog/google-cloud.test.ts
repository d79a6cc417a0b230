// providers/google-cloud.yaml against a Google Cloud mock (test/mocks/providers/google-cloud.ts):
// the service-account key file of a test RS256 key pair (node:crypto generateKeyPairSync) keeps
// token_uri https://oauth2.googleapis.com/token, mapped with `origins:` to the mock's token
// endpoint, which verifies the JWT bearer assertion with the pair's public key; the API hosts
// (cloudresourcemanager, compute, storage, bigquery, www) are mapped to the same mock. Google
// Cloud reports no per-request usage (billing goes to a BigQuery export), so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { GOOGLE_TOKEN_URL, startGoogleCloudMock, type GoogleCloudMock } from '../../mocks/providers/google-cloud.ts';

const PROJECT = 'my-project-123';
const EMAIL = `sil-hub@${PROJECT}.iam.gserviceaccount.com`;
const CONNECTION = { projectId: PROJECT };
const CLOUD = 'https://www.googleapis.com/auth/cloud-platform';

function keyPair(): { publicKey: KeyObject; pem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { publicKey, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

const keyFile = (pem: string) => JSON.stringify({
  type: 'service_account', project_id: PROJECT, private_key_id: 'f00dcafe1234', private_key: pem, client_email: EMAIL, client_id: '109876543210987654321',
  auth_uri: 'https://accounts.google.com/o/oauth2/auth', token_uri: GOOGLE_TOKEN_URL,
});

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('google-cloud template', () => {
  const pair = keyPair();
  let mock: GoogleCloudMock;
  let hub: TemplateHub;
  const origins = () => Object.fromEntries(['oauth2', 'cloudresourcemanager', 'compute', 'storage', 'bigquery', 'www'].map((h) => [`https://${h}.googleapis.com`, mock.url]));
  const last = (path: string) => mock.received.filter((r) => r.path === path).at(-1)!;
  const project = (pem: string) => renderForTemplate({ template: 'google-cloud', service: 'resource-manager', path: `v1/projects/${PROJECT}`, connection: CONNECTION, origins: origins(), secret: { serviceAccountKey: keyFile(pem) } });

  beforeAll(async () => {
    mock = await startGoogleCloudMock({ publicKey: pair.publicKey, clientEmail: EMAIL, projectId: PROJECT });
    hub = await startTemplateHub({
      template: 'google-cloud', connection: CONNECTION, origins: origins(), secret: { serviceAccountKey: keyFile(pair.pem) },
      bindings: {
        rm: { protocol: 'http', service: 'resource-manager' }, compute: { protocol: 'http', service: 'compute' },
        storage: { protocol: 'http', service: 'storage' }, bigquery: { protocol: 'http', service: 'bigquery' }, gcp: { protocol: 'http', service: 'api' },
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: an RS256 JWT assertion (iss client_email, scope cloud-platform, aud oauth2.googleapis.com/token, 1 h) verified with the public key buys a Bearer token the API accepts', async () => {
    const asked = mock.tokenRequests.length;
    const req = await project(pair.pem);
    expect(req.url.href).toBe(`${mock.url}/v1/projects/${PROJECT}`);
    expect(mock.tokenRequests.length).toBe(asked + 1);
    const form = mock.tokenRequests.at(-1)!;
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, claims] = form.get('assertion')!.split('.');
    expect(decode(header!)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'f00dcafe1234' });
    const c = decode(claims!);
    expect(c).toMatchObject({ iss: EMAIL, scope: CLOUD, aud: GOOGLE_TOKEN_URL });
    expect(Number(c.exp) - Number(c.iat)).toBe(3600);
    expect(req.headers.Authorization).toBe(`Bearer ${mock.issued.at(-1)}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ projectId: PROJECT, lifecycleState: 'ACTIVE' });
  });

  it('auth contract: a key of another key pair is refused at the token endpoint (400 invalid_grant "Invalid JWT Signature."); a forged access token is refused 401 UNAUTHENTICATED', async () => {
    const other = keyPair();
    const err = (await project(other.pem).then(() => null, (e: unknown) => e)) as { code?: string; details?: unknown } | null;
    expect(err).toMatchObject({ code: 'SIL_AUTH_TOKEN', details: { status: 400, error: 'invalid_grant' } });
    // The same refusal as the endpoint words it, for an assertion signed by the other key and for
    // one whose claims were changed after signing with the right key.
    const now = Math.floor(Date.now() / 1000);
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const signed = (claims: object, pem: string) => {
      const input = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
      return `${input}.${sign('RSA-SHA256', Buffer.from(input), pem).toString('base64url')}`;
    };
    const claims = { iss: EMAIL, scope: CLOUD, aud: GOOGLE_TOKEN_URL, iat: now, exp: now + 3600 };
    const tampered = signed(claims, pair.pem).split('.');
    tampered[1] = part({ ...claims, scope: 'https://www.googleapis.com/auth/admin' });
    for (const assertion of [signed(claims, other.pem), tampered.join('.')]) {
      const res = await fetch(`${mock.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    }

    const good = await project(pair.pem);
    const forged = await sendRendered({ ...good, headers: { ...good.headers, Authorization: 'Bearer ya29.c.forged' } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await forged.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', message: expect.stringContaining('invalid authentication credentials') } });
  });

  it('via proxy: /bind/rm, /bind/compute, /bind/storage and /bind/bigquery reach their hosts with a token the mock issued', async () => {
    const rm = await hub.door(`/bind/rm/v1/projects/${PROJECT}`);
    expect(rm.status).toBe(200);
    expect(await rm.json()).toMatchObject({ projectId: PROJECT });
    const zones = await hub.door('/bind/compute/zones');
    expect(zones.status).toBe(200);
    expect(await zones.json()).toMatchObject({ kind: 'compute#zoneList', items: [{ name: 'europe-west1-b' }] });
    const buckets = await hub.door(`/bind/storage/b?project=${PROJECT}`);
    expect(buckets.status).toBe(200);
    expect(await buckets.json()).toMatchObject({ kind: 'storage#buckets', items: [{ name: `${PROJECT}-assets` }] });
    const datasets = await hub.door('/bind/bigquery/datasets');
    expect(datasets.status).toBe(200);
    expect(await datasets.json()).toMatchObject({ kind: 'bigquery#datasetList' });
    const paths = [`/v1/projects/${PROJECT}`, `/compute/v1/projects/${PROJECT}/zones`, '/storage/v1/b', `/bigquery/v2/projects/${PROJECT}/datasets`];
    for (const p of paths) {
      const auth = String(last(p).headers.authorization);
      expect(mock.issued.map((t) => `Bearer ${t}`)).toContain(auth);
    }
  });

  it('via proxy: an access token the API no longer takes (401) is dropped and the call repeated once with a new token', async () => {
    const issued = mock.issued.length;
    mock.expireTokens();
    const res = await hub.door(`/bind/rm/v1/projects/${PROJECT}`);
    expect(res.status).toBe(200);
    expect(mock.issued.length).toBeGreaterThan(issued);
    expect(last(`/v1/projects/${PROJECT}`).headers.authorization).toBe(`Bearer ${mock.issued.at(-1)}`);
  });

  it('via proxy: a 429 RESOURCE_EXHAUSTED reaches the caller with Google\'s error body', async () => {
    mock.throttleNext('/compute/');
    const res = await hub.door('/bind/compute/zones');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
  });

  it('health check: GET cloudresourcemanager /v1/projects/{projectId} with the exchanged token is ok; a disabled service account fails it', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(mock.issued.map((t) => `Bearer ${t}`)).toContain(String(last(`/v1/projects/${PROJECT}`).headers.authorization));
    mock.disable();
    try {
      const failed = await hub.healthProbe();
      expect(failed.ok).toBe(false);
      expect(failed.error ?? '').not.toContain('PRIVATE KEY');
    } finally {
      mock.disable(false);
    }
  });
});
