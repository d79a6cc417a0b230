// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): what authenticator apps show.
// Pure apart from the random secret and the QR code: the time is always passed in.
//
// The owner's secret is 20 random bytes (160 bits, the RFC 4226 recommendation for SHA-1),
// written in base32 without padding (RFC 4648), 30-second steps, 6 digits. A code is accepted
// for the step it was made in and one step either side (clock drift), and each step's code works
// once: verifyTotp returns the step that matched, the caller keeps the last one used and passes
// it back, and a code of that step or an earlier one is refused.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  /** Seconds per step (default 30). */
  period?: number;
  /** Code length (default 6). */
  digits?: number;
  algorithm?: TotpAlgorithm;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case-insensitive; spaces, hyphens and `=` padding ignored); undefined when invalid. */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v === -1) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new secret: 20 random bytes in base32 (32 characters). */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The RFC 4226 HOTP value of `counter`. */
export function hotp(key: Uint8Array, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step of `timeMs` (Unix time in milliseconds). */
export function totpStep(timeMs: number, period = 30): number {
  return Math.floor(timeMs / 1000 / period);
}

function keyOf(secret: string | Uint8Array): Uint8Array {
  if (typeof secret !== 'string') return secret;
  const key = base32Decode(secret);
  if (!key || key.length === 0) throw new Error('the TOTP secret is not base32');
  return key;
}

/** The code for `timeMs`. `secret` is base32 text or the raw key bytes. */
export function totpCode(secret: string | Uint8Array, timeMs: number, opts: TotpOptions = {}): string {
  return hotp(keyOf(secret), totpStep(timeMs, opts.period ?? 30), opts.digits ?? 6, opts.algorithm ?? 'sha1');
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'format' | 'wrong' | 'replayed' };

/**
 * Checks `code` against the steps `timeMs` ± 1. `lastUsedStep` is the step of the last code
 * accepted; codes of that step or earlier are refused as replayed. Every candidate step is
 * compared (constant-time), whichever matches.
 */
export function verifyTotp(secret: string | Uint8Array, code: unknown, timeMs: number, lastUsedStep = -1, opts: TotpOptions = {}): TotpCheck {
  const digits = opts.digits ?? 6;
  if (typeof code !== 'string') return { ok: false, reason: 'format' };
  const given = code.replace(/\s/g, '');
  if (given.length !== digits || !/^\d+$/.test(given)) return { ok: false, reason: 'format' };
  const key = keyOf(secret);
  const now = totpStep(timeMs, opts.period ?? 30);
  let matched = -1;
  for (const step of [now - 1, now, now + 1]) {
    const expected = hotp(key, step, digits, opts.algorithm ?? 'sha1');
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(given)) && matched === -1) matched = step;
  }
  if (matched === -1) return { ok: false, reason: 'wrong' };
  if (matched <= lastUsedStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step: matched };
}

/** The otpauth:// URI authenticator apps read (from the QR code or typed in). */
export function otpauthUri(secret: string, account = 'owner', issuer = 'sil'): string {
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(account)}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`;
}

/** The URI as a QR code in SVG (no script, no external references: safe to inline). */
export function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
