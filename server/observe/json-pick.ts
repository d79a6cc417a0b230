// Reads chosen top-level members of a JSON object from its bytes without parsing the rest: the
// other members are skipped (strings with indexOf, so a 1 MB answer text costs a few memchr
// calls), and only the wanted ones are parsed. Usage figures sit in one small member of answers
// that can be megabytes long. Small bodies are parsed whole, which is faster for them. Pure.

/** Below this size JSON.parse of the whole body is cheaper than skipping through it. */
const PARSE_WHOLE_BELOW = 16 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(b: Uint8Array, i: number): number {
  while (i < b.length && isSpace(b[i])) i++;
  return i;
}

/** `i` is at an opening quote; the index after its closing quote, or -1. */
function skipString(b: Buffer, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = b.indexOf(QUOTE, from);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let k = q - 1; b[k] === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** The index after the value that starts at `i`, or -1 when the bytes end first. */
function skipValue(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    for (let j = i; j < b.length; ) {
      const d = b[j];
      if (d === QUOTE) {
        j = skipString(b, j);
        if (j < 0) return -1;
        continue;
      }
      if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
      else if ((d === CLOSE_OBJECT || d === CLOSE_ARRAY) && --depth === 0) return j + 1;
      j++;
    }
    return -1;
  }
  let j = i;
  while (j < b.length && b[j] !== COMMA && b[j] !== CLOSE_OBJECT && b[j] !== CLOSE_ARRAY && !isSpace(b[j])) j++;
  return j > i ? j : -1;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * An object with the members of `keys` that the JSON object in `bytes` has, or the whole parsed
 * body when it is small; undefined when the bytes are not a JSON object.
 */
export function pickMembers(bytes: Buffer, keys: ReadonlySet<string>): Record<string, unknown> | undefined {
  if (bytes.length < PARSE_WHOLE_BELOW) {
    const whole = parse(bytes.toString('utf8'));
    return whole !== null && typeof whole === 'object' && !Array.isArray(whole) ? (whole as Record<string, unknown>) : undefined;
  }
  const out: Record<string, unknown> = {};
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_OBJECT) return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_OBJECT) return out;
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = skipString(bytes, i);
    if (keyEnd < 0) return undefined;
    const raw = bytes.toString('utf8', i + 1, keyEnd - 1);
    const key = raw.includes('\\') ? (parse(`"${raw}"`) as string | undefined) : raw;
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) return undefined;
    const start = skipSpace(bytes, i + 1);
    const end = skipValue(bytes, start);
    if (end < 0) return undefined;
    if (key !== undefined && keys.has(key)) {
      const value = parse(bytes.toString('utf8', start, end));
      if (value === undefined) return undefined;
      out[key] = value;
    }
    i = skipSpace(bytes, end);
    if (bytes[i] === CLOSE_OBJECT) return out;
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}
