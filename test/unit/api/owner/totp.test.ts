import { describe, it, expect } from 'vitest';
import { base32Decode, base32Encode, generateTotpSecret, hotp, otpauthUri, qrSvg, totpCode, totpStep, verifyTotp } from '../../../../server/api/owner/totp.ts';

// RFC 6238 appendix B: the seeds are ASCII "1234567890" repeated to the hash's size.
const SEED = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 test vectors for SHA-1, SHA-256 and SHA-512', () => {
    for (const [seconds, sha1, sha256, sha512] of VECTORS) {
      expect(totpCode(SEED.sha1, seconds * 1000, { digits: 8 })).toBe(sha1);
      expect(totpCode(SEED.sha256, seconds * 1000, { digits: 8, algorithm: 'sha256' })).toBe(sha256);
      expect(totpCode(SEED.sha512, seconds * 1000, { digits: 8, algorithm: 'sha512' })).toBe(sha512);
    }
  });

  it('matches the RFC 4226 HOTP test values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(SEED.sha1, counter)).toBe(code));
  });

  it('encodes and decodes base32 (RFC 4648 vectors)', () => {
    const cases: [string, string][] = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of cases) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded)!.toString()).toBe(plain);
    }
    expect(base32Decode('mzxw 6ytb-oi======')!.toString()).toBe('foobar');
    expect(base32Decode('MZ1W')).toBeUndefined();
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    // the base32 secret and its raw bytes give the same codes
    expect(totpCode(base32Encode(SEED.sha1), 59_000, { digits: 8 })).toBe('94287082');
  });

  it('accepts the code of the step before, now and after, nothing further', () => {
    const secret = generateTotpSecret();
    const t = 1_700_000_015_000;
    for (const delta of [-30_000, 0, 30_000]) {
      expect(verifyTotp(secret, totpCode(secret, t + delta), t)).toEqual({ ok: true, step: totpStep(t + delta) });
    }
    for (const delta of [-60_000, 60_000]) expect(verifyTotp(secret, totpCode(secret, t + delta), t)).toEqual({ ok: false, reason: 'wrong' });
  });

  it('refuses a code used once (replay) and codes of earlier steps', () => {
    const secret = generateTotpSecret();
    const t = 1_700_000_015_000;
    const first = verifyTotp(secret, totpCode(secret, t), t);
    expect(first.ok).toBe(true);
    const last = first.ok ? first.step : -1;
    expect(verifyTotp(secret, totpCode(secret, t), t, last)).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyTotp(secret, totpCode(secret, t - 30_000), t, last)).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyTotp(secret, totpCode(secret, t + 30_000), t, last)).toEqual({ ok: true, step: last + 1 });
  });

  it('refuses malformed codes', () => {
    const secret = generateTotpSecret();
    for (const code of [undefined, 123456, '', '12345', '1234567', '12a456', '１２３４５６']) {
      expect(verifyTotp(secret, code, Date.now())).toEqual({ ok: false, reason: 'format' });
    }
    const t = Date.now();
    expect(verifyTotp(secret, ` ${totpCode(secret, t).slice(0, 3)} ${totpCode(secret, t).slice(3)} `, t).ok).toBe(true);
  });

  it('writes the otpauth URI and a QR code SVG', async () => {
    expect(otpauthUri('JBSWY3DPEHPK3PXP')).toBe('otpauth://totp/sil:owner?secret=JBSWY3DPEHPK3PXP&issuer=sil');
    const svg = await qrSvg(otpauthUri('JBSWY3DPEHPK3PXP'));
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.toMatch(/<script|href=/i);
  });
});
