import { describe, it, expect } from 'vitest';
import { hashPassword, needsRehash, parsePasswordHash, passwordProblem, verifyPassword } from '../../../../server/api/owner/password.ts';
import { caught } from '../../../helpers/caught.ts';

describe('owner password (Argon2id)', () => {
  it('hashes into a PHC string with the OWASP parameters and verifies it', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    expect(await verifyPassword(undefined, hash)).toBe(false);
    expect(await verifyPassword({ toString: () => 'x' }, hash)).toBe(false);
    // a new salt every time
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
  });

  it('normalises to NFC: the same passphrase composed two ways is the same password', async () => {
    const composed = 'pässwörd-längere';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('refuses passwords under 12 characters (counted as characters, not bytes)', async () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('12345678901')).toMatch(/11 characters/);
    expect(passwordProblem('123456789012')).toBeUndefined();
    expect(passwordProblem('😀'.repeat(11))).toMatch(/11 characters/);
    expect(passwordProblem(' '.repeat(20))).toMatch(/white space/);
    expect(passwordProblem(42)).toMatch(/string/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most 1024/);
    expect((await caught(hashPassword('short'))).code).toBe('SIL_PASSWORD_WEAK');
  });

  it('treats a malformed or tampered stored hash as no match', async () => {
    expect(await verifyPassword('correct horse battery staple', 'plaintext')).toBe(false);
    expect(parsePasswordHash('$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g')).toBeUndefined();
    expect(parsePasswordHash('$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g')).toBeUndefined();
  });

  it('asks for a rehash when the stored parameters are weaker', async () => {
    const weak = await hashPassword('correct horse battery staple', { m: 1024, t: 1, p: 1 });
    expect(await verifyPassword('correct horse battery staple', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(await hashPassword('correct horse battery staple'))).toBe(false);
  });
});
