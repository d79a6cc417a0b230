// Writing a state file of the data directory (data/state/*): whole and atomically — a temporary
// file of its own beside it, fsync, then rename over the old one — so a reader or a crash (even
// kill -9) sees the old file or the new one, never half of one. Mode 0600: state files hold
// password hashes, sessions, counters and deliveries an outsider has no business reading.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Replaces `path` with `text`. */
export async function writeStateFile(path: string, text: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  // A name of its own per write: two writes of one file never share a temporary file.
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
