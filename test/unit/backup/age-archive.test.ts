import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { armor, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { decryptArchive, encryptArchive, identitiesOf, parseRecipients } from '../../../server/backup/age-archive.ts';
import { caught } from '../../helpers/caught.ts';
import { tempDir } from '../../helpers/tmp.ts';
import type { SilError } from '../../../server/errors.ts';

const NAMES = { archive: 'b.age', identity: 'owner.key' };

describe('backup age encryption', () => {
  it('parses recipients from flags and a file (comments, duplicates), refusing anything else', () => {
    const r = `age1${'q'.repeat(58)}`;
    const s = `age1${'p'.repeat(58)}`;
    expect(parseRecipients([r], `# owner keys\n${s}\n\n${r}\n`)).toEqual([r, s]);
    expect(() => parseRecipients(['ssh-ed25519 AAAA'])).toThrow(/is not an age recipient/);
    expect(() => parseRecipients([], '\n# none\n')).toThrow(/no recipient/);
  });

  it('round-trips, and the age CLI opens what it writes', async () => {
    const id = await generateX25519Identity();
    const sealed = await encryptArchive(Buffer.from('archive bytes'), [await identityToRecipient(id)]);
    const ids = await identitiesOf(`# a key\n${id}\n`, 'owner.key');
    expect(Buffer.from(await decryptArchive(sealed, ids, NAMES)).toString()).toBe('archive bytes');
    expect(Buffer.from(await decryptArchive(Buffer.from(armor.encode(sealed)), ids, NAMES)).toString()).toBe('archive bytes');
    const tmp = tempDir('sil-age-');
    try {
      writeFileSync(join(tmp.path, 'k'), `${id}\n`);
      writeFileSync(join(tmp.path, 'b.age'), sealed);
      expect(execFileSync('age', ['-d', '-i', join(tmp.path, 'k'), join(tmp.path, 'b.age')], { encoding: 'utf8' })).toBe('archive bytes');
    } finally {
      tmp.cleanup();
    }
  });

  it('tells a wrong identity from a damaged or foreign file', async () => {
    const id = await generateX25519Identity();
    const sealed = await encryptArchive(Buffer.alloc(100_000, 1), [await identityToRecipient(id)]);
    const other = await identitiesOf(await generateX25519Identity(), 'owner.key');
    const wrong = (await caught(decryptArchive(sealed, other, NAMES))) as SilError;
    expect(wrong.code).toBe('SIL_VAULT_IDENTITY');
    expect(wrong.message).toMatch(/^owner\.key \(age1.*\) cannot open b\.age: the archive was encrypted to other recipients$/);
    const mine = await identitiesOf(id, 'owner.key');
    const flipped = Uint8Array.from(sealed);
    flipped[sealed.length - 500] ^= 1;
    expect(await caught(decryptArchive(flipped, mine, NAMES))).toMatchObject({ code: 'SIL_BACKUP_ARCHIVE', message: expect.stringContaining('damaged or was changed') });
    expect(await caught(decryptArchive(Buffer.from('PK\u0003\u0004 a zip'), mine, NAMES))).toMatchObject({ code: 'SIL_BACKUP_ARCHIVE', message: expect.stringContaining('is not an age-encrypted file') });
    expect(await caught(identitiesOf('nothing here', 'owner.key'))).toMatchObject({ code: 'SIL_VAULT_IDENTITY', message: 'owner.key holds no AGE-SECRET-KEY line' });
  });
});
