// providers/cloudinary.yaml against a Cloudinary mock (test/mocks/providers/cloudinary.ts): the
// Admin API's Basic auth, the Upload API's signed parameters (form and multipart bodies, the
// signature recomputed by the mock from Cloudinary's documented rule), both doors of the
// pass-through, the X-FeatureRateLimit-* headers and the /usage health check. The template
// declares no usage source (Cloudinary's credits are an account report, not per request), so
// there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startCloudinaryMock, type CloudinaryMock } from '../../mocks/providers/cloudinary.ts';
import { lastTo } from '../../mocks/providers/media-maps-shared.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { readRateLimit } from '../../../server/observe/rate-limit.ts';

const KEY = '123456789012345';
const SECRET = 'abcd1234EFGH5678ijkl9012MNo';
const secret = { apiKey: KEY, apiSecret: SECRET };
const connection = { cloudName: 'demo' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 13, 10, 45, 45]);
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

async function multipart(fields: Record<string, string>): Promise<{ body: Uint8Array; type: string }> {
  const fd = new FormData();
  fd.append('file', new Blob([PNG], { type: 'image/png' }), 'pixel.png');
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  const req = new Request('http://form.invalid/', { method: 'POST', body: fd });
  return { body: new Uint8Array(await req.arrayBuffer()), type: req.headers.get('content-type')! };
}

