import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packTar, unpackTar, TarError } from '../../../server/backup/tar.ts';
import { tempDir } from '../../helpers/tmp.ts';

const tmp = tempDir('sil-tar-');
afterAll(() => tmp.cleanup());

const files = [
  { path: 'manifest.json', data: Buffer.from('{"a":1}\n'), mode: 0o644, mtime: 1_700_000_000 },
  { path: 'keys/age.key', data: Buffer.from('AGE-SECRET-KEY-1X\n'), mode: 0o600, mtime: 1_700_000_000 },
  { path: 'config.bundle', data: Buffer.alloc(1537, 7), mode: 0o600, mtime: 1_700_000_000 },
  { path: 'empty', data: Buffer.alloc(0), mode: 0o600, mtime: 1_700_000_000 },
];

describe('backup tar', () => {
  it('reads back what it writes', () => {
    const back = unpackTar(packTar(files));
    expect(back.map((e) => [e.path, Buffer.from(e.data).toString('hex'), e.mode, e.mtime])).toEqual(files.map((e) => [e.path, e.data.toString('hex'), e.mode, e.mtime]));
  });

  it('is a tar archive GNU tar lists and extracts, modes kept', () => {
    const file = join(tmp.path, 'a.tar');
    writeFileSync(file, packTar(files));
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    expect(listing).toMatch(/-rw------- 0\/0 +1537 .* config\.bundle/);
    execFileSync('tar', ['-xf', file, '-C', tmp.path]);
    expect(readFileSync(join(tmp.path, 'keys/age.key'), 'utf8')).toBe('AGE-SECRET-KEY-1X\n');
    expect(statSync(join(tmp.path, 'keys/age.key')).mode & 0o777).toBe(0o600);
  });

  it('reads what GNU tar writes', () => {
    const dir = join(tmp.path, 'gnu');
    execFileSync('mkdir', ['-p', join(dir, 'keys')]);
    writeFileSync(join(dir, 'keys', 'signing'), 'key\n');
    const file = join(tmp.path, 'gnu.tar');
    execFileSync('tar', ['--format=ustar', '-cf', file, '-C', dir, 'keys/signing']);
    expect(unpackTar(readFileSync(file)).map((e) => [e.path, Buffer.from(e.data).toString()])).toEqual([['keys/signing', 'key\n']]);
  });

  it('refuses unsafe paths, damaged headers, cut archives and non-files', () => {
    expect(() => packTar([{ ...files[0], path: '../x' }])).toThrow(TarError);
    expect(() => packTar([{ ...files[0], path: '/etc/x' }])).toThrow(TarError);
    const good = packTar(files);
    const damaged = Uint8Array.from(good);
    damaged[10] ^= 1;
    expect(() => unpackTar(damaged)).toThrow(/checksum mismatch/);
    expect(() => unpackTar(good.subarray(0, 1024 + 100))).toThrow(/cut short|end-of-archive/);
    const link = Uint8Array.from(good);
    link[156] = 0x32; // '2': a symlink
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : link[i];
    link.set(Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    expect(() => unpackTar(link)).toThrow(/not a regular file/);
  });
});
