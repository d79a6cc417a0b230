// hmac-signature. sorted-params-digest with the cloudinary catalog template (service upload),
// against a mock upload endpoint on 127.0.0.1 (api.cloudinary.com routed there) that recomputes
// the signature from Cloudinary's documented rule ("Generating authentication signatures": all
// parameters but file, cloud_name, resource_type and api_key, sorted, `k=v` joined with `&`, the
// API secret appended, SHA-1 hex) and checks the timestamp is within the hour. Anchored on the
// example of that page. hmac-header (no catalog template uses it) with an inline scheme.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import type { AuthHmacSignature, ProviderTemplate } from '../../../schemas/types.gen.ts';
import { loadCatalog } from '../../../server/config/catalog.ts';
import { createAuthDeps, prepareAuth, renderRequestWithAuth, type TokenAuthContext } from '../../../server/auth-schemes/async-registry.ts';
import type { RequestParts } from '../../../server/auth-schemes/types.ts';
import { SilError } from '../../../server/errors.ts';
import { loopbackFetch } from '../../helpers/loopback-fetch.ts';
import { caught } from '../../helpers/caught.ts';

const { catalog } = loadCatalog();
const cloudinary = catalog.get('cloudinary') as ProviderTemplate & { id: string };
const upload = cloudinary.services.find((s) => s.id === 'upload')!;
const API_KEY = '123456789012345';
const API_SECRET = 'abcd';
const DOC_TIMESTAMP = 1315060510;

/** Cloudinary's rule, written from its documentation. */
function cloudinarySignature(params: Map<string, string>, secret: string, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  const skip = new Set(['file', 'cloud_name', 'resource_type', 'api_key', 'signature']);
  const names = [...params.keys()].filter((k) => !skip.has(k) && params.get(k) !== '').sort();
  const toSign = names.map((k) => `${k}=${params.get(k)}`).join('&');
  return createHash(algorithm).update(toSign + secret).digest('hex');
}

let server: Server;
let mockUrl: string;
let mockNow = DOC_TIMESTAMP;
let algorithm: 'sha1' | 'sha256' = 'sha1';
const received: { params: Map<string, string>; hasFile: boolean; fileBytes?: Buffer }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const type = String(req.headers['content-type'] ?? '').split(';')[0];
      const params = new Map<string, string>(new URL(req.url ?? '/', 'http://x').searchParams);
      let fileBytes: Buffer | undefined;
      if (type === 'application/x-www-form-urlencoded') for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
      else if (type === 'application/json') for (const [k, v] of Object.entries(JSON.parse(body.toString('utf8')) as Record<string, unknown>)) params.set(k, String(v));
      else if (type === 'multipart/form-data') {
        const form = await new Response(body, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
        for (const [k, v] of form) {
          if (typeof v === 'string') params.set(k, v);
          else fileBytes = Buffer.from(await v.arrayBuffer());
        }
      }
      received.push({ params, hasFile: params.has('file') || fileBytes !== undefined, fileBytes });
      const fail = (message: string) => {
        res.writeHead(401, { 'content-type': 'application/json', 'x-cld-error': message });
        res.end(JSON.stringify({ error: { message } }));
      };
      if (params.get('api_key') !== API_KEY) return fail('Unknown API key');
      const ts = Number(params.get('timestamp'));
      if (!Number.isInteger(ts) || Math.abs(mockNow - ts) > 3600) return fail('Stale request');
      if (params.get('signature') !== cloudinarySignature(params, API_SECRET, algorithm)) return fail('Invalid Signature');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ public_id: params.get('public_id') ?? 'generated', version: 1 }));
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

/** The instance's connection: the template's default algorithm (sha1) unless `signatureAlgorithm` is given. */
function ctx(nowSeconds = DOC_TIMESTAMP, secret: Record<string, string> = { apiKey: API_KEY, apiSecret: API_SECRET }, signatureAlgorithm: string = 'sha1'): TokenAuthContext {
  return { providerId: 'cloudinary', keyId: 'k', connection: { cloudName: 'demo', signatureAlgorithm }, secret, now: () => new Date(nowSeconds * 1000) };
}

