// Imgur API v3 on 127.0.0.1 (https://api.imgur.com/3/...), written from apidocs.imgur.com
// (formerly api.imgur.com/endpoints, /errorhandling, "The essentials"):
// - app-only calls send `Authorization: Client-ID <client_id>`; calls for a user send the
//   user's OAuth2 access token as `Authorization: Bearer <token>` (account endpoints need it);
// - every answer is `{data, success, status}`; an error's data is `{error, request, method}`
//   (e.g. 403 "This method requires authentication");
// - credits: each request costs 1, an upload 10; every answer carries X-RateLimit-UserLimit,
//   -UserRemaining, -UserReset (Unix seconds), -ClientLimit, -ClientRemaining; POSTs also
//   X-Post-Rate-Limit-Limit / -Remaining / -Reset (seconds); spent credits → 429;
// - GET /3/credits reports the same figures in its data; POST /3/image takes `image` as a
//   multipart file, a base64 string or a URL (with `type`).
import { randomBytes } from 'node:crypto';
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { headerOf, param, requestParams, switches, type MockSwitches } from './media-maps-shared.ts';

export interface ImgurMockOptions {
  clientId?: string;
  /** A user's access token the mock accepts as Bearer (option user-token). */
  accessToken?: string;
  now?: () => number;
}

export interface ImgurImage { id: string; deletehash: string; size: number; type: string; bytes: Buffer; owner: 'anonymous' | 'user' }

export interface ImgurMock extends ProviderMock, MockSwitches {
  images: ImgurImage[];
  credits: { userRemaining: number; clientRemaining: number; postRemaining: number };
}

export const IMGUR_DEFAULTS = { clientId: '0123456789abcde', accessToken: '0123456789abcdef0123456789abcdef01234567' } as const;
const USER_LIMIT = 500;
const CLIENT_LIMIT = 12500;
const POST_LIMIT = 1250;

export async function startImgurMock(opts: ImgurMockOptions = {}): Promise<ImgurMock> {
  const o = { ...IMGUR_DEFAULTS, ...opts };
  const now = opts.now ?? Date.now;
  const sw = switches();
  const images: ImgurImage[] = [];
  const credits = { userRemaining: USER_LIMIT, clientRemaining: CLIENT_LIMIT, postRemaining: POST_LIMIT };
  const userReset = () => String(Math.floor(now() / 1000) + 3600);

  const rateHeaders = (r: ReceivedRequest): Record<string, string> => ({
    'X-RateLimit-UserLimit': String(USER_LIMIT),
    'X-RateLimit-UserRemaining': String(credits.userRemaining),
    'X-RateLimit-UserReset': userReset(),
    'X-RateLimit-ClientLimit': String(CLIENT_LIMIT),
    'X-RateLimit-ClientRemaining': String(credits.clientRemaining),
    ...(r.method === 'POST' ? { 'X-Post-Rate-Limit-Limit': String(POST_LIMIT), 'X-Post-Rate-Limit-Remaining': String(credits.postRemaining), 'X-Post-Rate-Limit-Reset': '3600' } : {}),
  });
  const error = (r: ReceivedRequest, status: number, message: string, headers: Record<string, string> = {}): MockAnswer => ({
    status,
    headers,
    body: { data: { error: message, request: r.path, method: r.method }, success: false, status },
  });
  const ok = (r: ReceivedRequest, data: unknown): MockAnswer => ({ status: 200, headers: rateHeaders(r), body: { data, success: true, status: 200 } });

  /** Who is calling: the app alone, a user, or a refusal. */
  const caller = (r: ReceivedRequest): 'app' | 'user' | MockAnswer => {
    const auth = headerOf(r, 'authorization');
    if (auth === undefined) return error(r, 401, 'Authentication required');
    const client = /^Client-ID (\S+)$/.exec(auth);
    if (client) return client[1] === o.clientId && !sw.revoked ? 'app' : error(r, 403, 'Invalid client_id');
    const bearer = /^Bearer (\S+)$/.exec(auth);
    if (bearer) return bearer[1] === o.accessToken && !sw.revoked ? 'user' : error(r, 403, 'The access token provided is invalid.');
    return error(r, 403, 'Malformed auth header');
  };

  const mock = await startMockServer(async (r) => {
    if (!r.path.startsWith('/3/')) return error(r, 404, 'Not found');
    const who = caller(r);
    if (typeof who !== 'string') return who;
    const path = r.path.slice(2).replace(/\.json$/, '');
    const cost = r.method === 'POST' && (path === '/image' || path === '/upload') ? 10 : path === '/credits' ? 0 : 1;
    if (sw.throttled(r) || credits.clientRemaining < cost || credits.userRemaining < cost) {
      return error(r, 429, 'Too Many Requests', { ...rateHeaders(r), 'X-RateLimit-UserRemaining': '0' });
    }
    credits.userRemaining -= cost;
    credits.clientRemaining -= cost;
    if (r.method === 'POST') credits.postRemaining -= 1;

    if (r.method === 'GET' && path === '/credits') {
      return ok(r, { UserLimit: USER_LIMIT, UserRemaining: credits.userRemaining, UserReset: Number(userReset()), ClientLimit: CLIENT_LIMIT, ClientRemaining: credits.clientRemaining });
    }
    if (r.method === 'POST' && (path === '/image' || path === '/upload')) {
      const p = await requestParams(r);
      const file = p.files.find((f) => f.field === 'image' || f.field === 'video');
      const text = param(p, 'image');
      if (!file && !text) return error(r, 400, 'No image data was sent to the upload api', rateHeaders(r));
      const bytes = file ? file.bytes : param(p, 'type') === 'url' ? Buffer.from(text!) : Buffer.from(text!, 'base64');
      const image: ImgurImage = { id: randomBytes(4).toString('hex').slice(0, 7), deletehash: randomBytes(8).toString('hex'), size: bytes.length, type: file?.type || 'image/png', bytes, owner: who === 'user' ? 'user' : 'anonymous' };
      images.push(image);
      return ok(r, {
        id: image.id, title: param(p, 'title') ?? null, description: param(p, 'description') ?? null, datetime: Math.floor(now() / 1000), type: image.type,
        animated: false, width: 1, height: 1, size: image.size, views: 0, bandwidth: 0, deletehash: image.deletehash, name: file?.name ?? '', link: `https://i.imgur.com/${image.id}.png`,
      });
    }
    const one = /^\/image\/([A-Za-z0-9]+)$/.exec(path);
    if (r.method === 'GET' && one) {
      const image = images.find((i) => i.id === one[1]);
      return image ? ok(r, { id: image.id, type: image.type, size: image.size, link: `https://i.imgur.com/${image.id}.png` }) : error(r, 404, 'Unable to find an image with the id, ' + one[1], rateHeaders(r));
    }
    if (r.method === 'GET' && path === '/account/me') {
      if (who !== 'user') return error(r, 403, 'This method requires authentication', rateHeaders(r));
      return ok(r, { id: 1234567, url: 'sil-tester', reputation: 0, created: 1_500_000_000 });
    }
    return error(r, 404, 'Not found', rateHeaders(r));
  });
  return { ...mock, revoke: sw.revoke, throttle: sw.throttle, images, credits };
}
