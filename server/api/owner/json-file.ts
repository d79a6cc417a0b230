// Small JSON state files under data/state/: read whole, written atomically (a temporary file in
// the same folder, fsync, rename over the old one), mode 0600 since they hold secrets or their
// hashes. A reader never sees half a file; a crash leaves the old or the new version.
import { readFile } from 'node:fs/promises';
import { SilError } from '../../errors.ts';
import { writeStateFile } from '../../config/state-file.ts';

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

/** Replaces the file with `value` as JSON, atomically, mode 0600 (config/state-file.ts). */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  try {
    await writeStateFile(path, `${JSON.stringify(value, null, 2)}\n`);
  } catch (err) {
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
