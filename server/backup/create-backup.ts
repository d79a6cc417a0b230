// `sil backup`: one age-encrypted archive of what a data directory cannot be rebuilt without —
// a git bundle of config.git (every ref), the hub's age identity and commit signing key, the
// owner account — with a manifest of SHA-256s. Safe while the hub runs: git bundle reads a
// consistent set of refs, and each key file is read once.
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeStateFile } from '../config/state-file.ts';
import { SilError } from '../errors.ts';
import { git } from '../config/git-cli.ts';
import { dataPaths } from '../config/repo-init.ts';
import { ARCHIVE_PATHS, buildManifest, type BackupManifest } from './manifest.ts';
import { packTar, type TarEntry } from './tar.ts';
import { encryptArchive } from './age-archive.ts';

export interface BackupOptions {
  dataDir: string;
  /** A file, or an existing directory (or a path ending in /) to write sil-backup-<time>.age into. */
  out: string;
  recipients: readonly string[];
  silVersion: string;
  now?: Date;
}

export interface BackupResult { path: string; bytes: number; manifest: BackupManifest }

/** `sil-backup-20261207T031500Z.age` */
export function backupFileName(now: Date): string {
  return `sil-backup-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.age`;
}

async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SilError('SIL_DATA_DIR', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'run the backup as the user the hub runs as (e.g. `sudo -u sil sil backup ...`)' });
  }
}

async function outputPath(out: string, now: Date): Promise<string> {
  const isDir = out.endsWith('/') || (await stat(out).then((s) => s.isDirectory(), () => false));
  return isDir ? join(out, backupFileName(now)) : out;
}

/** Writes `data` to `path` whole or not at all (config/state-file.ts: a 0600 temporary file beside it, fsync, rename). */
async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  try {
    await writeStateFile(path, data);
  } catch (err) {
    throw new SilError('SIL_DATA_DIR', `cannot write the backup ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'give --out a folder the hub\'s user may write to' });
  }
}

export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const now = opts.now ?? new Date();
  const paths = dataPaths(opts.dataDir);
  if (!(await stat(join(paths.gitdir, 'HEAD')).then(() => true, () => false))) {
    throw new SilError('SIL_DATA_DIR', `no config repository at ${paths.gitdir}`, { hint: 'pass the hub\'s data directory with --data (e.g. /var/lib/sil)' });
  }
  const mtime = Math.floor(now.getTime() / 1000);
  const entries: TarEntry[] = [];
  const bundle = await git(['bundle', 'create', '-', '--all'], { gitDir: paths.gitdir });
  entries.push({ path: ARCHIVE_PATHS.bundle, data: bundle, mode: 0o600, mtime });
  const files: [string, string, number, boolean][] = [
    [ARCHIVE_PATHS.ageKey, paths.ageKey, 0o600, true],
    [ARCHIVE_PATHS.signingKey, paths.signingKey, 0o600, true],
    [ARCHIVE_PATHS.signingPub, `${paths.signingKey}.pub`, 0o644, false],
    [ARCHIVE_PATHS.owner, join(paths.state, 'owner.json'), 0o600, false],
  ];
  for (const [archivePath, path, mode, required] of files) {
    const data = await readIfPresent(path);
    if (data === null && required) {
      throw new SilError('SIL_DATA_DIR', `${path} is missing: the backup would not restore a working hub`, { hint: 'restore the file from an earlier backup first; `sil doctor` checks the data directory' });
    }
    if (data !== null) entries.push({ path: archivePath, data, mode, mtime });
  }
  let manifest: BackupManifest;
  try {
    manifest = buildManifest({ silVersion: opts.silVersion, created: now, host: hostname(), recipients: [...opts.recipients] }, entries);
  } catch (err) {
    throw new SilError('SIL_DATA_DIR', `${paths.gitdir}: ${(err as Error).message}`, { hint: 'a hub\'s config repository always has a main branch; is --data the right directory?' });
  }
  const manifestEntry: TarEntry = { path: ARCHIVE_PATHS.manifest, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), mode: 0o644, mtime };
  const sealed = await encryptArchive(packTar([manifestEntry, ...entries]), opts.recipients);
  const path = await outputPath(opts.out, now);
  await writeAtomically(path, sealed);
  return { path, bytes: sealed.length, manifest };
}
