// Reads a commit's tree with native git. The pre-receive hook needs it: pushed objects sit in
// git's quarantine directory, which only native git sees (through GIT_OBJECT_DIRECTORY and
// GIT_ALTERNATE_OBJECT_DIRECTORIES in the hook's environment).
import { git } from '../git-cli.ts';
import { CONFIG_DIRS, type ConfigSource, type TreeEntry } from './source.ts';

const DIRS = new Set<string>(CONFIG_DIRS);

export function nativeGitSource(gitDir: string, rev: string): ConfigSource {
  return {
    label: rev,
    async list() {
      const out = await git(['ls-tree', '-l', '-z', rev], { gitDir });
      const entries = parseLsTree(out);
      const result: TreeEntry[] = [...entries];
      for (const e of entries) {
        if (e.kind === 'dir' && DIRS.has(e.path)) {
          const sub = parseLsTree(await git(['ls-tree', '-l', '-z', `${rev}:${e.path}`], { gitDir }));
          for (const s of sub) result.push({ ...s, path: `${e.path}/${s.path}` });
        }
      }
      return result;
    },
    async read(entries) {
      if (entries.length === 0) return [];
      const out = await git(['cat-file', '--batch'], { gitDir, input: entries.map((e) => e.id).join('\n') + '\n' });
      return parseBatch(out, entries.length);
    },
  };
}

/** `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL`, repeated. */
function parseLsTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [, type, oid, size] = record.slice(0, tab).split(/ +/);
    entries.push({
      path: record.slice(tab + 1),
      id: oid,
      size: size === '-' ? undefined : Number(size),
      kind: type === 'blob' ? 'file' : type === 'tree' ? 'dir' : 'other',
    });
  }
  return entries;
}

/** `<oid> SP <type> SP <size> LF <contents> LF`, once per requested object. */
function parseBatch(out: Buffer, count: number): Uint8Array[] {
  const blobs: Uint8Array[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const nl = out.indexOf(0x0a, at);
    const header = out.subarray(at, nl).toString('utf8').split(' ');
    if (header[1] === 'missing') throw new Error(`object ${header[0]} is missing`);
    const size = Number(header[2]);
    blobs.push(out.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return blobs;
}
