// Config files held in memory (an import bundle, a proposed change, a test).
import { createHash } from 'node:crypto';
import { CONFIG_DIRS, type ConfigSource, type TreeEntry } from './source.ts';

export function memorySource(files: Readonly<Record<string, string | Uint8Array>>, label = 'memory'): ConfigSource {
  const bytes = new Map(Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? Buffer.from(c, 'utf8') : c]));
  const dirs = new Set<string>(CONFIG_DIRS);
  return {
    label,
    async list() {
      const out: TreeEntry[] = [];
      const seenDirs = new Set<string>();
      for (const [path, content] of bytes) {
        const parts = path.split('/');
        if (parts.length > 1 && !seenDirs.has(parts[0])) {
          seenDirs.add(parts[0]);
          out.push({ path: parts[0], id: parts[0], kind: 'dir' });
        }
        if (parts.length === 1 || (parts.length === 2 && dirs.has(parts[0]))) {
          out.push({ path, id: createHash('sha1').update(content).digest('hex'), size: content.length, kind: 'file' });
        } else if (parts.length > 2 && dirs.has(parts[0]) && !out.some((e) => e.path === parts.slice(0, 2).join('/'))) {
          out.push({ path: parts.slice(0, 2).join('/'), id: path, kind: 'dir' });
        }
      }
      return out;
    },
    async read(entries) {
      return entries.map((e) => bytes.get(e.path) ?? new Uint8Array());
    },
  };
}
