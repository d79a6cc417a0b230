// The import/export bundle, pure: one YAML or JSON document that holds config files by path.
//   { sil: 1, exportedAt, commit, include: [sections], secrets: encrypted|omit, files: { path: text } }
// A file is its exact text (export always writes text, so a round trip keeps comments and
// bytes), or on import also its content as a mapping, which is written out as YAML or JSON.
import { LineCounter, parseDocument, stringify } from 'yaml';
import { SilError, ERRORS, type ErrorCode } from '../../errors.ts';
import { CONFIG_DIRS } from '../../config/sources/source.ts';
import { isEncrypted } from '../../vault/sops/value-cipher.ts';

export const BUNDLE_VERSION = 1;
export const MAX_BUNDLE_BYTES = 10 * 1024 * 1024;
export const SECTIONS = ['settings', ...CONFIG_DIRS] as const;
export type Section = (typeof SECTIONS)[number];
export type SecretsMode = 'encrypted' | 'omit';
export type BundleFormat = 'yaml' | 'json';

export interface Bundle {
  sil: 1;
  exportedAt: string;
  commit: string | null;
  include: Section[];
  secrets: SecretsMode;
  files: Record<string, unknown>;
  /** Files the export left out, and why (never their content). */
  omitted?: { file: string; reason: string }[];
}

/** An error or warning about one file of an import: the same shape the validator reports. */
export interface BundleIssue { file: string; line?: number; column?: number; code: ErrorCode; message: string; hint: string }

export const bundleIssue = (file: string, code: ErrorCode, message: string, hint: string = ERRORS[code].hint): BundleIssue => ({ file, code, message, hint });

const SETTINGS_FILE = /^sil\.(ya?ml|json)$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\.(ya?ml|json)$/;

/** The section a path belongs to, or null when it is not a file a bundle may hold. */
export function sectionOf(path: string): Section | null {
  if (SETTINGS_FILE.test(path)) return 'settings';
  const parts = path.split('/');
  if (parts.length !== 2 || !(CONFIG_DIRS as readonly string[]).includes(parts[0])) return null;
  return FILE_NAME.test(parts[1]) && !parts[1].includes('..') ? (parts[0] as Section) : null;
}

/** Why a path is refused, or null when it is a config file path a bundle may hold. */
export function pathProblem(path: string): string | null {
  if (sectionOf(path)) return null;
  if (path === '') return 'an empty path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'an absolute path';
  if (path.includes('\\')) return 'a path with a backslash (use /)';
  if (path.split('/').some((p) => p === '..' || p === '.')) return 'a path with . or .. segments';
  if (path.length > 200) return 'a path longer than 200 characters';
  if (!/\.(ya?ml|json)$/.test(path)) return 'not a .yaml, .yml or .json file';
  const dir = path.split('/')[0];
  if (!path.includes('/')) return 'not sil.yaml, the only file a bundle holds at the top level';
  if (!(CONFIG_DIRS as readonly string[]).includes(dir)) return `"${dir}/" is not a config folder (${CONFIG_DIRS.join(', ')})`;
  return 'not <folder>/<id>.yaml: one level deep, a name of letters, digits, ., _ and -';
}

/** Parses a comma list of sections; empty or missing means all of them. */
export function parseSections(text: string | undefined): Section[] {
  if (!text) return [...SECTIONS];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (bad.length) throw new SilError('SIL_API_INPUT', `include: unknown section ${bad.map((b) => `"${b}"`).join(', ')}`, { hint: `sections: ${SECTIONS.join(', ')}` });
  return SECTIONS.filter((s) => names.includes(s));
}

/**
 * Why a secrets file is refused as plaintext, or null when it is SOPS-encrypted: a `sops:` block
 * with version and mac, and every value under a `secret` key an ENC[...] value. Never quotes a value.
 */
