// Small JSON state files under data/state/: read whole, written atomically (a temporary file in
// the same folder, fsync, rename over the old one), mode 0600 since they hold secrets or their
// hashes. A reader never sees half a file; a crash leaves the old or the new version.
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SilError } from '../../errors.ts';

/** The parsed file, or undefined when it does not exist. A file that is not JSON is an error. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SilError('SIL_DATA_DIR', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SilError('SIL_DATA_DIR', `${path} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
      hint: 'restore the file from a backup, or delete it (owner.json: then run `sil owner reset`)',
    });
  }
}

/** Replaces the file with `value` as JSON, atomically, mode 0600. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw new SilError('SIL_DATA_DIR', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Runs `fn` calls one at a time, in order (read-modify-write of one file in one process). */
export function serial(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
