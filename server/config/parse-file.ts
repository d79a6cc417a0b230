// Turns the bytes of one config file into a YAML document that keeps source positions, or into
// issues. Guards against hostile input: size, invalid UTF-8, alias bombs, duplicate keys, deep nesting.
import { LineCounter, parseDocument, isMap, type Document, type ParseOptions, type DocumentOptions, type SchemaOptions } from 'yaml';
import { issue, type ConfigIssue } from './issues.ts';
import { positionOf, type Position } from './positions.ts';

export const MAX_FILE_BYTES = 1024 * 1024;
const MAX_ALIASES = 50;
const MAX_FLOW_DEPTH = 100;

/**
 * Deepest nesting of flow collections ([ ] and { }) outside quotes. The YAML parser recurses
 * per level, so `[[[[...` a few thousand deep would exhaust the stack slowly; refuse it first.
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote && text[i - 1] !== '\\') quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\n' && /[A-Za-z]/.test(text[i + 1] ?? '')) { depth = 0; quote = ''; }
  }
  return max;
}

export interface ParsedFile {
  path: string;
  /** The file's text (UTF-8 decoded, byte order mark removed). */
  text: string;
  /** The plain JavaScript value of the document. */
  value: Record<string, unknown>;
  /** Line and column of the value at a path (of its key with `key`), for messages. */
  at(segments: readonly (string | number)[], key?: boolean): Position;
}

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = { uniqueKeys: true, prettyErrors: false, strict: true, customTags: [] };

/**
 * Keeps only the text: the YAML node tree is rebuilt on the rare occasion a position is
 * needed, so a loaded config of thousands of files does not hold thousands of syntax trees.
 */
function parsedFile(path: string, text: string, value: Record<string, unknown>): ParsedFile {
  let tree: { doc: Document.Parsed; lines: LineCounter } | undefined;
  return {
    path,
    text,
    value,
    at(segments, key = false) {
      if (!tree) {
        const lines = new LineCounter();
        tree = { doc: parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines }), lines };
      }
      return positionOf(tree.doc, tree.lines, segments, key);
    },
  };
}

export type ParseResult = { ok: true; file: ParsedFile } | { ok: false; issues: ConfigIssue[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Line and column (1-based) of a byte offset, counting characters as a decoder would. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) { line++; lineStart = i + 1; }
  const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, column };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search for the shortest prefix that fails to decode.
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try { utf8.decode(bytes.subarray(0, mid)); lo = mid; } catch { hi = mid; }
  }
  // A prefix may end inside a valid multi-byte sequence: back up to its lead byte.
  let at = lo;
  while (at > 0 && (bytes[at] & 0xc0) === 0x80 && lo - at < 3) at--;
  return at;
}

export function parseConfigFile(path: string, bytes: Uint8Array, maxBytes = MAX_FILE_BYTES): ParseResult {
  const start = { line: 1, column: 1 };
  if (bytes.length > maxBytes) {
    return { ok: false, issues: [issue(path, start, 'SIL_CONFIG_TOO_LARGE', `file is ${bytes.length} bytes; config files may be at most ${maxBytes} bytes`)] };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const at = positionOfByte(bytes, firstInvalidUtf8(bytes));
    return { ok: false, issues: [issue(path, at, 'SIL_CONFIG_ENCODING', 'invalid UTF-8 byte sequence')] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  if (flowDepth(text) > MAX_FLOW_DEPTH) {
    return { ok: false, issues: [issue(path, start, 'SIL_CONFIG_YAML', `values are nested more than ${MAX_FLOW_DEPTH} levels deep`, 'config files are shallow; flatten the structure')] };
  }
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
  } catch (err) {
    return { ok: false, issues: [issue(path, start, 'SIL_CONFIG_YAML', `the file cannot be parsed: ${(err as Error).message}`)] };
  }
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return {
      ok: false,
      issues: problems.slice(0, 20).map((e) => {
        const at = lines.linePos(e.pos[0]);
        const code = e.code === 'DUPLICATE_KEY' ? 'SIL_CONFIG_DUPLICATE_KEY' : 'SIL_CONFIG_YAML';
        const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        // `bindings: [*]` is the usual way to meet this one: a bare * starts an alias in YAML.
        const hint = /Alias cannot be an empty string/.test(message) ? 'a bare * starts a YAML alias: quote it, e.g. bindings: ["*"]' : undefined;
        return issue(path, { line: at.line, column: at.col }, code, message, hint);
      }),
    };
  }
  if (!isMap(doc.contents)) {
    const at = doc.contents?.range ? lines.linePos(doc.contents.range[0]) : { line: 1, col: 1 };
    return { ok: false, issues: [issue(path, { line: at.line, column: at.col }, 'SIL_CONFIG_NOT_MAPPING', 'the top level of the file must be a mapping')] };
  }
  let value: Record<string, unknown>;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES }) as Record<string, unknown>;
  } catch (err) {
    const message = (err as Error).message;
    if (/alias/i.test(message)) {
      return { ok: false, issues: [issue(path, start, 'SIL_CONFIG_ALIAS_LIMIT', `too many alias expansions (the limit is ${MAX_ALIASES})`)] };
    }
    return { ok: false, issues: [issue(path, start, 'SIL_CONFIG_YAML', `the file cannot be read: ${message}`)] };
  }
  return { ok: true, file: parsedFile(path, text, value) };
}
