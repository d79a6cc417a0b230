// Undoing Content-Encoding on a copy of an answer (for reading usage).
import { describe, it, expect } from 'vitest';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { decodeBody, encodingsOf, canDecode, streamDecoder } from '../../../server/proxy/content-decoding.ts';

const text = Buffer.from(JSON.stringify({ usage: { prompt_tokens: 1 }, pad: 'p'.repeat(200_000) }));

describe('content decoding', () => {
  it('lists the encodings of a header in the order they were applied', () => {
    expect(encodingsOf(undefined)).toEqual([]);
    expect(encodingsOf('identity')).toEqual([]);
    expect(encodingsOf('GZIP')).toEqual(['gzip']);
    expect(encodingsOf('deflate, br')).toEqual(['deflate', 'br']);
    expect(canDecode(['gzip', 'br', 'deflate'])).toBe(true);
    expect(canDecode(['compress'])).toBe(false);
  });

  it('decodes small bodies at once (gzip in the batch of this turn) and large ones in the thread pool', async () => {
    const small = Buffer.from('{"a":1}');
    const batched = decodeBody(gzipSync(small), ['gzip']);
    expect(batched).toBeInstanceOf(Promise);
    expect(await batched).toEqual(small);
    expect(decodeBody(brotliCompressSync(small), ['br'])).toEqual(small);
    expect(decodeBody(deflateSync(small), ['deflate'])).toEqual(small);
    // Random bytes do not compress: the encoded body stays above the size decoded at once.
    const noise = randomBytes(100_000);
    const pending = decodeBody(gzipSync(noise), ['gzip']);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(noise);
    expect(decodeBody(brotliCompressSync(gzipSync(small)), ['gzip', 'br'])).toEqual(small);
  });

  it('answers undefined for corrupt data and unknown encodings', async () => {
    expect(await decodeBody(Buffer.from('not gzip'), ['gzip'])).toBeUndefined();
    expect(decodeBody(Buffer.from('not brotli at all'), ['br'])).toBeUndefined();
    expect(decodeBody(gzipSync(text), ['compress'])).toBeUndefined();
    expect(await decodeBody(Buffer.alloc(70_000, 1), ['gzip'])).toBeUndefined();
  });

  it('decodes a stream chunk by chunk', async () => {
    const encoded = gzipSync(text);
    const out: Buffer[] = [];
    const d = streamDecoder(['gzip'], (c) => out.push(c))!;
    for (let i = 0; i < encoded.length; i += 1000) d.write(encoded.subarray(i, i + 1000));
    expect(await d.end()).toBe(true);
    expect(Buffer.concat(out)).toEqual(text);
    const bad = streamDecoder(['br'], () => undefined)!;
    bad.write(Buffer.from('garbage that is not brotli'));
    expect(await bad.end()).toBe(false);
  });

  it.runIf(typeof (zlib as Record<string, unknown>).zstdCompressSync === 'function')('decodes zstd where Node has it', () => {
    const compress = (zlib as unknown as { zstdCompressSync: (b: Buffer) => Buffer }).zstdCompressSync;
    expect(decodeBody(compress(Buffer.from('{"z":1}')), ['zstd'])).toEqual(Buffer.from('{"z":1}'));
  });
});
