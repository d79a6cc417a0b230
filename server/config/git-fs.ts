// The file system handed to isomorphic-git. Its public functions re-wrap `fs` on every call:
// they probe it by calling readFile() with no path (an error with a stack each time) and stat
// the gitdir. Reading thousands of blobs, that overhead was half of the load time, so this
// wrapper answers the probe with a prepared error and remembers the gitdir's stat.
import fs from 'node:fs';
import type { Stats } from 'node:fs';
import type { FsClient } from 'isomorphic-git';

const PROBE_ERROR = Object.assign(new Error('readFile needs a path'), { code: 'EINVAL' });
const cache = new Map<string, FsClient>();

export function gitFs(gitdir: string): FsClient {
  const known = cache.get(gitdir);
  if (known) return known;
  const p = fs.promises;
  let dirStat: Promise<Stats> | undefined;
  const wrapped = {
    promises: {
      ...p,
      readFile: ((path: unknown, options?: unknown) =>
        path === undefined ? Promise.reject(PROBE_ERROR) : p.readFile(path as string, options as never)) as typeof p.readFile,
      stat: ((path: string, options?: unknown) => {
        if (path !== gitdir) return p.stat(path, options as never);
        dirStat ??= p.stat(path).catch((err) => { dirStat = undefined; throw err; });
        return dirStat;
      }) as typeof p.stat,
    },
  };
  cache.set(gitdir, wrapped as unknown as FsClient);
  return wrapped as unknown as FsClient;
}
