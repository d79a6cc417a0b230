// Plans an import: the bundle's files over the config at `base` (merge), or in place of the
// sections the bundle covers (replace); then the whole resulting tree is validated in memory
// with the writer's validator, and new secrets files are opened with the hub's identities as
// the loader would. Every problem is collected; nothing is written here.
import { SilError } from '../../errors.ts';
import { nativeGitSource } from '../../config/sources/native-git-source.ts';
import { memorySource } from '../../config/sources/memory-source.ts';
import { validateSource } from '../../config/validate.ts';
import { loadKeyrings } from '../../vault/load-keyrings.ts';
import type { ConfigIssue } from '../../config/issues.ts';
import type { AdminDeps } from './context.ts';
import { bundleIssue, entryText, pathProblem, plaintextProblem, sectionOf, type BundleIssue, type ParsedBundle, type Section } from './bundle.ts';

export const IMPORT_MODES = ['merge', 'replace'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface PlannedFile { path: string; change: 'added' | 'changed' | 'removed'; before: string | null; after: string | null }

export interface ImportPlan {
  base: string | null;
  mode: ImportMode;
  files: PlannedFile[];
  /** Path → new text, or null to remove: what the writer gets. */
  changes: Record<string, string | null>;
  errors: BundleIssue[];
  warnings: BundleIssue[];
}

export function importMode(value: unknown): ImportMode {
  if (value === undefined || value === '') return 'merge';
  if (typeof value === 'string' && (IMPORT_MODES as readonly string[]).includes(value)) return value as ImportMode;
  throw new SilError('SIL_API_INPUT', 'mode: give merge (add and update files) or replace (the bundle\'s sections become exactly its files)');
}

/** Every file the validator reads at a commit: sil.* at the top, everything in the config folders. */
export async function filesAt(gitdir: string, commit: string | null): Promise<Map<string, string>> {
  if (!commit) return new Map();
  const source = nativeGitSource(gitdir, commit);
  const entries = (await source.list()).filter((e) => e.kind === 'file' && (e.path.includes('/') || /^sil\.(ya?ml|json)$/.test(e.path)));
  const contents = await source.read(entries);
  return new Map(entries.map((e, i) => [e.path, Buffer.from(contents[i]).toString('utf8')]));
}

const shown = (path: string) => (path.length > 200 ? `${path.slice(0, 200)}…` : path);
const asBundleIssue = ({ file, line, column, code, message, hint }: ConfigIssue): BundleIssue => ({ file, line, column, code, message, hint });

/** The bundle's entries that may be imported; the others become errors. */
function incomingFiles(bundle: ParsedBundle, errors: BundleIssue[]): Map<string, string> {
  const incoming = new Map<string, string>();
  for (const [path, content] of Object.entries(bundle.files)) {
    const problem = pathProblem(path);
    if (problem) {
      errors.push(bundleIssue(shown(path), 'SIL_BUNDLE_PATH', `"${shown(path)}" is refused: ${problem}`));
      continue;
    }
    const text = entryText(path, content);
    if (text === null) {
      errors.push(bundleIssue(path, 'SIL_BUNDLE_FORMAT', 'the entry must be the file\'s text or its content as a mapping'));
      continue;
    }
    const plain = sectionOf(path) === 'secrets' ? plaintextProblem(text) : null;
    if (plain) {
      errors.push(bundleIssue(path, 'SIL_BUNDLE_PLAINTEXT_SECRET', `refused: ${plain}`));
      continue;
    }
    incoming.set(path, text);
  }
  return incoming;
}

export async function planImport(deps: AdminDeps, bundle: ParsedBundle, mode: ImportMode, base: string | null): Promise<ImportPlan> {
  const errors: BundleIssue[] = [];
  const current = await filesAt(deps.gitdir, base);
  const incoming = incomingFiles(bundle, errors);

  const next = new Map(current);
  if (mode === 'replace') {
    const covered = new Set<Section>(bundle.include.filter((s) => !(s === 'secrets' && bundle.secrets === 'omit')));
    for (const path of current.keys()) {
      const section = sectionOf(path);
      if (section && covered.has(section) && !incoming.has(path)) next.delete(path);
    }
  }
  for (const [path, text] of incoming) next.set(path, text);

  const files: PlannedFile[] = [];
  for (const path of [...new Set([...current.keys(), ...next.keys()])].sort()) {
    const before = current.get(path) ?? null;
    const after = next.get(path) ?? null;
    if (before === after) continue;
    files.push({ path, change: before === null ? 'added' : after === null ? 'removed' : 'changed', before, after });
  }

  const result = await validateSource(memorySource(Object.fromEntries(next), 'import'), deps.catalog);
  errors.push(...result.errors.map(asBundleIssue));
  // The loader refuses a commit whose secrets the hub cannot open: check the new ones now.
  const newSecrets = new Set(files.filter((f) => f.after !== null && sectionOf(f.path) === 'secrets').map((f) => f.path));
  const secrets = new Map([...result.model.secrets].filter(([, cf]) => newSecrets.has(cf.path)));
  if (secrets.size) {
    const opened = await loadKeyrings({ ...result.model, secrets }, deps.vault.hub.identities);
    for (const i of opened.issues) {
      errors.push({ ...asBundleIssue(i), message: `this hub cannot open the file: ${i.message}`, hint: 'secrets are encrypted to the age recipients of the hub that exported them: add this hub\'s recipient there (`sil recipients add age1...`) and export again, or export with secrets=omit and add the keys here' });
    }
  }
  const changes = Object.fromEntries(files.map((f) => [f.path, f.after]));
  return { base, mode, files, changes, errors, warnings: result.warnings.map(asBundleIssue) };
}
