// Uploadcare on 127.0.0.1: two servers, as Uploadcare has two APIs on two hosts.
// - REST API (https://api.uploadcare.com), from uploadcare.com/docs/rest-api/requests-auth and
//   /docs/rest-api/errors: every request carries `Accept: application/vnd.uploadcare-v0.7+json`
//   and `Authorization: Uploadcare.Simple <public_key>:<secret_key>` (the signed `Uploadcare
//   <public_key>:<hmac>` scheme is not rendered by sil and is not served here); errors are JSON
//   `{"detail": ...}` (401 "Incorrect authentication credentials.", 401 "Authentication
//   credentials were not provided.", 406 for a missing/unknown version, 429 "Request was
//   throttled. Expected available in N second." with Retry-After). GET /files/ (paginated list),
//   GET /files/<uuid>/, GET /project/. All URLs end with a slash.
// - Upload API (https://upload.uploadcare.com), from uploadcare.com/api-refs/upload-api and
//   /docs/upload-api/errors: POST /base/ is a multipart/form-data direct upload (RFC 7578) with
//   UPLOADCARE_PUB_KEY and UPLOADCARE_STORE fields and the file parts; the answer maps each file
//   field to the new file's UUID. No secret is involved. Errors are plain text by default
//   ("UPLOADCARE_PUB_KEY is required." / "... is invalid.", 403), JSON with `jsonerrors=1`.
import { randomUUID } from 'node:crypto';
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { headerOf, param, requestParams, switches, type MockSwitches } from './media-maps-shared.ts';

export interface UploadcareMockOptions { publicKey?: string; secretKey?: string }

export interface UploadcareFile { uuid: string; filename: string; mimeType: string; size: number; bytes: Buffer; stored: boolean }

export interface UploadcareMock extends ProviderMock, MockSwitches {
  /** The Upload API server (for https://upload.uploadcare.com). */
  uploadUrl: string;
  uploadReceived: ReceivedRequest[];
  files: UploadcareFile[];
}

export const UPLOADCARE_DEFAULTS = { publicKey: 'demopublickey', secretKey: '0123456789abcdef0123' } as const;
export const UPLOADCARE_ACCEPT = 'application/vnd.uploadcare-v0.7+json';

export async function startUploadcareMock(opts: UploadcareMockOptions = {}): Promise<UploadcareMock> {
  const o = { ...UPLOADCARE_DEFAULTS, ...opts };
  const sw = switches();
  const files: UploadcareFile[] = [];
  const detail = (status: number, text: string, headers: Record<string, string> = {}): MockAnswer => ({ status, headers, body: { detail: text } });
  const fileInfo = (f: UploadcareFile) => ({
    uuid: f.uuid, original_filename: f.filename, mime_type: f.mimeType, size: f.size, is_image: f.mimeType.startsWith('image/'), is_ready: true,
    datetime_stored: f.stored ? '2025-01-01T00:00:00.000Z' : null, datetime_removed: null, datetime_uploaded: '2025-01-01T00:00:00.000Z',
    url: `https://api.uploadcare.com/files/${f.uuid}/`, original_file_url: `https://ucarecdn.com/${f.uuid}/${encodeURIComponent(f.filename)}`, metadata: {}, appdata: null,
  });

  const rest = await startMockServer((r) => {
    const accept = headerOf(r, 'accept') ?? '';
    if (!accept.split(',').some((a) => a.trim() === UPLOADCARE_ACCEPT)) {
      return detail(406, 'Incorrect Accept header provided. Make sure to specify API version. Refer to REST API docs for details.');
    }
    const auth = headerOf(r, 'authorization');
    if (auth === undefined) return detail(401, 'Authentication credentials were not provided.');
    const m = /^Uploadcare\.Simple ([^:\s]+):(\S+)$/.exec(auth);
    if (!m || m[1] !== o.publicKey || m[2] !== o.secretKey || sw.revoked) return detail(401, 'Incorrect authentication credentials.');
    if (sw.throttled(r)) return detail(429, 'Request was throttled. Expected available in 1 second.', { 'Retry-After': '1' });
    if (r.method === 'GET' && r.path === '/files/') {
      const limit = Math.max(1, Math.min(1000, Number(r.query.get('limit') ?? 100) || 100));
      const results = files.slice(0, limit).map(fileInfo);
      return { status: 200, body: { next: files.length > limit ? `https://api.uploadcare.com/files/?limit=${limit}&from=x` : null, previous: null, per_page: limit, total: files.length, totals: { removed: 0, stored: files.filter((f) => f.stored).length, unstored: files.filter((f) => !f.stored).length }, results } };
    }
    const one = /^\/files\/([0-9a-f-]{36})\/$/.exec(r.path);
    if (r.method === 'GET' && one) {
      const f = files.find((x) => x.uuid === one[1]);
      return f ? { status: 200, body: fileInfo(f) } : detail(404, 'Not found.');
    }
    if (r.method === 'GET' && r.path === '/project/') return { status: 200, body: { name: 'sil test project', pub_key: o.publicKey, autostore_enabled: true, collaborators: [] } };
    return detail(404, 'Not found.');
  });

  const upload = await startMockServer(async (r) => {
    const p = await requestParams(r);
    const json = param(p, 'jsonerrors') === '1';
    const fail = (status: number, text: string, code: string): MockAnswer =>
      json ? { status, body: { error: { content: text, status_code: status, error_code: code } } } : { status, headers: { 'content-type': 'text/plain' }, body: text };
    if (r.method !== 'POST' || r.path !== '/base/') return fail(404, 'Not found.', 'NotFoundError');
    if (p.type !== 'multipart/form-data') return fail(400, 'Request does not contain files.', 'RequestFilesRequiredError');
    const key = param(p, 'UPLOADCARE_PUB_KEY');
    if (!key) return fail(403, 'UPLOADCARE_PUB_KEY is required.', 'ProjectPublicKeyRequiredError');
    if (key !== o.publicKey || sw.revoked) return fail(403, 'UPLOADCARE_PUB_KEY is invalid.', 'ProjectPublicKeyInvalidError');
    if (p.files.length === 0) return fail(400, 'Request does not contain files.', 'RequestFilesRequiredError');
    const store = param(p, 'UPLOADCARE_STORE') ?? 'auto';
    const answer: Record<string, string> = {};
    for (const part of p.files) {
      const f: UploadcareFile = { uuid: randomUUID(), filename: part.name, mimeType: part.type || 'application/octet-stream', size: part.bytes.length, bytes: part.bytes, stored: store !== '0' };
      files.push(f);
      answer[part.field] = f.uuid;
    }
    return { status: 200, body: answer };
  });

  return {
    url: rest.url,
    received: rest.received,
    uploadUrl: upload.url,
    uploadReceived: upload.received,
    files,
    revoke: sw.revoke,
    throttle: sw.throttle,
    close: async () => {
      await Promise.all([rest.close(), upload.close()]);
    },
  };
}
