// What a provider is asked for: the caller's encodings, narrowed to gzip when the hub reads the body.
import { describe, it, expect } from 'vitest';
import { upstreamAcceptEncoding } from '../../../server/proxy/accept-encoding.ts';

describe('upstream Accept-Encoding', () => {
  it("passes the caller's header as it is when the hub does not read the body", () => {
    expect(upstreamAcceptEncoding('br, zstd', false)).toBe('br, zstd');
    expect(upstreamAcceptEncoding(undefined, true)).toBeUndefined();
  });

  it('keeps gzip and identity (with their weights) when it does, and drops what the caller refused', () => {
    expect(upstreamAcceptEncoding('gzip, deflate, br', true)).toBe('gzip');
    expect(upstreamAcceptEncoding('br;q=1.0, gzip;q=0.8, identity;q=0.1', true)).toBe('gzip;q=0.8, identity;q=0.1');
    expect(upstreamAcceptEncoding('x-gzip', true)).toBe('x-gzip');
    expect(upstreamAcceptEncoding('*', true)).toBe('gzip');
    expect(upstreamAcceptEncoding('br, gzip;q=0', true)).toBeUndefined();
    expect(upstreamAcceptEncoding('GZIP;Q=0.000, br', true)).toBeUndefined();
    expect(upstreamAcceptEncoding('zstd', true)).toBeUndefined();
  });
});
