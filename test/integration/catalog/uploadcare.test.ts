// providers/uploadcare.yaml against an Uploadcare mock (test/mocks/providers/uploadcare.ts, the
// REST API and the Upload API on two servers): Uploadcare.Simple with the versioned Accept
// header on the REST API, the public key as the UPLOADCARE_PUB_KEY form field on the Upload
// API (no secret sent there), both doors of the pass-through, Uploadcare's {"detail"} errors and
// its throttling answer, and the /files/ health check. Uploadcare reports no usage (the template
// has no usage source), so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startUploadcareMock, UPLOADCARE_ACCEPT, type UploadcareMock } from '../../mocks/providers/uploadcare.ts';
import { lastTo } from '../../mocks/providers/media-maps-shared.ts';

const PUB = 'demopublickey';
const SECRET = '0123456789abcdef0123';
const secret = { publicKey: PUB, secretKey: SECRET };
const BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1]);

async function multipart(fields: Record<string, string>): Promise<{ body: Uint8Array; type: string }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([BYTES], { type: 'image/jpeg' }), 'photo.jpg');
  const req = new Request('http://form.invalid/', { method: 'POST', body: fd });
  return { body: new Uint8Array(await req.arrayBuffer()), type: req.headers.get('content-type')! };
}

describe('uploadcare template', () => {
  let mock: UploadcareMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.uploadcare.com': mock.url, 'https://upload.uploadcare.com': mock.uploadUrl });

  beforeAll(async () => {
    mock = await startUploadcareMock({ publicKey: PUB, secretKey: SECRET });
    hub = await startTemplateHub({
      template: 'uploadcare', origins: origins(), secret,
      bindings: { 'uc-files': { protocol: 'http', service: 'files' }, 'uc-upload': { protocol: 'http', service: 'upload' }, uc: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: REST sends Authorization: Uploadcare.Simple <public>:<secret> and Accept v0.7; a wrong secret is refused with 401 {"detail"}', async () => {
    const req = await renderForTemplate({ template: 'uploadcare', service: 'files', origins: origins(), secret, query: { limit: '5' } });
    expect(req.url.href).toBe(`${mock.url}/files/?limit=5`);
    expect(req.headers.Authorization).toBe(`Uploadcare.Simple ${PUB}:${SECRET}`);
    expect(req.headers.Accept).toBe(UPLOADCARE_ACCEPT);
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ per_page: 5, previous: null, results: [] });

    const wrong = await sendRendered(await renderForTemplate({ template: 'uploadcare', service: 'files', origins: origins(), secret: { publicKey: PUB, secretKey: 'ffffffffffffffffffff' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ detail: 'Incorrect authentication credentials.' });

    const noVersion = await sendRendered({ ...req, headers: { Authorization: req.headers.Authorization } });
    expect(noVersion.status).toBe(406);
    expect(((await noVersion.json()) as { detail: string }).detail).toMatch(/^Incorrect Accept header provided/);
  });

  it('auth contract: the Upload API gets the public key as the UPLOADCARE_PUB_KEY field of a multipart body and no secret; a wrong public key is refused (403, plain text)', async () => {
    const { body, type } = await multipart({ UPLOADCARE_STORE: '1' });
    const render = (publicKey: string) => renderForTemplate({ template: 'uploadcare', service: 'upload', origins: origins(), secret: { publicKey, secretKey: SECRET }, method: 'POST', headers: { 'content-type': type }, body });
    const req = await render(PUB);
    expect(req.url.href).toBe(`${mock.uploadUrl}/base/`);
    expect(req.headers.Authorization).toBeUndefined();
    expect(Buffer.from(req.body as Uint8Array).includes(SECRET)).toBe(false);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { file: string };
    expect(answer.file).toMatch(/^[0-9a-f-]{36}$/);
    expect(mock.files.at(-1)).toMatchObject({ uuid: answer.file, filename: 'photo.jpg', size: BYTES.length, stored: true });

    const wrong = await sendRendered(await render('notthepublickey'));
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toBe('UPLOADCARE_PUB_KEY is invalid.');
  });

  it('via proxy: POST /bind/uc-upload multipart upload with the hub\'s public key (replacing the caller\'s), then GET /bind/uc-files lists it', async () => {
    const { body, type } = await multipart({ UPLOADCARE_STORE: 'auto', UPLOADCARE_PUB_KEY: 'callers-own-key' });
    const up = await hub.door('/bind/uc-upload', { method: 'POST', headers: { 'content-type': type }, body });
    expect(up.status).toBe(200);
    const { file } = (await up.json()) as { file: string };
    const seen = mock.uploadReceived.at(-1)!;
    expect(seen.path).toBe('/base/');
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.body.includes(Buffer.from(SECRET))).toBe(false);
    expect(seen.body.includes(Buffer.from('callers-own-key'))).toBe(false);
    expect(mock.files.find((f) => f.uuid === file)?.bytes.equals(Buffer.from(BYTES))).toBe(true);
    const list = await hub.door('/bind/uc-files?limit=100');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { results: { uuid: string }[] }).results.map((f) => f.uuid)).toContain(file);
    const rest = mock.received.filter((r) => r.url === '/files/?limit=100').at(-1)!;
    expect(rest.headers.authorization).toBe(`Uploadcare.Simple ${PUB}:${SECRET}`);
    expect(rest.headers.accept).toBe(UPLOADCARE_ACCEPT);

    const one = await hub.door(`/bind/uc/files/${file}/`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ uuid: file, original_filename: 'photo.jpg', mime_type: 'image/jpeg', is_image: true, size: BYTES.length });
  });

  it('via proxy: GET /bind/uc/project/ and Uploadcare\'s 429 "Request was throttled" with Retry-After reach the caller', async () => {
    const project = await hub.door('/bind/uc/project/');
    expect(project.status).toBe(200);
    expect(await project.json()).toMatchObject({ pub_key: PUB });

    mock.throttle(/^\/groups\/$/);
    try {
      const limited = await hub.door('/bind/uc/groups/');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(await limited.json()).toEqual({ detail: 'Request was throttled. Expected available in 1 second.' });
    } finally {
      mock.throttle(false);
    }
  });

  it('health check: GET /files/?limit=1 with Uploadcare.Simple is ok; a revoked key makes it fail', async () => {
    expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/files/').at(-1)!;
    expect(probe.url).toBe('/files/?limit=1');
    expect(probe.headers.authorization).toBe(`Uploadcare.Simple ${PUB}:${SECRET}`);

    mock.revoke();
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 401 });
    } finally {
      mock.revoke(false);
    }
  });
});
