import { describe, it, expect } from 'vitest';
import { crc32, EventStreamDecoder, EventStreamError, encodeEventStreamMessage } from '../../../server/protocols/event-stream.ts';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EventStreamError);
    return err as Error;
  }
  throw new Error('expected an error');
}

// A frame from the AWS event-stream test suite (awslabs/aws-c-event-stream, "all_headers" aside):
// one string header `content-type: application/json` and the payload {'foo':'bar'}.
const KNOWN = Buffer.from('0000003d0000002007fd8396' + '0c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e' + '7b27666f6f273a27626172277d' + '8d9c08b1', 'hex');

describe('event-stream decoder', () => {
  it('computes CRC-32 as zlib does', () => {
    expect(crc32(new TextEncoder().encode('hello'))).toBe(907060870);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('decodes a known frame', () => {
    const [m, ...rest] = new EventStreamDecoder().push(KNOWN);
    expect(rest).toEqual([]);
    expect(m!.headers).toEqual({ 'content-type': 'application/json' });
    expect(Buffer.from(m!.payload).toString()).toBe("{'foo':'bar'}");
    expect(Buffer.from(encodeEventStreamMessage({ 'content-type': 'application/json' }, "{'foo':'bar'}"))).toEqual(KNOWN);
  });

  it('reads frames split anywhere, byte by byte, and several in one chunk', () => {
    const a = encodeEventStreamMessage({ ':event-type': 'messageStart', ':message-type': 'event' }, '{"role":"assistant"}');
    const b = encodeEventStreamMessage({ ':event-type': 'messageStop', ':message-type': 'event' }, '{"stopReason":"end_turn"}');
    const all = Buffer.concat([a, b]);
    const d = new EventStreamDecoder();
    const got = [...all].flatMap((byte) => d.push(Uint8Array.of(byte)));
    expect(got.map((m) => m.headers[':event-type'])).toEqual(['messageStart', 'messageStop']);
    expect(d.pending).toBe(0);
    expect(new EventStreamDecoder().push(all)).toHaveLength(2);
    const half = new EventStreamDecoder();
    expect(half.push(all.subarray(0, a.length + 5))).toHaveLength(1);
    expect(half.pending).toBe(5);
  });

  it('refuses a bad prelude CRC, a bad message CRC and an impossible length', () => {
    const badPrelude = Buffer.from(KNOWN);
    badPrelude[9]! ^= 1;
    expect(thrown(() => new EventStreamDecoder().push(badPrelude))).toBeInstanceOf(EventStreamError);
    expect(thrown(() => new EventStreamDecoder().push(badPrelude)).message).toContain('prelude CRC');
    const badPayload = Buffer.from(KNOWN);
    badPayload[50]! ^= 1;
    expect(thrown(() => new EventStreamDecoder().push(badPayload)).message).toContain('message CRC');
    const badTail = Buffer.from(KNOWN);
    badTail[KNOWN.length - 1]! ^= 1;
    expect(thrown(() => new EventStreamDecoder().push(badTail)).message).toContain('message CRC');
    const short = Buffer.from(encodeEventStreamMessage({}, ''));
    short.writeUInt32BE(8, 0);
    short.writeUInt32BE(crc32(short.subarray(0, 8)), 8);
    expect(thrown(() => new EventStreamDecoder().push(short)).message).toContain('length');
  });
});
