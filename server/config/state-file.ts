// Writing a state file of the data directory (data/state/*.json): whole and atomically — a
// temporary file beside it, fsync, then rename over the old one — so a reader or a crash (even
// kill -9) sees the old file or the new one, never half of one. Mode 0600: state files may hold
// hashes, counters and deliveries an outsider has no business reading.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Replaces `path` with `text`. */
export async function writeStateFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
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
