import { describe, it, expect } from 'vitest';
import { randomBytes, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  BASE62, TOKEN_LENGTH, generateClientToken, checkTokenFormat, hashToken, tokenMatches, tokenHint, tokenChecksum, tokenStatus, findClientByToken,
} from '../../../server/vault/client-token.ts';
import type { Client } from '../../../schemas/types.gen.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const FORMAT = /^sil_[0-9A-Za-z]{36}$/;

/** A random source that replays fixed bytes, then real randomness. */
function replay(first: number[]): (n: number) => Uint8Array {
  let queue = [...first];
  return (n) => {
    const out = Uint8Array.from(queue.slice(0, n));
    queue = queue.slice(n);
    return out.length === n ? out : Uint8Array.from([...out, ...randomBytes(n - out.length)]);
  };
}

function client(name: string, tokens: string[], extra: Partial<Client> = {}, tokenExtra: Record<string, string> = {}): Client {
  return {
    name,
    environment: 'prod',
    bindings: ['chat'],
    tokens: tokens.map((t, i) => ({ id: `t${i + 1}`, hash: hashToken(t), hint: tokenHint(t), createdAt: '2026-01-01T00:00:00Z', ...tokenExtra })),
    ...extra,
  };
}

describe('client token format', () => {
  it('is sil_ + 30 base62 characters + a 6-character base62 CRC32 of those 30: 40 in all', () => {
    for (let i = 0; i < 200; i++) {
      const t = generateClientToken();
      expect(t).toHaveLength(40);
      expect(TOKEN_LENGTH).toBe(40);
      expect(t).toMatch(FORMAT);
      const body = t.slice(4, 34);
      let n = 0;
      for (const c of t.slice(34)) n = n * 62 + BASE62.indexOf(c);
      expect(n).toBe(crc32(body));
      expect(checkTokenFormat(t)).toEqual({ ok: true });
    }
  });

  it('encodes the checksum with the 0-9A-Za-z alphabet, left-padded with 0', () => {
    expect(BASE62).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    expect(crc32('abc')).toBe(891568578);
    let n = 891568578;
    let s = '';
    while (n > 0) { s = BASE62[n % 62] + s; n = Math.floor(n / 62); }
    expect(tokenChecksum('abc')).toBe(s.padStart(6, '0'));
    expect(crc32('')).toBe(0);
    expect(tokenChecksum('')).toBe('000000');
  });

  it('draws characters by rejection sampling: bytes 248-255 are skipped, others map to byte % 62', () => {
    const bytes = [248, 255, 0, 61, 62, 247, 250, ...Array.from({ length: 26 }, (_, i) => i)];
    const t = generateClientToken(replay(bytes));
    expect(t.slice(4, 34)).toBe(`0z0z${BASE62.slice(0, 26)}`);
    expect(checkTokenFormat(t).ok).toBe(true);
  });

  it('keeps asking the random source when it rejects many bytes', () => {
    const t = generateClientToken(replay(Array.from({ length: 100 }, () => 252)));
    expect(t).toMatch(FORMAT);
  });

  it('has no modulo bias: character counts over 30,000 characters pass a chi-square bound', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i++) for (const c of generateClientToken().slice(4, 34)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = 30_000 / 62;
    const chi2 = [...counts.values()].reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // 61 degrees of freedom: the p = 1e-6 point is 128.5. Plain `byte % 62` over all 256 values
    // puts 5/256 instead of 4/256 on the first 8 characters: about 260 on average at this size
    // (never below 160 in 500 simulated runs).
    expect(chi2).toBeLessThan(130);
  });

  it('rejects, with a reason, a wrong prefix, length or alphabet', () => {
    const t = generateClientToken();
    expect(checkTokenFormat(`xil_${t.slice(4)}`)).toEqual({ ok: false, reason: expect.stringMatching(/start with "sil_"/) });
    expect(checkTokenFormat(t.slice(0, 39))).toEqual({ ok: false, reason: expect.stringMatching(/39 characters/) });
    expect(checkTokenFormat(`${t}A`)).toEqual({ ok: false, reason: expect.stringMatching(/41 characters/) });
    expect(checkTokenFormat(`${t.slice(0, 10)}-${t.slice(11)}`)).toEqual({ ok: false, reason: expect.stringMatching(/character 11 is not a base62/) });
    expect(checkTokenFormat('')).toMatchObject({ ok: false });
    const bad = checkTokenFormat(`${t.slice(0, 39)}${t[39] === 'a' ? 'b' : 'a'}`);
    expect(bad).toEqual({ ok: false, reason: expect.stringMatching(/checksum/) });
    expect(JSON.stringify(bad)).not.toContain(t.slice(4, 34));
  });

  it('detects any single changed character (200 random mutations)', () => {
    for (let i = 0; i < 200; i++) {
      const t = generateClientToken();
      const pos = randomInt(4, 40);
      let c: string;
      do c = BASE62[randomInt(62)]; while (c === t[pos]);
      const mutated = t.slice(0, pos) + c + t.slice(pos + 1);
      expect(checkTokenFormat(mutated), `${pos}`).toEqual({ ok: false, reason: expect.stringMatching(/checksum/) });
    }
  });
});

