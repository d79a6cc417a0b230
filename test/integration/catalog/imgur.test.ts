// providers/imgur.yaml against an Imgur mock (test/mocks/providers/imgur.ts): the Client-ID
// header and the user-token option, an image upload and a read through the pass-through door
// with the X-RateLimit-* credit headers, Imgur's {data:{error}, success:false, status} errors,
// and the /credits health check. Imgur reports credits, not usage the template could read per
// request (no usage source), so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startImgurMock, type ImgurMock } from '../../mocks/providers/imgur.ts';
import { lastTo } from '../../mocks/providers/media-maps-shared.ts';

const CLIENT_ID = '0123456789abcde';
const USER_TOKEN = '0123456789abcdef0123456789abcdef01234567';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

interface ImgurError { data: { error: string; request: string; method: string }; success: false; status: number }

describe('imgur template', () => {
  let mock: ImgurMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.imgur.com': mock.url });

  beforeAll(async () => {
    mock = await startImgurMock({ clientId: CLIENT_ID, accessToken: USER_TOKEN });
    hub = await startTemplateHub({
      template: 'imgur', origins: origins(), secret: { clientId: CLIENT_ID },
      bindings: { 'imgur-images': { protocol: 'http', service: 'images' }, imgur: { protocol: 'http', service: 'api' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Client-ID <client id>; a wrong client id is refused with 403 {data:{error}, success:false, status}', async () => {
    const req = await renderForTemplate({ template: 'imgur', origins: origins(), secret: { clientId: CLIENT_ID }, path: 'credits' });
    expect(req.url.href).toBe(`${mock.url}/3/credits`);
    expect(req.headers.Authorization).toBe(`Client-ID ${CLIENT_ID}`);
    const ok = await sendRendered(req);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ success: true, status: 200, data: { ClientLimit: 12500, UserLimit: 500 } });

    const wrong = await sendRendered(await renderForTemplate({ template: 'imgur', origins: origins(), secret: { clientId: 'fedcba987654321' }, path: 'credits' }));
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ data: { error: 'Invalid client_id', request: '/3/credits', method: 'GET' }, success: false, status: 403 });
  });

  it('auth contract: option user-token sends Authorization: Bearer <access token>; account calls need it, a wrong token is refused', async () => {
    const req = await renderForTemplate({ template: 'imgur', authOption: 'user-token', origins: origins(), secret: { accessToken: USER_TOKEN }, path: 'account/me' });
    expect(req.headers.Authorization).toBe(`Bearer ${USER_TOKEN}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, data: { url: 'sil-tester' } });

    const appOnly = await sendRendered(await renderForTemplate({ template: 'imgur', origins: origins(), secret: { clientId: CLIENT_ID }, path: 'account/me' }));
    expect(appOnly.status).toBe(403);
    expect(((await appOnly.json()) as ImgurError).data.error).toBe('This method requires authentication');
    const wrong = await sendRendered(await renderForTemplate({ template: 'imgur', authOption: 'user-token', origins: origins(), secret: { accessToken: 'ffffffffffffffffffffffffffffffffffffffff' }, path: 'account/me' }));
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ data: { error: 'The access token provided is invalid.', request: '/3/account/me', method: 'GET' }, success: false, status: 403 });
  });

  it('via proxy: POST /bind/imgur-images multipart upload (10 credits) and GET /bind/imgur/image/<id>, credit headers passed on', async () => {
    const fd = new FormData();
    fd.append('image', new Blob([PNG], { type: 'image/png' }), 'pixel.png');
    fd.append('title', 'via sil');
    const before = mock.credits.clientRemaining;
    const up = await hub.door('/bind/imgur-images', { method: 'POST', body: fd });
    expect(up.status).toBe(200);
    const image = ((await up.json()) as { data: { id: string; link: string; size: number; title: string } }).data;
    expect(image).toMatchObject({ size: PNG.length, title: 'via sil' });
    expect(image.link).toBe(`https://i.imgur.com/${image.id}.png`);
    const seen = lastTo(mock.received, '/3/image');
    expect(seen.headers.authorization).toBe(`Client-ID ${CLIENT_ID}`);
    expect(Buffer.from(mock.images.at(-1)!.bytes).equals(Buffer.from(PNG))).toBe(true);
    expect(mock.credits.clientRemaining).toBe(before - 10);
    expect(up.headers.get('x-ratelimit-clientremaining')).toBe(String(before - 10));
    expect(up.headers.get('x-post-rate-limit-limit')).toBe('1250');

    const read = await hub.door(`/bind/imgur/image/${image.id}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { data: { id: string } }).data.id).toBe(image.id);
    expect(read.headers.get('x-ratelimit-userlimit')).toBe('500');
    expect(Number(read.headers.get('x-ratelimit-userreset'))).toBeGreaterThan(Date.now() / 1000);
    expect(read.headers.get('x-ratelimit-clientremaining')).toBe(String(before - 11));
  });

  it('via proxy: Imgur\'s error object and the 429 when credits run out reach the caller', async () => {
    const missing = await hub.door('/bind/imgur/image/doesnotexist');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ImgurError)).toMatchObject({ success: false, status: 404 });

    mock.throttle(/^\/3\/gallery\//);
    try {
      const limited = await hub.door('/bind/imgur/gallery/hot');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('x-ratelimit-userremaining')).toBe('0');
      expect(await limited.json()).toEqual({ data: { error: 'Too Many Requests', request: '/3/gallery/hot', method: 'GET' }, success: false, status: 429 });
    } finally {
      mock.throttle(false);
    }
  });

  it('health check: GET /3/credits with the Client-ID is ok; a revoked client id makes it fail', async () => {
    expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/3/credits').at(-1)!;
    expect(probe.headers.authorization).toBe(`Client-ID ${CLIENT_ID}`);

    mock.revoke();
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 403 });
    } finally {
      mock.revoke(false);
    }
  });
});