describe('cloudinary template', () => {
  let mock: CloudinaryMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.cloudinary.com': mock.url });

  beforeAll(async () => {
    mock = await startCloudinaryMock({ apiKey: KEY, apiSecret: SECRET });
    hub = await startTemplateHub({
      template: 'cloudinary', origins: origins(), connection, secret,
      bindings: { 'cld-upload': { protocol: 'http', service: 'upload' }, 'cld-admin': { protocol: 'http', service: 'admin' }, cld: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Admin API sends HTTP Basic api_key:api_secret; a wrong secret or key is refused with {"error":{"message"}} and X-Cld-Error', async () => {
    const req = await renderForTemplate({ template: 'cloudinary', service: 'admin', origins: origins(), connection, secret });
    expect(req.url.href).toBe(`${mock.url}/v1_1/demo/resources`);
    expect(req.headers.Authorization).toBe(basic(KEY, SECRET));
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toHaveProperty('resources');

    const wrong = await sendRendered(await renderForTemplate({ template: 'cloudinary', service: 'admin', origins: origins(), connection, secret: { apiKey: KEY, apiSecret: 'not-the-secret' } }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('x-cld-error')).toBe('api_secret mismatch');
    expect(await wrong.json()).toEqual({ error: { message: 'api_secret mismatch' } });
    const unknown = await sendRendered(await renderForTemplate({ template: 'cloudinary', service: 'admin', origins: origins(), connection, secret: { apiKey: '999999999999999', apiSecret: SECRET } }));
    expect(await unknown.json()).toEqual({ error: { message: 'Unknown API key 999999999999999' } });
  });

  it('auth contract: upload signed with SHA-1 of the sorted parameters + api_secret, with api_key and timestamp; a wrong secret or a tampered parameter is refused', async () => {
    const render = (s = secret) => renderForTemplate({ template: 'cloudinary', service: 'upload', origins: origins(), connection, secret: s, method: 'POST', headers: FORM, body: 'file=https%3A%2F%2Fexample.com%2Fa.jpg&public_id=sample_image&eager=w_400,h_300,c_pad' });
    const req = await render();
    expect(req.url.href).toBe(`${mock.url}/v1_1/demo/auto/upload`);
    expect(req.headers.Authorization).toBeUndefined();
    const sent = new URLSearchParams(req.body as string);
    expect(sent.get('api_key')).toBe(KEY);
    expect(Math.abs(Number(sent.get('timestamp')) - Date.now() / 1000)).toBeLessThan(60);
    expect(sent.get('signature')).toMatch(/^[0-9a-f]{40}$/);
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ public_id: 'sample_image', type: 'upload', resource_type: 'image' });
    expect(mock.uploads.at(-1)).toMatchObject({ signed: true, publicId: 'sample_image' });

    const wrong = await sendRendered(await render({ apiKey: KEY, apiSecret: 'not-the-secret' }));
    expect(wrong.status).toBe(401);
    const message = ((await wrong.json()) as { error: { message: string } }).error.message;
    expect(message).toMatch(/^Invalid Signature [0-9a-f]{40}\. String to sign - 'eager=w_400,h_300,c_pad&public_id=sample_image&timestamp=\d+'\.$/);

    const tampered = await render();
    tampered.body = String(tampered.body).replace('public_id=sample_image', 'public_id=other_image');
    const refused = await sendRendered(tampered);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/^Invalid Signature /);
  });

  it('auth contract: a multipart upload keeps the file part (unsigned) and signs the fields', async () => {
    const { body, type } = await multipart({ public_id: 'folder/my image', tags: 'a,b', api_key: 'caller-supplied' });
    const req = await renderForTemplate({ template: 'cloudinary', service: 'upload', origins: origins(), connection, secret, method: 'POST', headers: { 'content-type': type }, body });
    expect(req.headers['Content-Type']).toMatch(/^multipart\/form-data; boundary=/);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ public_id: 'folder/my image', bytes: PNG.length, original_filename: 'pixel' });
    const last = mock.uploads.at(-1)!;
    expect(last.file?.bytes.equals(Buffer.from(PNG))).toBe(true);
    expect(last.file?.type).toBe('image/png');
    expect(last.params.filter(([k]) => k === 'api_key')).toEqual([['api_key', KEY]]);
  });

  it('auth contract: connection signatureAlgorithm sha256 signs uploads with SHA-256 (per instance); a SHA-1 signature is refused by a SHA-256 account', async () => {
    const body = 'file=https%3A%2F%2Fexample.com%2Fb.jpg&public_id=sha256_image';
    const render = (c: Record<string, string>) => renderForTemplate({ template: 'cloudinary', service: 'upload', origins: origins(), connection: c, secret, method: 'POST', headers: FORM, body });
    mock.setAlgorithm('sha256');
    try {
      const req = await render({ cloudName: 'demo', signatureAlgorithm: 'sha256' });
      expect(new URLSearchParams(req.body as string).get('signature')).toMatch(/^[0-9a-f]{64}$/);
      const ok = await sendRendered(req);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ public_id: 'sha256_image' });

      const sha1 = await sendRendered(await render(connection));
      expect(sha1.status).toBe(401);
      expect(((await sha1.json()) as { error: { message: string } }).error.message).toMatch(/^Invalid Signature [0-9a-f]{40}\. /);

      const hub256 = await startTemplateHub({ template: 'cloudinary', origins: origins(), connection: { cloudName: 'demo', signatureAlgorithm: 'sha256' }, secret, bindings: { up: { protocol: 'http', service: 'upload' } } });
      try {
        const up = await hub256.door('/bind/up', { method: 'POST', headers: FORM, body: 'file=https%3A%2F%2Fexample.com%2Fc.jpg&public_id=via-sha256' });
        expect(up.status).toBe(200);
        expect(mock.uploads.at(-1)).toMatchObject({ signed: true, publicId: 'via-sha256' });
      } finally {
        await hub256.stop();
      }
    } finally {
      mock.setAlgorithm('sha1');
    }
  });

  it('via proxy: POST /bind/cld-upload multipart upload signed by the hub, then GET /bind/cld-admin lists it', async () => {
    const { body, type } = await multipart({ public_id: 'via-proxy' });
    const up = await hub.door('/bind/cld-upload', { method: 'POST', headers: { 'content-type': type }, body });
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ public_id: 'via-proxy', bytes: PNG.length });
    const seen = lastTo(mock.received, '/v1_1/demo/auto/upload');
    expect(seen.headers.authorization).toBeUndefined();
    expect(mock.uploads.at(-1)).toMatchObject({ signed: true, publicId: 'via-proxy' });
    expect(mock.uploads.at(-1)!.file?.bytes.equals(Buffer.from(PNG))).toBe(true);

    const list = await hub.door('/bind/cld-admin/image');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { resources: { public_id: string }[] }).resources.map((r) => r.public_id)).toContain('via-proxy');
    expect(lastTo(mock.received, '/v1_1/demo/resources/image').headers.authorization).toBe(basic(KEY, SECRET));
  });

  it('via proxy: X-FeatureRateLimit-Limit/-Remaining/-Reset (an HTTP date) reach the caller, and 420 Rate Limit Exceeded when spent', async () => {
    const res = await hub.door('/bind/cld/ping');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-featureratelimit-limit')).toBe('500');
    expect(Number(res.headers.get('x-featureratelimit-remaining'))).toBeLessThan(500);
    const reset = Date.parse(res.headers.get('x-featureratelimit-reset')!);
    expect(reset).toBeGreaterThan(Date.now());
    expect(reset - Date.now()).toBeLessThanOrEqual(3_600_000);

    mock.throttle(/\/resources$/);
    try {
      const limited = await hub.door('/bind/cld-admin');
      expect(limited.status).toBe(420);
      expect(limited.headers.get('x-featureratelimit-remaining')).toBe('0');
      expect(await limited.json()).toEqual({ error: { message: 'Rate Limit Exceeded' } });
    } finally {
      mock.throttle(false);
    }
  });

  it('rate limit: the template\'s rateLimit (resetFormat http-date) reads the mock\'s X-FeatureRateLimit-* answer', async () => {
    const res = await sendRendered(await renderForTemplate({ template: 'cloudinary', service: 'admin', origins: origins(), connection, secret }));
    expect(res.status).toBe(200);
    const headers = Object.fromEntries(res.headers);
    const reading = readRateLimit(projectCatalog().catalog.get('cloudinary')!.rateLimit, headers, Date.now());
    expect(reading.limit).toBe(500);
    expect(reading.remaining).toBe(Number(headers['x-featureratelimit-remaining']));
    expect(reading.resetAt).toBe(Date.parse(headers['x-featureratelimit-reset']));
    expect(reading.resetAt! % 3_600_000).toBe(0);
  });

  it('health check: GET /v1_1/demo/usage with Basic auth is ok; a revoked key makes it fail', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/v1_1/demo/usage').at(-1)!;
    expect(probe.method).toBe('GET');
    expect(probe.headers.authorization).toBe(basic(KEY, SECRET));

    mock.revoke();
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 401 });
    } finally {
      mock.revoke(false);
    }
  });
});
