// `sil restore`: a backup archive into a new data directory. Everything is checked before
// anything lands: the archive opens with the owner's identity, every file matches the manifest,
// the bundle verifies; the data directory is then built in a temporary folder beside the target
// (config.git cloned from the bundle, keys 0600 in a 0700 folder, the pre-receive hook), the
// config at main must load with the restored identity, and only then is the folder renamed into
// place. A refused archive or a failed check leaves nothing behind.
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SilError } from '../errors.ts';
import { git } from '../config/git-cli.ts';
import { dataPaths, installHook } from '../config/repo-init.ts';
import { loadSigningKey } from '../vault/signing-key.ts';
import { parseIdentityFile } from '../vault/sops/data-key.ts';
import { ARCHIVE_PATHS, checkArchive, type BackupManifest } from './manifest.ts';
import { TarError, unpackTar, type TarEntry } from './tar.ts';
import { decryptArchive, identitiesOf } from './age-archive.ts';
import { checkConfigLoads, type ConfigLoadReport } from './config-load-check.ts';

export interface RestoreOptions { from: string; identityFile: string; dataDir: string }

export interface RestoreResult {
  dataDir: string;
  manifest: BackupManifest;
  config: ConfigLoadReport;
  /** Archive paths written into the data directory besides config.git. */
  restored: string[];
  refs: number;
}

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new SilError('SIL_USAGE', `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Refuses a target that exists and is not an empty directory. */
async function checkTarget(dataDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new SilError('SIL_DATA_DIR', `${dataDir} cannot be restored into: ${code === 'ENOTDIR' ? 'it is a file' : code ?? (err as Error).message}`);
  }
  if (entries.length) {
    throw new SilError('SIL_DATA_DIR', `${dataDir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}): sil restore writes only into a new or empty directory`, {
      hint: `give a new --data path; to replace a broken data directory, stop the hub and move it aside first (mv ${dataDir} ${dataDir}.broken)`,
    });
  }
}

/** Decrypts, unpacks and checks the archive in memory. */
async function openArchive(opts: RestoreOptions): Promise<{ manifest: BackupManifest; files: Map<string, TarEntry> }> {
  const [archive, identityText] = await Promise.all([readInput(opts.from, 'the archive'), readInput(opts.identityFile, 'the identity file')]);
  const identity = await identitiesOf(identityText.toString('utf8'), opts.identityFile);
  const plain = await decryptArchive(archive, identity, { archive: opts.from, identity: opts.identityFile });
  let entries: TarEntry[];
  try {
    entries = unpackTar(plain);
  } catch (err) {
    if (!(err instanceof TarError)) throw err;
    throw new SilError('SIL_BACKUP_ARCHIVE', `${opts.from}: the archive inside is damaged: ${err.message}`);
  }
  const { manifest, files, problems } = checkArchive(entries);
  if (!manifest || problems.length) {
    throw new SilError('SIL_BACKUP_ARCHIVE', `${opts.from} does not match its manifest: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`);
  }
  return { manifest, files };
}

/** config.git from the bundle: a bare repository with every ref of it, main checked out as HEAD. */
async function restoreRepository(stage: string, bundle: Uint8Array, manifest: BackupManifest): Promise<number> {
  const gitdir = join(stage, 'config.git');
  const bundleFile = join(stage, '.config.bundle');
  await writeFile(bundleFile, bundle, { mode: 0o600 });
  await git(['init', '--quiet', '--bare', '--initial-branch=main', gitdir]);
  try {
    await git(['bundle', 'verify', '--quiet', bundleFile], { gitDir: gitdir });
  } catch (err) {
    throw new SilError('SIL_BACKUP_ARCHIVE', `the config repository bundle does not verify: ${(err as Error).message}`);
  }
  await git(['fetch', '--quiet', '--no-tags', bundleFile, '+refs/*:refs/*'], { gitDir: gitdir });
  await rm(bundleFile);
  // History is the audit log (as sil init sets it): pushes may not rewrite or delete it.
  await git(['config', 'receive.denyNonFastForwards', 'true'], { gitDir: gitdir });
  await git(['config', 'receive.denyDeletes', 'true'], { gitDir: gitdir });
  const main = (await git(['rev-parse', 'refs/heads/main'], { gitDir: gitdir })).toString('utf8').trim();
  if (main !== manifest.commit) throw new SilError('SIL_BACKUP_ARCHIVE', `main was restored at ${main}, the manifest says ${manifest.commit}`);
  await installHook(gitdir);
  return Object.keys(manifest.refs).filter((r) => r !== 'HEAD').length;
}

async function restoreFiles(stage: string, files: Map<string, TarEntry>): Promise<string[]> {
  const paths = dataPaths(stage);
  for (const dir of [paths.keys, paths.state, paths.audit]) await mkdir(dir, { mode: 0o700 });
  const written: string[] = [];
  for (const [archivePath, entry] of files) {
    if (archivePath === ARCHIVE_PATHS.bundle) continue;
    const mode = archivePath === ARCHIVE_PATHS.signingPub ? 0o644 : 0o600;
    const target = join(stage, archivePath);
    await writeFile(target, entry.data, { mode, flag: 'wx' });
    await chmod(target, mode);
    written.push(archivePath);
  }
  return written.sort();
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const dataDir = resolve(opts.dataDir);
  await checkTarget(dataDir);
  const { manifest, files } = await openArchive(opts);

  let stage: string;
  try {
    await mkdir(dirname(dataDir), { recursive: true });
    stage = await mkdtemp(join(dirname(dataDir), `.${basename(dataDir)}.restore-`));
  } catch (err) {
    throw new SilError('SIL_DATA_DIR', `cannot create a folder in ${dirname(dataDir)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'run sil restore as a user who may write there (root, then chown -R to the hub\'s user)' });
  }
  try {
    await chmod(stage, 0o700);
    const refs = await restoreRepository(stage, files.get(ARCHIVE_PATHS.bundle)!.data, manifest);
    const restored = await restoreFiles(stage, files);
    const paths = dataPaths(stage);
    await loadSigningKey(paths.signingKey);
    const identities = parseIdentityFile(await readFile(paths.ageKey, 'utf8'));
    const config = await checkConfigLoads(paths.gitdir, identities);
    if (!config.ok) {
      throw new SilError('SIL_CONFIG_INVALID', `the restored config at main (${config.commit.slice(0, 7)}) does not load with the restored keys/age.key: nothing was restored`, {
        details: { issues: config.errors },
        hint: 'the lines above name each file; a secrets file that does not decrypt was encrypted for another identity — restore from a backup of the same hub',
      });
    }
    await checkTarget(dataDir);
    await rmdir(dataDir).catch(() => {});
    await rename(stage, dataDir);
    return { dataDir, manifest, config, restored, refs };
  } catch (err) {
    await rm(stage, { recursive: true, force: true });
    throw err;
  }
}
