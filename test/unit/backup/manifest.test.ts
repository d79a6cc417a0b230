import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { ARCHIVE_PATHS, buildManifest, checkArchive, parseBundleHeader } from '../../../server/backup/manifest.ts';
import type { TarEntry } from '../../../server/backup/tar.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const bundle = (head = `# v2 git bundle\n${A} refs/heads/main\n${B} refs/heads/old\n${A} HEAD\n\n`) => Buffer.concat([Buffer.from(head), Buffer.from('PACK....')]);
const entry = (path: string, data: Uint8Array): TarEntry => ({ path, data, mode: 0o600, mtime: 0 });
const META = { silVersion: '0.1.0', created: new Date('2026-12-07T03:15:00Z'), host: 'sil-1', recipients: [`age1${'q'.repeat(58)}`] };

function archive(files = [entry(ARCHIVE_PATHS.bundle, bundle()), entry(ARCHIVE_PATHS.ageKey, Buffer.from('AGE-SECRET-KEY-1\n')), entry(ARCHIVE_PATHS.signingKey, Buffer.from('k\n'))]) {
  const manifest = buildManifest(META, files);
  return { manifest, entries: [entry(ARCHIVE_PATHS.manifest, Buffer.from(JSON.stringify(manifest))), ...files] };
}

describe('backup manifest', () => {
  it('parses git bundle headers (v2, v3) and refuses other files', () => {
    expect(parseBundleHeader(bundle())).toEqual({ version: 2, refs: { 'refs/heads/main': A, 'refs/heads/old': B, HEAD: A }, prerequisites: [] });
    expect(parseBundleHeader(Buffer.from(`# v3 git bundle\n@object-format=sha1\n-${B} old\n${A} refs/heads/main\n\nPACK`))).toMatchObject({ version: 3, prerequisites: [B] });
    expect(parseBundleHeader(Buffer.from('hello\n\n'))).toBeNull();
  });

  it('lists every file with its SHA-256 and the bundle\'s main', () => {
    const { manifest } = archive();
    expect(manifest).toMatchObject({ format: 'sil-backup', version: 1, commit: A, created: '2026-12-07T03:15:00.000Z', host: 'sil-1' });
    expect(manifest.files.map((f) => f.path)).toEqual(['config.bundle', 'keys/age.key', 'keys/signing']);
    expect(manifest.files[2]).toEqual({ path: 'keys/signing', sha256: createHash('sha256').update('k\n').digest('hex'), bytes: 2, mode: 0o600 });
    expect(() => buildManifest(META, [entry(ARCHIVE_PATHS.bundle, bundle(`# v2 git bundle\n${A} refs/heads/dev\n\n`))])).toThrow(/no refs\/heads\/main/);
  });

  it('an archive as written checks clean', () => {
    const { entries } = archive();
    const r = checkArchive(entries);
    expect(r.problems).toEqual([]);
    expect([...r.files.keys()]).toEqual(['config.bundle', 'keys/age.key', 'keys/signing']);
  });

  it('names a changed, missing, extra or unknown file', () => {
    const { entries } = archive();
    const changed = entries.map((e) => (e.path === ARCHIVE_PATHS.ageKey ? entry(e.path, Buffer.from('AGE-SECRET-KEY-2\n')) : e));
    expect(checkArchive(changed).problems).toEqual(['keys/age.key does not match its SHA-256 in the manifest']);
    expect(checkArchive(entries.filter((e) => e.path !== ARCHIVE_PATHS.signingKey)).problems).toEqual(['keys/signing is listed in the manifest but missing']);
    expect(checkArchive([...entries, entry(ARCHIVE_PATHS.owner, Buffer.from('{}'))]).problems).toEqual(['state/owner.json is not listed in the manifest']);
    expect(checkArchive([...entries, entry('etc/passwd', Buffer.from('x'))]).problems).toContain('etc/passwd does not belong in a sil backup');
  });

  it('refuses a manifest that is not one, and a bundle whose main is not the manifest\'s commit', () => {
    const { entries } = archive();
    expect(checkArchive(entries.slice(1)).problems).toEqual(['no manifest.json: not a sil backup']);
    expect(checkArchive([entry(ARCHIVE_PATHS.manifest, Buffer.from('{"format":"x"}')), ...entries.slice(1)]).problems).toEqual(['manifest.json is not a sil backup manifest']);
    const m = JSON.parse(Buffer.from(entries[0].data).toString()) as { commit: string };
    m.commit = B;
    expect(checkArchive([entry(ARCHIVE_PATHS.manifest, Buffer.from(JSON.stringify(m))), ...entries.slice(1)]).problems).toEqual([`the bundle's main (${A}) is not the manifest's commit ${B}`]);
  });
});