export function plaintextProblem(text: string): string | null {
  let value: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: false });
    if (doc.errors.length) throw doc.errors[0];
    value = doc.toJS({ maxAliasCount: 50 });
  } catch {
    return 'it cannot be read as YAML or JSON, so sil cannot tell that it is encrypted';
  }
  if (!isMapping(value)) return 'it is not a SOPS file (no mapping at the top level)';
  const sops = value.sops;
  if (!isMapping(sops) || typeof sops.mac !== 'string' || !sops.version) return 'it has no sops: block with version and mac: it is not encrypted';
  const clear: string[] = [];
  const visit = (v: unknown, at: string, underSecret: boolean) => {
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${at}[${i}]`, underSecret));
    else if (isMapping(v)) for (const [k, x] of Object.entries(v)) visit(x, at ? `${at}.${k}` : k, underSecret || k === 'secret');
    else if (underSecret && v !== null && v !== '' && !isEncrypted(v)) clear.push(at);
  };
  for (const [k, v] of Object.entries(value)) if (k !== 'sops') visit(v, k, k === 'secret');
  return clear.length ? `${clear.slice(0, 5).join(', ')}${clear.length > 5 ? ` and ${clear.length - 5} more` : ''} ${clear.length > 1 ? 'are' : 'is'} not encrypted` : null;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The bytes of one bundle entry: its text, or its mapping written as YAML (JSON for .json). */
export function entryText(path: string, content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!isMapping(content)) return null;
  return path.endsWith('.json') ? `${JSON.stringify(content, null, 2)}\n` : stringify(content, { lineWidth: 0 });
}

export function buildBundle(input: { commit: string | null; exportedAt: Date; include: Section[]; secrets: SecretsMode; files: ReadonlyMap<string, string>; omitted?: Bundle['omitted'] }): Bundle {
  const files: Record<string, string> = {};
  for (const path of [...input.files.keys()].sort()) files[path] = input.files.get(path)!;
  return {
    sil: BUNDLE_VERSION,
    exportedAt: input.exportedAt.toISOString(),
    commit: input.commit,
    include: input.include,
    secrets: input.secrets,
    files,
    ...(input.omitted?.length ? { omitted: input.omitted } : {}),
  };
}

export function serializeBundle(bundle: Bundle, format: BundleFormat): string {
  if (format === 'json') return `${JSON.stringify(bundle, null, 2)}\n`;
  return `# sil config bundle: import it with POST /api/import (docs/history-and-bundles.md)\n${stringify(bundle, { lineWidth: 0 })}`;
}

export interface ParsedBundle { include: Section[]; secrets: SecretsMode; commit: string | null; files: Record<string, unknown> }

const formatError = (message: string) => new SilError('SIL_BUNDLE_FORMAT', message);

/** Parses a bundle (JSON when the type says so or it starts with `{`, YAML otherwise). */
export function parseBundle(text: string, contentType = ''): ParsedBundle {
  if (text.trim() === '') throw formatError('the body is empty: send the bundle as the request body');
  let value: unknown;
  if (/json/i.test(contentType) || text.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(text);
    } catch (err) {
      // V8's message quotes the input; say only where the problem is.
      const where = /(line \d+ column \d+|position \d+)/.exec((err as Error).message)?.[1];
      throw formatError(`the bundle is not valid JSON${where ? ` (at ${where})` : ''}`);
    }
  } else {
    const lines = new LineCounter();
    try {
      const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, lineCounter: lines });
      const e = doc.errors[0];
      if (e) {
        const at = lines.linePos(e.pos[0]);
        throw formatError(`the bundle is not valid YAML at line ${at.line} column ${at.col} (${e.code})`);
      }
      value = doc.toJS({ maxAliasCount: 50 });
    } catch (err) {
      if (err instanceof SilError) throw err;
      throw formatError(`the bundle cannot be read as YAML: ${err instanceof RangeError ? 'nested too deeply' : 'too many aliases or an invalid document'}`);
    }
  }
  return bundleFromValue(value);
}

/** Checks the shape of a parsed bundle document (also what a body parser in front produced). */
export function bundleFromValue(value: unknown): ParsedBundle {
  if (!isMapping(value) || !('sil' in value)) throw formatError('not a sil bundle: the document has no `sil: 1` at the top level');
  if (value.sil !== BUNDLE_VERSION) throw formatError(`bundle version ${JSON.stringify(value.sil)} is not supported; this hub reads version ${BUNDLE_VERSION}`);
  if (!isMapping(value.files)) throw formatError('`files:` must map each path to the file\'s text');
  let include: Section[] = [...SECTIONS];
  if (value.include !== undefined) {
    if (!Array.isArray(value.include) || value.include.some((s) => typeof s !== 'string')) throw formatError('`include:` must be a list of section names');
    try {
      include = value.include.length ? parseSections((value.include as string[]).join(',')) : [];
    } catch (err) {
      throw formatError((err as SilError).message);
    }
  }
  const secrets = value.secrets ?? 'encrypted';
  if (secrets !== 'encrypted' && secrets !== 'omit') throw formatError('`secrets:` must be encrypted or omit');
  const commit = typeof value.commit === 'string' ? value.commit : null;
  return { include, secrets, commit, files: value.files };
}
