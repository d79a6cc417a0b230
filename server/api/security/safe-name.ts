// Ids and file names that come from requests are confined to their folder: a name is one path
// segment of safe characters (no `/`, `\`, NUL, no leading dot so `.`, `..` and hidden files are
// out), and the joined path is checked to stay inside the folder.
import { resolve, sep } from 'node:path';
import { SilError } from '../../errors.ts';

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export function isSafeName(name: unknown): name is string {
  return typeof name === 'string' && SAFE_NAME.test(name);
}

/** Throws 400 SIL_NAME_INVALID unless `name` is a safe single path segment. */
export function assertSafeName(name: unknown, what = 'name'): string {
  if (!isSafeName(name)) throw new SilError('SIL_NAME_INVALID', `the ${what} ${JSON.stringify(typeof name === 'string' ? name.slice(0, 80) : name)} is not allowed`);
  return name;
}

/** `folder/name[suffix]`, refused (400 SIL_NAME_INVALID) when it would leave `folder`. */
export function confinedPath(folder: string, name: unknown, suffix = ''): string {
  const safe = assertSafeName(name);
  const root = resolve(folder);
  const full = resolve(root, `${safe}${suffix}`);
  if (!full.startsWith(root + sep)) throw new SilError('SIL_NAME_INVALID', `the name ${JSON.stringify(safe)} leaves its folder`);
  return full;
}
