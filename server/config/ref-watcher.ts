// Tells when a branch ref may have moved: fs.watch on the refs folder and packed-refs, plus a
// polling fallback for file systems where watching is unreliable (network mounts, containers).
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

export interface RefWatcher { close(): void }

export function watchRef(gitdir: string, branch: string, onMaybeChanged: () => void, pollMs = 500): RefWatcher {
  const watchers: FSWatcher[] = [];
  const tryWatch = (path: string, filter: (name: string | null) => boolean) => {
    try {
      const w = watch(path, { persistent: false }, (_event, name) => { if (filter(name)) onMaybeChanged(); });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      // Polling below still notices changes.
    }
  };
  const leaf = branch.split('/').pop()!;
  tryWatch(join(gitdir, 'refs', 'heads', ...branch.split('/').slice(0, -1)), (name) => name === null || name === leaf || name === `${leaf}.lock`);
  tryWatch(gitdir, (name) => name === null || name === 'packed-refs');
  const timer = setInterval(onMaybeChanged, pollMs);
  timer.unref();
  return {
    close() {
      clearInterval(timer);
      for (const w of watchers) w.close();
    },
  };
}
