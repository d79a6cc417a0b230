// The admin API's JSON body reader: size limit, media type, one JSON object, no echo.
import { describe, it, expect } from 'vitest';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { parseJsonObject, readJsonBody } from '../../../server/api/admin/json-body.ts';
import { caught, caughtSync } from '../../helpers/caught.ts';

function request(body: string | Buffer, headers: Record<string, string>): IncomingMessage {
  const stream = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  stream.headers = headers;
  return stream;
}

describe('admin JSON body', () => {
  it('reads one JSON object; no body is {}', async () => {
    expect(await readJsonBody(request('{"a": 1}', { 'content-type': 'application/json', 'content-length': '8' }))).toEqual({ a: 1 });
    expect(await readJsonBody(request('', {}))).toEqual({});
    expect(await readJsonBody(request('{"a": 1}', { 'content-type': 'application/merge-patch+json; charset=utf-8', 'transfer-encoding': 'chunked' }))).toEqual({ a: 1 });
  });

  it('refuses other media types, bodies over the limit, arrays and bad JSON', async () => {
    expect((await caught(readJsonBody(request('a=1', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '3' })))).code).toBe('SIL_BODY_MEDIA_TYPE');
    expect((await caught(readJsonBody(request('{}', { 'content-type': 'application/json', 'content-length': '2000' }), 1000))).status).toBe(413);
    expect((await caught(readJsonBody(request(`{"a": "${'x'.repeat(2000)}"}`, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }), 1000))).code).toBe('SIL_BODY_TOO_LARGE');
    expect(caughtSync(() => parseJsonObject(Buffer.from('[1]'))).code).toBe('SIL_BODY_INVALID');
    expect(caughtSync(() => parseJsonObject(Buffer.from([0xff, 0xfe]))).message).toContain('UTF-8');
  });

  it('never repeats the body in an error', () => {
    const e = caughtSync(() => parseJsonObject(Buffer.from('{"secret": "sk-live-TOPSECRET')));
    expect(JSON.stringify(e.toJSON())).not.toContain('TOPSECRET');
  });
});
