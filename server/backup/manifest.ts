// What a backup archive holds and the manifest that lists it: pure functions to build the
// manifest and to check an unpacked archive against it (every file's SHA-256, the bundle's refs).
import { createHash } from 'node:crypto';
import type { TarEntry } from './tar.ts';

export const BACKUP_FORMAT = 'sil-backup';
export const BACKUP_VERSION = 1;

/** Paths inside the archive. The bundle and the two keys are required; the rest when present. */
export const ARCHIVE_PATHS = {
  manifest: 'manifest.json',
  bundle: 'config.bundle',
  ageKey: 'keys/age.key',
  signingKey: 'keys/signing',
  signingPub: 'keys/signing.pub',
  owner: 'state/owner.json',
} as const;

const REQUIRED = [ARCHIVE_PATHS.bundle, ARCHIVE_PATHS.ageKey, ARCHIVE_PATHS.signingKey];
const KNOWN = new Set<string>(Object.values(ARCHIVE_PATHS));

export interface ManifestFile { path: string; sha256: string; bytes: number; mode: number }

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  /** The sil version that wrote it. */
  silVersion: string;
  created: string;
  host: string;
  /** refs/heads/main of the bundle: the commit a restore serves. */
  commit: string;
  /** Every ref of the bundle (name → commit id), HEAD included. */
  refs: Record<string, string>;
  /** The age recipients the archive is encrypted to (public keys). */
  recipients: string[];
  files: ManifestFile[];
}

export const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

export interface BundleHeader { version: number; refs: Record<string, string>; prerequisites: string[] }

/** The header of a git bundle (v2 or v3): its refs and prerequisites; null when it is not one. */
export function parseBundleHeader(bundle: Uint8Array): BundleHeader | null {
  const end = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength).indexOf('\n\n');
  if (end < 0) return null;
  const [first, ...lines] = Buffer.from(bundle.subarray(0, end)).toString('utf8').split('\n');
  const version = first === '# v2 git bundle' ? 2 : first === '# v3 git bundle' ? 3 : 0;
  if (!version) return null;
  const refs: Record<string, string> = {};
  const prerequisites: string[] = [];
  for (const line of lines) {
    if (line.startsWith('@')) continue; // v3 capability
    const m = /^(-?)([0-9a-f]{40}|[0-9a-f]{64})(?: (.*))?$/.exec(line);
    if (!m) return null;
    if (m[1]) prerequisites.push(m[2]);
    else if (m[3]) refs[m[3]] = m[2];
    else return null;
  }
  return { version, refs, prerequisites };
}

export interface ManifestMeta { silVersion: string; created: Date; host: string; recipients: string[] }

/** The manifest of the files given; throws when the bundle has no main branch. */
export function buildManifest(meta: ManifestMeta, files: readonly TarEntry[]): BackupManifest {
  const bundle = files.find((f) => f.path === ARCHIVE_PATHS.bundle);
  const header = bundle ? parseBundleHeader(bundle.data) : null;
  const commit = header?.refs['refs/heads/main'];
  if (!header || !commit) throw new Error('the config repository bundle has no refs/heads/main');
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    silVersion: meta.silVersion,
    created: meta.created.toISOString(),
    host: meta.host,
    commit,
    refs: header.refs,
    recipients: meta.recipients,
    files: files.map((f) => ({ path: f.path, sha256: sha256Hex(f.data), bytes: f.data.length, mode: f.mode & 0o777 })),
  };
}

export interface ArchiveCheck {
  manifest: BackupManifest | null;
  /** Files by archive path (manifest excluded). */
  files: Map<string, TarEntry>;
  /** What does not match; empty when the archive is whole. */
  problems: string[];
}

function parseManifest(entry: TarEntry | undefined, problems: string[]): BackupManifest | null {
  if (!entry) {
    problems.push(`no ${ARCHIVE_PATHS.manifest}: not a sil backup`);
    return null;
  }
  try {
    const m = JSON.parse(Buffer.from(entry.data).toString('utf8')) as BackupManifest;
    if (m?.format !== BACKUP_FORMAT) problems.push(`${ARCHIVE_PATHS.manifest} is not a sil backup manifest`);
    else if (m.version !== BACKUP_VERSION) problems.push(`manifest version ${m.version}: this sil reads version ${BACKUP_VERSION}`);
    else if (!Array.isArray(m.files) || typeof m.commit !== 'string' || !m.refs || typeof m.refs !== 'object') problems.push(`${ARCHIVE_PATHS.manifest} lacks files, commit or refs`);
    else return m;
  } catch (err) {
    problems.push(`${ARCHIVE_PATHS.manifest} is not JSON: ${(err as Error).message}`);
  }
  return null;
}

/** Checks the unpacked archive against its manifest. */
export function checkArchive(entries: readonly TarEntry[]): ArchiveCheck {
  const problems: string[] = [];
  const files = new Map<string, TarEntry>();
  for (const e of entries) {
    if (files.has(e.path)) problems.push(`${e.path} appears twice`);
    if (!KNOWN.has(e.path)) problems.push(`${e.path} does not belong in a sil backup`);
    files.set(e.path, e);
  }
  const manifest = parseManifest(files.get(ARCHIVE_PATHS.manifest), problems);
  files.delete(ARCHIVE_PATHS.manifest);
  if (!manifest) return { manifest, files, problems };
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const path of REQUIRED) if (!listed.has(path)) problems.push(`the manifest does not list ${path}`);
  for (const f of manifest.files) {
    const entry = files.get(f.path);
    if (!entry) problems.push(`${f.path} is listed in the manifest but missing`);
    else if (entry.data.length !== f.bytes || sha256Hex(entry.data) !== f.sha256) problems.push(`${f.path} does not match its SHA-256 in the manifest`);
  }
  for (const path of files.keys()) if (!listed.has(path)) problems.push(`${path} is not listed in the manifest`);
  const bundle = files.get(ARCHIVE_PATHS.bundle);
  if (bundle) {
    const header = parseBundleHeader(bundle.data);
    if (!header) problems.push(`${ARCHIVE_PATHS.bundle} is not a git bundle`);
    else {
      if (header.prerequisites.length) problems.push(`${ARCHIVE_PATHS.bundle} is incremental (needs ${header.prerequisites.length} commits it does not hold)`);
      if (header.refs['refs/heads/main'] !== manifest.commit) problems.push(`the bundle's main (${header.refs['refs/heads/main'] ?? 'none'}) is not the manifest's commit ${manifest.commit}`);
    }
  }
  return { manifest, files, problems };
}
