import { describe, it, expect } from 'vitest';
import { checkModes, checkOwnership, type FileFact, type FilesFacts } from '../../../server/doctor/checks-files.ts';

const SIL = 999;
const names: Record<number, string> = { 0: 'root', [SIL]: 'sil' };

/** A healthy data directory: 0700, keys 0700, key files 0600, a world-readable usage file inside. */
function healthy(): FileFact[] {
  return [
    { rel: '.', mode: 0o700, uid: SIL, isDir: true },
    { rel: 'config.git', mode: 0o755, uid: SIL, isDir: true },
    { rel: 'keys', mode: 0o700, uid: SIL, isDir: true },
    { rel: 'keys/age.key', mode: 0o600, uid: SIL, isDir: false },
    { rel: 'keys/signing', mode: 0o600, uid: SIL, isDir: false },
    { rel: 'keys/signing.pub', mode: 0o644, uid: SIL, isDir: false },
    { rel: 'state', mode: 0o755, uid: SIL, isDir: true },
    { rel: 'state/owner.json', mode: 0o600, uid: SIL, isDir: false },
    { rel: 'state/usage', mode: 0o755, uid: SIL, isDir: true },
    { rel: 'state/usage/day.json', mode: 0o644, uid: SIL, isDir: false },
  ];
}

const facts = (entries: FileFact[], hubUid: number | null = SIL): FilesFacts => ({ dataDir: '/var/lib/sil', entries, truncated: false, hubUid, nameOf: (u) => names[u] ?? `uid ${u}` });
const edit = (entries: FileFact[], rel: string, change: Partial<FileFact>) => entries.map((e) => (e.rel === rel ? { ...e, ...change } : e));

describe('doctor: ownership', () => {
  it('ok when everything belongs to the data directory\'s owner, who runs the hub', () => {
    expect(checkOwnership(facts(healthy()))).toMatchObject({ status: 'ok', message: '/var/lib/sil and its 10 entries belong to sil' });
  });

  it('FAIL naming files of another user, with the chown that fixes it', () => {
    const r = checkOwnership(facts(edit(healthy(), 'state/owner.json', { uid: 0 })));
    expect(r).toMatchObject({ status: 'fail', message: expect.stringContaining('state/owner.json (root)'), fix: expect.stringContaining('chown -R sil:sil /var/lib/sil') });
  });

  it('FAIL when the hub runs as another user than the owner', () => {
    expect(checkOwnership(facts(healthy(), 1234))).toMatchObject({ status: 'fail', message: expect.stringContaining('running hub is uid 1234') });
  });

  it('warns when all of it belongs to root; FAIL when the directory is missing', () => {
    expect(checkOwnership(facts(healthy().map((e) => ({ ...e, uid: 0 })), 0))).toMatchObject({ status: 'warn', fix: expect.stringContaining('adduser --system sil') });
    expect(checkOwnership(facts([])).status).toBe('fail');
  });
});

describe('doctor: modes', () => {
  it('ok for 0700 / 0600, even with world-readable files inside the closed directory', () => {
    expect(checkModes(facts(healthy())).status).toBe('ok');
  });

  it('FAIL for an open keys folder or key file, naming the chmod', () => {
    expect(checkModes(facts(edit(healthy(), 'keys', { mode: 0o755 })))).toMatchObject({ status: 'fail', message: 'keys is 0755 (must be 0700)', fix: 'chmod 700 /var/lib/sil/keys' });
    const r = checkModes(facts(edit(healthy(), 'keys/signing', { mode: 0o644 })));
    expect(r).toMatchObject({ status: 'fail', message: 'keys/signing is 0644 (must be 0600)', fix: 'chmod 600 /var/lib/sil/keys/signing' });
  });

  it('an open data directory: FAIL when a secret state file is readable by all, warn for other state files', () => {
    const open = edit(healthy(), '.', { mode: 0o755 });
    expect(checkModes(facts(open))).toMatchObject({ status: 'warn', message: expect.stringContaining('state/usage/day.json'), fix: expect.stringContaining('chmod -R go-rwx /var/lib/sil/state') });
    const leaked = edit(open, 'state/owner.json', { mode: 0o644 });
    expect(checkModes(facts(leaked))).toMatchObject({ status: 'fail', message: expect.stringContaining('readable by every user: state/owner.json') });
    // A closed folder on the way hides it.
    expect(checkModes(facts(edit(leaked, 'state', { mode: 0o700 }))).status).toBe('warn'); // only the 0755 directory itself is left
  });

  it('FAIL for anything world-writable', () => {
    expect(checkModes(facts(edit(healthy(), 'config.git', { mode: 0o777 })))).toMatchObject({ status: 'fail', message: 'world-writable: config.git', fix: 'chmod -R o-w /var/lib/sil' });
  });

  it('warns when only the data directory itself is open', () => {
    const onlyRoot = edit(healthy(), '.', { mode: 0o755 }).filter((e) => !e.rel.startsWith('state/usage'));
    expect(checkModes(facts(onlyRoot))).toMatchObject({ status: 'warn', message: '/var/lib/sil is 0755: other users can look inside', fix: expect.stringContaining('chmod 700 /var/lib/sil') });
  });
});
