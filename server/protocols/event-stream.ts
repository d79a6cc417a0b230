// The AWS event stream (application/vnd.amazon.eventstream), as Bedrock's ConverseStream sends
// it: binary messages of a prelude (total length, headers length, both uint32 big-endian, and
// the prelude's CRC32), headers (name length u8, name, value type u8, value), the payload and the
// CRC32 of everything before it. Messages may be split anywhere across chunks.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib computes it). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export type EventStreamHeaderValue = string | number | bigint | boolean | Uint8Array | Date;

export interface EventStreamMessage {
  headers: Record<string, EventStreamHeaderValue>;
  payload: Uint8Array;
}

export class EventStreamError extends Error {}

/** Messages longer than this are refused (AWS caps one message at 16 MiB). */
const MAX_MESSAGE = 16 * 1024 * 1024;

function readHeaders(view: DataView, bytes: Uint8Array, start: number, end: number): Record<string, EventStreamHeaderValue> {
  const headers: Record<string, EventStreamHeaderValue> = {};
  const text = new TextDecoder();
  let at = start;
  const need = (n: number) => {
    if (at + n > end) throw new EventStreamError('an event-stream header runs past the headers');
  };
  while (at < end) {
    need(1);
    const nameLength = bytes[at]!;
    at += 1;
    need(nameLength + 1);
    const name = text.decode(bytes.subarray(at, at + nameLength));
    at += nameLength;
    const type = bytes[at]!;
    at += 1;
    let value: EventStreamHeaderValue;
    switch (type) {
      case 0: value = true; break;
      case 1: value = false; break;
      case 2: need(1); value = view.getInt8(at); at += 1; break;
      case 3: need(2); value = view.getInt16(at); at += 2; break;
      case 4: need(4); value = view.getInt32(at); at += 4; break;
      case 5: need(8); value = view.getBigInt64(at); at += 8; break;
      case 6:
      case 7: {
        need(2);
        const length = view.getUint16(at);
        at += 2;
        need(length);
        const raw = bytes.slice(at, at + length);
        value = type === 7 ? text.decode(raw) : raw;
        at += length;
        break;
      }
      case 8: need(8); value = new Date(Number(view.getBigInt64(at))); at += 8; break;
      case 9: need(16); value = bytes.slice(at, at + 16); at += 16; break;
      default:
        throw new EventStreamError(`unknown event-stream header type ${type}`);
    }
    headers[name] = value;
  }
  return headers;
}

/** Splits bytes into event-stream messages; throws EventStreamError on a bad length or CRC. */
export class EventStreamDecoder {
  #buffer = new Uint8Array(0);

  push(chunk: Uint8Array): EventStreamMessage[] {
    if (chunk.length > 0) {
      const next = new Uint8Array(this.#buffer.length + chunk.length);
      next.set(this.#buffer);
      next.set(chunk, this.#buffer.length);
      this.#buffer = next;
    }
    const out: EventStreamMessage[] = [];
    while (this.#buffer.length >= 12) {
      const bytes = this.#buffer;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const total = view.getUint32(0);
      const headersLength = view.getUint32(4);
      if (view.getUint32(8) !== crc32(bytes, 0, 8)) throw new EventStreamError('event-stream prelude CRC mismatch');
      if (total < 16 || total > MAX_MESSAGE || headersLength > total - 16) throw new EventStreamError(`event-stream message length ${total} is not valid`);
      if (bytes.length < total) break;
      if (view.getUint32(total - 4) !== crc32(bytes, 0, total - 4)) throw new EventStreamError('event-stream message CRC mismatch');
      const headers = readHeaders(view, bytes, 12, 12 + headersLength);
      out.push({ headers, payload: bytes.slice(12 + headersLength, total - 4) });
      this.#buffer = bytes.slice(total);
    }
    return out;
  }

  /** Bytes of an unfinished message left over. */
  get pending(): number {
    return this.#buffer.length;
  }
}

/** Encodes one message with string headers (what AWS services send; the test mocks use it). */
export function encodeEventStreamMessage(headers: Record<string, string>, payload: Uint8Array | string): Uint8Array {
  const enc = new TextEncoder();
  const body = typeof payload === 'string' ? enc.encode(payload) : payload;
  const parts: number[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = enc.encode(name);
    const v = enc.encode(value);
    parts.push(n.length, ...n, 7, (v.length >> 8) & 0xff, v.length & 0xff, ...v);
  }
  const headerBytes = Uint8Array.from(parts);
  const total = 12 + headerBytes.length + body.length + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headerBytes.length);
  view.setUint32(8, crc32(out, 0, 8));
  out.set(headerBytes, 12);
  out.set(body, 12 + headerBytes.length);
  view.setUint32(total - 4, crc32(out, 0, total - 4));
  return out;
}