function uploadRequest(body: RequestParts['body'], contentType: string | undefined, c = ctx(), method = 'POST'): Promise<RequestParts> {
  return renderRequestWithAuth({ baseUrl: cloudinary.baseUrl, path: upload.path, method, body, caller: { headers: contentType ? { 'content-type': contentType } : {} }, auth: upload.auth }, c, deps);
}

async function send(req: RequestParts): Promise<{ status: number; json: unknown }> {
  net.route(req.url.origin, mockUrl);
  const res = await net.fetch(req.url, { method: req.method, headers: req.headers, body: req.body as RequestInit['body'] });
  return { status: res.status, json: await res.json() };
}


const enc = (s: string) => new TextEncoder().encode(s);

describe('cloudinary upload: sorted-params-digest', () => {
  it("reproduces the documented example signature and the upload is accepted", async () => {
    mockNow = DOC_TIMESTAMP;
    const form = new URLSearchParams({ eager: 'w_400,h_300,c_pad|w_260,h_200,c_crop', public_id: 'sample_image', file: 'https://upload.wikimedia.org/sample.jpg' });
    const req = await uploadRequest(enc(form.toString()), 'application/x-www-form-urlencoded');
    expect(req.url.href).toBe('https://api.cloudinary.com/v1_1/demo/auto/upload');
    const sent = new URLSearchParams(req.body as string);
    // Cloudinary's page: "eager=w_400,h_300,c_pad|w_260,h_200,c_crop&public_id=sample_image&timestamp=1315060510abcd" → SHA-1
    expect(sent.get('signature')).toBe('bfd09f95f331f558cbd1320e67aa8d488770583e');
    expect(sent.get('api_key')).toBe(API_KEY);
    expect(sent.get('timestamp')).toBe(String(DOC_TIMESTAMP));
    expect(await send(req)).toEqual({ status: 200, json: { public_id: 'sample_image', version: 1 } });
  });

  it('a multipart upload with a binary file: parts kept, fields signed', async () => {
    mockNow = 1_780_000_000;
    const file = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 13, 10, 45, 45]);
    const fd = new FormData();
    fd.append('file', new Blob([file], { type: 'image/png' }), 'pixel.png');
    fd.append('public_id', 'folder/my image');
    fd.append('tags', 'a,b');
    fd.append('api_key', 'caller-supplied'); // replaced by the key's
    const encoded = new Request('http://x/', { method: 'POST', body: fd });
    const req = await uploadRequest(new Uint8Array(await encoded.arrayBuffer()), encoded.headers.get('content-type')!, ctx(mockNow));
    const { status } = await send(req);
    expect(status).toBe(200);
    const last = received[received.length - 1];
    expect(last.fileBytes?.equals(Buffer.from(file))).toBe(true);
    expect(last.params.get('public_id')).toBe('folder/my image');
    expect(last.params.get('api_key')).toBe(API_KEY);
  });

  it('a JSON body', async () => {
    mockNow = 1_780_000_000;
    const req = await uploadRequest(enc(JSON.stringify({ file: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=', public_id: 'gif', overwrite: true, context: '' })), 'application/json', ctx(mockNow));
    const body = JSON.parse(req.body as string) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['api_key', 'context', 'file', 'overwrite', 'public_id', 'signature', 'timestamp']);
    expect((await send(req)).status).toBe(200);
  });

  it('a POST without a body gets a form body; query parameters are signed too', async () => {
    mockNow = 1_780_000_000;
    const req = await renderRequestWithAuth({ baseUrl: cloudinary.baseUrl, path: upload.path, method: 'POST', caller: { query: new URLSearchParams({ file: 'https://example.com/a.jpg', public_id: 'from-query' }) }, auth: upload.auth }, ctx(mockNow), deps);
    expect(req.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect((await send(req)).status).toBe(200);
  });

  it('the mock refuses a wrong secret and a stale timestamp', async () => {
    mockNow = 1_780_000_000;
    const form = enc('public_id=x&file=https://example.com/a.jpg');
    expect((await send(await uploadRequest(form, 'application/x-www-form-urlencoded', ctx(mockNow, { apiKey: API_KEY, apiSecret: 'wrong' })))).json).toEqual({ error: { message: 'Invalid Signature' } });
    expect((await send(await uploadRequest(form, 'application/x-www-form-urlencoded', ctx(mockNow - 3601)))).json).toEqual({ error: { message: 'Stale request' } });
  });

  it('sha256 accounts: the instance picks SHA-256 with connection.signatureAlgorithm (the template default is sha1)', async () => {
    mockNow = 1_780_000_000;
    expect((upload.auth as AuthHmacSignature).algorithm).toBe('${connection.signatureAlgorithm}');
    expect(cloudinary.connection?.signatureAlgorithm).toMatchObject({ enum: ['sha1', 'sha256'], default: 'sha1' });
    const body = 'public_id=s256&file=https://example.com/a.jpg';
    const sign = (algo: string) => prepareAuth(upload.auth!, { method: 'POST', url: new URL('https://api.cloudinary.com/v1_1/demo/image/upload'), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body }, ctx(mockNow, undefined, algo), deps);
    algorithm = 'sha256';
    try {
      const req = await sign('sha256');
      expect(new URLSearchParams(req.body as string).get('signature')).toMatch(/^[0-9a-f]{64}$/);
      expect((await send(req)).status).toBe(200);
      // A SHA-1 signature is refused by a SHA-256 account: the choice matters.
      expect((await send(await sign('sha1'))).json).toEqual({ error: { message: 'Invalid Signature' } });
    } finally {
      algorithm = 'sha1';
    }
  });

  it('an algorithm value that is not sha1, sha256 or sha512 is refused, not guessed', async () => {
    for (const bad of ['md5', '']) {
      const err = await caught(uploadRequest(enc('public_id=x'), 'application/x-www-form-urlencoded', ctx(DOC_TIMESTAMP, undefined, bad)));
      expect(err.code).toBe('SIL_AUTH_UNSUPPORTED');
      expect(err.message).toContain('is not sha1, sha256 or sha512');
    }
  });

  it('a body it cannot sign is SIL_AUTH_UNSUPPORTED', async () => {
    expect((await caught(uploadRequest(enc('hello'), 'text/plain'))).code).toBe('SIL_AUTH_UNSUPPORTED');
    expect((await caught(uploadRequest(enc('{"context":{"a":1}}'), 'application/json'))).message).toContain('the JSON field "context" is an object');
  });
});

describe('hmac-header', () => {
  const scheme: AuthHmacSignature = {
    type: 'hmac-signature',
    style: 'hmac-header',
    algorithm: 'sha256',
    secret: '${secret.apiSecret}',
    header: 'X-Signature',
    stringToSign: '${request.timestamp}\n${request.method}\n${request.path}\n${request.body}',
    timestampParam: 'X-Timestamp',
    params: { key: '${secret.apiKey}' },
    encoding: 'base64',
  };

  it('HMACs the rendered string to sign into the header; caller text is not rendered', async () => {
    const body = '{"note":"${secret.apiSecret}"}';
    const req = await prepareAuth(scheme, { method: 'post', url: new URL('https://api.example.test/v2/orders?b=2&a=1'), headers: { 'Content-Type': 'application/json' }, body: enc(body) }, ctx(1_700_000_000), deps);
    expect(req.url.href).toBe(`https://api.example.test/v2/orders?b=2&a=1&key=${API_KEY}`);
    expect(req.headers['X-Timestamp']).toBe('1700000000');
    const expected = createHmac('sha256', API_SECRET).update(`1700000000\nPOST\n/v2/orders?b=2&a=1&key=${API_KEY}\n${body}`).digest('base64');
    expect(req.headers['X-Signature']).toBe(expected);
  });

  it('without header or stringToSign it is a template error', async () => {
    const err = await caught(prepareAuth({ ...scheme, header: undefined }, { method: 'GET', url: new URL('https://api.example.test/'), headers: {} }, ctx(), deps));
    expect(err.message).toContain('needs `header`');
  });
});
