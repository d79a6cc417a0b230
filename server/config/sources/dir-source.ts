// Reads config files from a directory (a clone's work tree), for `sil validate DIR`.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_DIRS, type ConfigSource, type TreeEntry } from './source.ts';

const DIRS = new Set<string>(CONFIG_DIRS);

export function dirSource(dir: string): ConfigSource {
  return {
    label: dir,
    async list() {
      const out: TreeEntry[] = [];
      const add = async (rel: string, name: string, isDir: boolean, isFile: boolean) => {
        const path = rel ? `${rel}/${name}` : name;
        const s = isFile ? await stat(join(dir, path)) : undefined;
        out.push({ path, id: s ? `${s.size}:${s.mtimeMs}` : path, size: s?.size, kind: isFile ? 'file' : isDir ? 'dir' : 'other' });
      };
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.name === '.git') continue;
        await add('', e.name, e.isDirectory(), e.isFile());
        if (e.isDirectory() && DIRS.has(e.name)) {
          for (const s of await readdir(join(dir, e.name), { withFileTypes: true })) await add(e.name, s.name, s.isDirectory(), s.isFile());
        }
      }
      return out;
    },
    read(entries) {
      return Promise.all(entries.map((e) => readFile(join(dir, e.path))));
    },
  };
}
