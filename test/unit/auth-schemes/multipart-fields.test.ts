// body auth on a multipart/form-data body: Uploadcare's Upload API takes the public key as the
// UPLOADCARE_PUB_KEY field of a multipart POST /base/ (uploadcare.com/api-refs/upload-api).
// The catalog template's upload service, applied to uploads as a browser or SDK encodes them,
// read back with the platform's own multipart parser.
import { describe, it, expect } from 'vitest';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { applyAuth } from '../../../server/auth-schemes/registry.ts';
import { multipartBoundary, setMultipartFields } from '../../../server/auth-schemes/multipart-fields.ts';
import type { RequestParts } from '../../../server/auth-schemes/types.ts';
import { caughtSync } from '../../helpers/caught.ts';

const upload = projectCatalog().catalog.get('uploadcare')!.services.find((s) => s.id === 'upload')!;
const ctx = (publicKey = 'demopublickey') => ({ connection: {}, secret: { publicKey, secretKey: 'unused' }, now: () => new Date() });
const FILE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x2d, 0x2d, 0, 255]);

async function encoded(fd: FormData): Promise<{ type: string; body: Uint8Array }> {
  const r = new Request('http://x/', { method: 'POST', body: fd });
  return { type: r.headers.get('content-type')!, body: new Uint8Array(await r.arrayBuffer()) };
}

async function parsed(req: RequestParts): Promise<FormData> {
  return new Response(req.body as Uint8Array, { headers: { 'content-type': req.headers['content-type'] } }).formData();
}

describe('body auth: multipart/form-data (uploadcare upload)', () => {
  it('adds UPLOADCARE_PUB_KEY; the file and the other fields are kept byte for byte', async () => {
    expect(upload.auth).toEqual({ type: 'body', fields: { UPLOADCARE_PUB_KEY: '${secret.publicKey}' } });
    const fd = new FormData();
    fd.append('UPLOADCARE_STORE', 'auto');
    fd.append('file', new Blob([FILE], { type: 'image/png' }), 'pixel.png');
    const { type, body } = await encoded(fd);
    const req = applyAuth(upload.auth!, { method: 'POST', url: new URL('https://upload.uploadcare.com/base/'), headers: { 'content-type': type }, body }, ctx());
    const form = await parsed(req);
    expect(form.get('UPLOADCARE_PUB_KEY')).toBe('demopublickey');
    expect(form.get('UPLOADCARE_STORE')).toBe('auto');
    const file = form.get('file') as File;
    expect(file.name).toBe('pixel.png');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(FILE);
    expect(req.headers['content-type']).toBe(type);
  });

  it("replaces a caller's own UPLOADCARE_PUB_KEY, and an empty value removes the field", async () => {
    const fd = new FormData();
    fd.append('UPLOADCARE_PUB_KEY', 'someone-elses');
    fd.append('file', new Blob([FILE]), 'a.bin');
    const { type, body } = await encoded(fd);
    const form = await parsed(applyAuth(upload.auth!, { method: 'POST', url: new URL('https://upload.uploadcare.com/base/'), headers: { 'content-type': type }, body }, ctx('mine')));
    expect(form.getAll('UPLOADCARE_PUB_KEY')).toEqual(['mine']);
    const boundary = multipartBoundary(type)!;
    const removed = await new Response(setMultipartFields(body, boundary, [['UPLOADCARE_PUB_KEY', '']]), { headers: { 'content-type': type } }).formData();
    expect(removed.getAll('UPLOADCARE_PUB_KEY')).toEqual([]);
    expect(removed.get('file')).toBeInstanceOf(File);
  });

  it('reads quoted boundaries, and refuses a body that is not multipart with its boundary', () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary=xyz')).toBe('xyz');
    const req = (body: string) => ({ method: 'POST', url: new URL('https://upload.uploadcare.com/base/'), headers: { 'content-type': 'multipart/form-data; boundary=B' }, body });
    expect(caughtSync(() => applyAuth(upload.auth!, req('--C\r\n\r\nx\r\n--C--\r\n'), ctx())).message).toContain('no part with its boundary');
    expect(caughtSync(() => applyAuth(upload.auth!, req('--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'), ctx())).message).toContain('not closed');
    expect(caughtSync(() => applyAuth(upload.auth!, req('--B--\r\n'), ctx('evil\r\n--B\r\n'))).message).toContain('holds the multipart boundary');
  });
});
