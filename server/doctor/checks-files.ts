// Checks of the data directory's ownership and modes, over a listing of its entries. Pure.
import { fail, ok, warn, type CheckResult } from './check.ts';

export interface FileFact {
  /** Relative to the data directory; '.' is the directory itself. */
  rel: string;
  mode: number;
  uid: number;
  isDir: boolean;
}

export interface FilesFacts {
  dataDir: string;
  entries: FileFact[];
  /** The listing stopped at its bound. */
  truncated: boolean;
  /** The uid the running hub has, when one runs and it can be read. */
  hubUid: number | null;
  nameOf(uid: number): string;
}

const KEY_FILES = ['keys/age.key', 'keys/signing'];
/** State files holding secrets (password hash and TOTP secret, session hashes, login locks). */
const SECRET_STATE = new Set(['state/owner.json', 'state/sessions.json', 'state/login-throttle.json']);
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');
const examples = (list: readonly string[]) => `${list.slice(0, 3).join(', ')}${list.length > 3 ? `, … (${list.length} in all)` : ''}`;

export function checkOwnership(f: FilesFacts): CheckResult {
  const root = f.entries.find((e) => e.rel === '.');
  if (!root) return fail('ownership', `${f.dataDir} does not exist`, 'run `sil init --data DIR` as the hub\'s user, or `sil restore` a backup into it');
  const owner = f.nameOf(root.uid);
  const foreign = f.entries.filter((e) => e.uid !== root.uid);
  if (foreign.length) {
    const list = foreign.map((e) => `${e.rel} (${f.nameOf(e.uid)})`);
    return fail('ownership', `not owned by ${owner} like ${f.dataDir}: ${examples(list)}`, `chown -R ${owner}:${owner} ${f.dataDir} (a command run as another user, e.g. root, created them; the hub cannot change them)`);
  }
  if (f.hubUid !== null && f.hubUid !== root.uid) {
    return fail('ownership', `the running hub is ${f.nameOf(f.hubUid)} but ${f.dataDir} belongs to ${owner}`, `chown -R ${f.nameOf(f.hubUid)}: ${f.dataDir}, or run the hub as ${owner} (User= in the unit)`);
  }
  const counted = `${f.entries.length}${f.truncated ? '+' : ''} entries`;
  if (root.uid === 0) return warn('ownership', `${f.dataDir} and its ${counted} belong to root: the hub runs with every privilege`, 'run sil as its own user (adduser --system sil; User=sil in the unit) and chown -R sil:sil the directory (docs/deploy/hetzner.md)');
  return ok('ownership', `${f.dataDir} and its ${counted} belong to ${owner}`);
}

/** Whether others (not owner, not group) can reach `rel`: every folder above it is o+x. */
function reachableByOthers(rel: string, dirs: Map<string, number>): boolean {
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    const dir = i === 0 ? '.' : parts.slice(0, i).join('/');
    const mode = dirs.get(dir);
    if (mode === undefined || (mode & 0o001) === 0) return false;
  }
  return true;
}

export function checkModes(f: FilesFacts): CheckResult {
  const byRel = new Map(f.entries.map((e) => [e.rel, e]));
  const dirs = new Map(f.entries.filter((e) => e.isDir).map((e) => [e.rel, e.mode]));
  const root = byRel.get('.');
  if (!root) return fail('modes', `${f.dataDir} does not exist`, 'see the ownership line');
  const failures: string[] = [];
  const fixes: string[] = [];
  const writable = f.entries.filter((e) => (e.mode & 0o002) !== 0).map((e) => e.rel);
  if (writable.length) {
    failures.push(`world-writable: ${examples(writable)}`);
    fixes.push(`chmod -R o-w ${f.dataDir}`);
  }
  const keysDir = byRel.get('keys');
  if (keysDir && (keysDir.mode & 0o077) !== 0) {
    failures.push(`keys is ${octal(keysDir.mode)} (must be 0700)`);
    fixes.push(`chmod 700 ${f.dataDir}/keys`);
  }
  for (const rel of KEY_FILES) {
    const e = byRel.get(rel);
    if (e && (e.mode & 0o077) !== 0) {
      failures.push(`${rel} is ${octal(e.mode)} (must be 0600)`);
      fixes.push(`chmod 600 ${f.dataDir}/${rel}`);
    }
  }
  const exposed = f.entries.filter((e) => !e.isDir && /^(state|audit)\//.test(e.rel) && (e.mode & 0o004) !== 0 && reachableByOthers(e.rel, dirs));
  const secret = exposed.filter((e) => SECRET_STATE.has(e.rel)).map((e) => e.rel);
  if (secret.length) failures.push(`readable by every user: ${examples(secret)}`);
  if (exposed.length) fixes.push(`chmod -R go-rwx ${f.dataDir}/state ${f.dataDir}/audit`);
  if (failures.length) return fail('modes', failures.join('; '), [...new Set(fixes)].join('; '));
  if (exposed.length) return warn('modes', `readable by every user: ${examples(exposed.map((e) => e.rel))}`, [...new Set(fixes)].join('; '));
  if ((root.mode & 0o077) !== 0) return warn('modes', `${f.dataDir} is ${octal(root.mode)}: other users can look inside`, `chmod 700 ${f.dataDir} (the unit's StateDirectoryMode / install -m 0700 does this)`);
  return ok('modes', `${f.dataDir} 0700, keys 0700, key files 0600, state and audit private`);
}
