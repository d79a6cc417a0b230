// The SSH wire encoding (RFC 4253 §5): uint32 big-endian lengths and length-prefixed strings,
// as OpenSSH's key files and signatures (PROTOCOL.key, PROTOCOL.sshsig) use them.

export const ED25519 = 'ssh-ed25519';

export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** `string`: uint32 length + bytes (text is UTF-8). */
export function sshString(value: string | Uint8Array): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  return Buffer.concat([u32(bytes.length), bytes]);
}

/** The public key blob of an Ed25519 key: string("ssh-ed25519") + string(32-byte key). */
export function ed25519Blob(publicKey: Uint8Array): Buffer {
  return Buffer.concat([sshString(ED25519), sshString(publicKey)]);
}

/** Reads wire-encoded values in order; throws WireError when the data ends early. */
export class WireReader {
  private at = 0;
  private readonly buf: Buffer;

  constructor(buf: Uint8Array) {
    this.buf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.at >= this.buf.length;
  }

  get rest(): Buffer {
    return this.buf.subarray(this.at);
  }

  bytes(n: number): Buffer {
    if (n < 0 || this.at + n > this.buf.length) throw new WireError('the data ends early');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  u32(): number {
    return this.bytes(4).readUInt32BE(0);
  }

  string(): Buffer {
    return this.bytes(this.u32());
  }

  text(): string {
    return this.string().toString('utf8');
  }
}

export class WireError extends Error {}

/** The 32 raw bytes of an `ssh-ed25519` public key blob; throws WireError for anything else. */
export function parseEd25519Blob(blob: Uint8Array): Buffer {
  const r = new WireReader(blob);
  const type = r.text();
  if (type !== ED25519) throw new WireError(`key type ${type || '(empty)'} is not ${ED25519}`);
  const key = r.string();
  if (key.length !== 32 || !r.done) throw new WireError('malformed ssh-ed25519 public key');
  return key;
}

/** Base64 in lines of `width` characters (the armor of key files and signatures). */
export function wrapBase64(bytes: Uint8Array, width: number): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += width) lines.push(b64.slice(i, i + width));
  return lines.join('\n');
}

/** The bytes between `-----BEGIN <label>-----` and `-----END <label>-----`, or null. */
export function unarmor(text: string, label: string): Buffer | null {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from + begin.length);
  if (from < 0 || to < 0) return null;
  const body = text.slice(from + begin.length, to).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) return null;
  return Buffer.from(body, 'base64');
}
