// Reads every config file of a source into a ConfigModel: placement, size, parsing, schema and
// file-name checks. Cross-file references are checked afterwards (cross-check.ts).
import { issue, type ConfigIssue } from './issues.ts';
import { parseConfigFile, MAX_FILE_BYTES, type ParsedFile } from './parse-file.ts';
import { schemaIssues } from './schema-check.ts';
import { emptyModel, FOLDERS, type ConfigModel, type ModelFolder } from './config-model.ts';
import { CONFIG_DIRS, type ConfigSource, type TreeEntry } from './sources/source.ts';
import type { SchemaKind } from './schemas.ts';

export const MAX_FILES = 20_000;
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

const CONFIG_EXT = /\.(ya?ml|json)$/;
const TOP = { line: 1, column: 1 };

/** Parsed and schema-checked files by path and content id, reused across loads. */
export type ParseCache = Map<string, { issues: ConfigIssue[]; file?: ParsedFile; bytes: number }>;

interface Planned { entry: TreeEntry; kind: SchemaKind; folder?: ModelFolder; name: string }

function plan(entries: TreeEntry[], issues: ConfigIssue[]): Planned[] {
  const planned: Planned[] = [];
  const dirs = new Set<string>(CONFIG_DIRS);
  for (const e of entries) {
    const slash = e.path.indexOf('/');
    if (slash < 0) {
      if (e.kind === 'file' && /^sil\.(ya?ml|json)$/.test(e.path)) planned.push({ entry: e, kind: 'settings', name: 'sil' });
      continue;
    }
    const folder = e.path.slice(0, slash);
    const base = e.path.slice(slash + 1);
    if (!dirs.has(folder) || /\.md$/i.test(base) || base === '.gitkeep') continue;
    if (e.kind !== 'file' || !CONFIG_EXT.test(base)) {
      issues.push(issue(e.path, TOP, 'SIL_CONFIG_FILE_PLACE', e.kind === 'dir' ? `folders inside ${folder}/ are not read` : `${base} is not a .yaml, .yml or .json file`));
      continue;
    }
    const name = base.replace(CONFIG_EXT, '');
    const f = folder as ModelFolder;
    planned.push({ entry: e, kind: FOLDERS[f].kind, folder: f, name });
  }
  const settings = planned.filter((p) => p.kind === 'settings');
  if (settings.length > 1) issues.push(issue(settings[1].entry.path, TOP, 'SIL_CONFIG_DUPLICATE_ID', 'more than one settings file (sil.yaml / sil.yml / sil.json)', 'keep only sil.yaml'));
  return planned;
}

function checkOne(p: Planned, bytes: Uint8Array): { issues: ConfigIssue[]; file?: ParsedFile; bytes: number } {
  const parsed = parseConfigFile(p.entry.path, bytes);
  if (!parsed.ok) return { issues: parsed.issues, bytes: bytes.length };
  const { file } = parsed;
  const found = schemaIssues(p.kind, file);
  const field = p.folder ? FOLDERS[p.folder].idField : null;
  if (p.folder && field) {
    const id = file.value[field];
    if (typeof id === 'string' && id !== p.name) {
      found.push(issue(p.entry.path, file.at([field]), 'SIL_CONFIG_ID_MISMATCH', `${field} "${id}" does not match the file name "${p.name}"`, `rename the file to ${p.folder}/${/^[a-z0-9-]+$/.test(id) ? id : '<' + field + '>'}.yaml or set ${field}: ${p.name}`));
    }
  }
  return { issues: found, file, bytes: bytes.length };
}

export async function readConfigTree(source: ConfigSource, cache: ParseCache = new Map()): Promise<{ model: ConfigModel; issues: ConfigIssue[] }> {
  const issues: ConfigIssue[] = [];
  const model = emptyModel();
  const entries = await source.list();
  const planned = plan(entries, issues);
  if (planned.length > MAX_FILES) {
    issues.push(issue('.', TOP, 'SIL_CONFIG_LIMITS', `${planned.length} config files; sil reads at most ${MAX_FILES}`));
    return { model, issues };
  }
  const key = (p: Planned) => `${p.entry.path}\0${p.entry.id}`;
  // The total is checked before reading where the source tells sizes (native git), and again
  // after reading for sources that cannot (isomorphic-git).
  const overTotal = (sizeOf: (p: Planned) => number) => {
    const total = planned.reduce((n, p) => n + sizeOf(p), 0);
    if (total <= MAX_TOTAL_BYTES) return false;
    issues.push(issue('.', TOP, 'SIL_CONFIG_LIMITS', `${total} bytes of config; sil reads at most ${MAX_TOTAL_BYTES}`));
    return true;
  };
  if (overTotal((p) => p.entry.size ?? 0)) return { model, issues };

  const oversize = (p: Planned) => p.entry.size !== undefined && p.entry.size > MAX_FILE_BYTES;
  const toRead = planned.filter((p) => !cache.has(key(p)) && !oversize(p));
  const contents = await source.read(toRead.map((p) => p.entry));
  toRead.forEach((p, i) => cache.set(key(p), checkOne(p, contents[i])));
  const current = new Set(planned.map(key));
  for (const k of cache.keys()) if (!current.has(k)) cache.delete(k);

  if (overTotal((p) => cache.get(key(p))?.bytes ?? p.entry.size ?? 0)) return { model, issues };

  const seen = new Map<string, string>();
  for (const p of planned) {
    if (oversize(p)) {
      issues.push(issue(p.entry.path, TOP, 'SIL_CONFIG_TOO_LARGE', `file is ${p.entry.size} bytes; config files may be at most ${MAX_FILE_BYTES} bytes`));
      continue;
    }
    const result = cache.get(key(p))!;
    issues.push(...result.issues);
    const slot = `${p.folder ?? ''}/${p.name}`;
    if (!result.file || result.issues.length > 0) {
      model.broken.add(slot);
      continue;
    }
    if (seen.has(slot)) {
      issues.push(issue(p.entry.path, TOP, 'SIL_CONFIG_DUPLICATE_ID', `"${p.name}" is already defined in ${seen.get(slot)}`));
      continue;
    }
    seen.set(slot, p.entry.path);
    const cf = { path: p.entry.path, id: p.entry.id, file: result.file, value: result.file.value as never };
    if (p.folder) model[p.folder].set(p.name, cf);
    else model.settings = cf;
  }
  return { model, issues };
}