describe('client token hashes', () => {
  it('hashes to sha256:<64 hex>, the client schema pattern, deterministically', () => {
    const t = generateClientToken();
    expect(hashToken(t)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashToken(t)).toBe(hashToken(t));
    expect(hashToken(t)).not.toBe(hashToken(generateClientToken()));
    expect(hashToken('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('keeps the last 4 characters as the hint', () => {
    const t = generateClientToken();
    expect(tokenHint(t)).toBe(t.slice(36));
    expect(tokenHint(t)).toHaveLength(4);
  });

  it('compares in constant time: true for the token, false for another token or another length', () => {
    const t = generateClientToken();
    const h = hashToken(t);
    expect(tokenMatches(t, h)).toBe(true);
    expect(tokenMatches(generateClientToken(), h)).toBe(false);
    expect(tokenMatches(t, h.slice(0, -1))).toBe(false);
    expect(tokenMatches(t, `${h}0`)).toBe(false);
    expect(tokenMatches(t, '')).toBe(false);
    expect(tokenMatches(t, h.toUpperCase())).toBe(false);
  });
});

describe('findClientByToken', () => {
  const [a1, a2, b1] = [generateClientToken(), generateClientToken(), generateClientToken()];
  const clients = new Map<string, Client>([
    ['alpha', client('alpha', [a1, a2])],
    ['beta', client('beta', [b1])],
  ]);

  it('finds the client and token id of an active token', () => {
    expect(findClientByToken(a2, clients, NOW)).toEqual({ client: clients.get('alpha'), tokenId: 't2' });
    expect(findClientByToken(b1, clients, NOW)).toMatchObject({ client: { name: 'beta' }, tokenId: 't1' });
  });

  it('returns null for an unknown token and for malformed strings, without hashing them against clients', () => {
    expect(findClientByToken(generateClientToken(), clients, NOW)).toBeNull();
    expect(findClientByToken(`${a1.slice(0, 39)}${a1[39] === 'a' ? 'b' : 'a'}`, clients, NOW)).toBeNull();
    expect(findClientByToken('', clients, NOW)).toBeNull();
    // A client whose stored hash is that of a malformed string is still not matched.
    const odd = new Map([['odd', client('odd', ['not-a-token'])]]);
    expect(findClientByToken('not-a-token', odd, NOW)).toBeNull();
  });

  it('does not find revoked, expired or disabled clients\' tokens', () => {
    const t = generateClientToken();
    const at = (extra: Partial<Client>, tokenExtra: Record<string, string> = {}) =>
      findClientByToken(t, new Map([['c', client('c', [t], extra, tokenExtra)]]), NOW);
    expect(at({})).not.toBeNull();
    expect(at({ enabled: true })).not.toBeNull();
    expect(at({ enabled: false })).toBeNull();
    expect(at({}, { revokedAt: '2026-05-01T00:00:00Z' })).toBeNull();
    expect(at({}, { revokedAt: NOW.toISOString() })).toBeNull();
    expect(at({}, { expiresAt: '2026-05-31T23:59:59Z' })).toBeNull();
    expect(at({}, { expiresAt: 'not a date' })).toBeNull();
    expect(at({}, { expiresAt: '2026-06-02T00:00:00Z' })).not.toBeNull();
    // A revocation dated in the future takes effect then.
    expect(at({}, { revokedAt: '2026-07-01T00:00:00Z' })).not.toBeNull();
  });

  it('finds the other active token of a client when one is revoked', () => {
    const c = client('gamma', [a1, a2]);
    c.tokens![0].revokedAt = '2026-01-02T00:00:00Z';
    const map = new Map([['gamma', c]]);
    expect(findClientByToken(a1, map, NOW)).toBeNull();
    expect(findClientByToken(a2, map, NOW)).toMatchObject({ tokenId: 't2' });
  });

  it('reports token status', () => {
    const base = { id: 't1', hash: hashToken(a1), createdAt: '2026-01-01T00:00:00Z' };
    expect(tokenStatus(base, NOW)).toBe('active');
    expect(tokenStatus({ ...base, revokedAt: '2026-01-02T00:00:00Z', expiresAt: '2026-01-03T00:00:00Z' }, NOW)).toBe('revoked');
    expect(tokenStatus({ ...base, expiresAt: '2026-01-03T00:00:00Z' }, NOW)).toBe('expired');
  });
});
