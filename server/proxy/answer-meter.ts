// Reads what an answer used while it passes through: the members of the JSON body that the
// template's `usage` names (server/observe/usage.ts), or the last SSE event that has one of them.
// Content-Encoding is undone for this reading only (content-decoding.ts). Nothing is kept when
// the template reads usage from headers alone or the answer is neither JSON nor SSE.
import type { Usage } from '../../schemas/types.gen.ts';
import { bodyKeysOf } from '../observe/usage.ts';
import { pickMembers } from '../observe/json-pick.ts';
import { decodeBody, encodingsOf, streamDecoder } from './content-decoding.ts';
import { contentTypeOf, isJsonDocument, isSse } from './media-type.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** JSON bodies larger than this are passed on without being read for usage. */
const MAX_JSON = 16 * 1024 * 1024;
/** An SSE event longer than this is not read for usage (it is still passed on). */
const MAX_EVENT = 1024 * 1024;

export interface AnswerMeter {
  tap(chunk: Buffer): void;
  /** Once the answer has ended or was cut: what usage is read from (a JSON object or the last SSE event with usage). */
  finish(): unknown | Promise<unknown>;
}


class JsonCollector implements AnswerMeter {
  #chunks: Buffer[] = [];
  #size = 0;
  readonly #keys: ReadonlySet<string>;
  constructor(keys: ReadonlySet<string>) {
    this.#keys = keys;
  }
  tap(chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size <= MAX_JSON) this.#chunks.push(chunk);
  }
  finish(): unknown {
    if (this.#size > MAX_JSON) return undefined;
    return pickMembers(this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks), this.#keys);
  }
}

interface SsePattern {
  /** Matches `"usage": {` (or `[`, a list read with `[n]` / `[field=value]`) for each key: an event whose usage member is an object, not null (global). */
  member: RegExp;
  /** `"usage"` for each key, to look for in the bytes before any text is made of them. */
  quoted: string[];
}
const patterns = new WeakMap<ReadonlySet<string>, SsePattern>();
function patternOf(keys: ReadonlySet<string>): SsePattern {
  let p = patterns.get(keys);
  if (!p) {
    p = {
      member: new RegExp(`"(?:${[...keys].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})"\\s*:\\s*[{[]`, 'g'),
      quoted: [...keys].map((k) => JSON.stringify(k)),
    };
    patterns.set(keys, p);
  }
  return p;
}

const CR = 0x0d;

class SseScanner implements AnswerMeter {
  #pending = '';
  #last: unknown;
  readonly #keys: ReadonlySet<string>;
  readonly #pattern: SsePattern;
  constructor(keys: ReadonlySet<string>) {
    this.#keys = keys;
    this.#pattern = patternOf(keys);
  }
  tap(chunk: Buffer): void {
    // Most chunks hold whole events without usage: look at the bytes first, make text only of
    // the events that may have it and of a partial event at the end.
    if (this.#pending === '' && chunk.indexOf(CR) < 0) {
      const end = chunk.lastIndexOf('\n\n');
      if (end < 0) {
        this.#pending = chunk.length > MAX_EVENT ? '' : chunk.toString('utf8');
        return;
      }
      if (this.#pattern.quoted.some((q) => { const at = chunk.indexOf(q); return at >= 0 && at < end; })) this.#scan(chunk.toString('utf8', 0, end));
      if (end + 2 < chunk.length) this.#pending = chunk.toString('utf8', end + 2);
      return;
    }
    let text = this.#pending + chunk.toString('utf8');
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    const end = text.lastIndexOf('\n\n');
    if (end < 0) {
      this.#pending = text.length > MAX_EVENT ? '' : text;
      return;
    }
    this.#pending = text.slice(end + 2);
    this.#scan(text.slice(0, end));
  }
  finish(): unknown {
    if (this.#pending) this.#scan(this.#pending);
    this.#pending = '';
    return this.#last;
  }
  /** Parses the events of `events` (complete ones, separated by blank lines) whose usage is an object. */
  #scan(events: string): void {
    const re = this.#pattern.member;
    re.lastIndex = 0;
    for (let m = re.exec(events); m; m = re.exec(events)) {
      const before = events.lastIndexOf('\n\n', m.index);
      let end = events.indexOf('\n\n', m.index);
      if (end < 0) end = events.length;
      this.#read(events.slice(before < 0 ? 0 : before + 2, end));
      re.lastIndex = end;
    }
  }
  #read(event: string): void {
    for (const line of event.split('\n')) {
      if (!line.startsWith('data:')) continue;
      try {
        const parsed = JSON.parse(line.slice(5)) as Record<string, unknown> | null;
        if (parsed && typeof parsed === 'object' && [...this.#keys].some((k) => parsed[k] !== null && typeof parsed[k] === 'object')) this.#last = parsed;
      } catch {
        // Not JSON: passed on untouched.
      }
    }
  }
}

/** A meter for a streamed answer, or null when nothing needs reading from its body. */
export function answerMeter(spec: Usage | undefined, headers: Headers): AnswerMeter | null {
  const keys = bodyKeysOf(spec);
  if (keys.size === 0) return null;
  const type = contentTypeOf(headers);
  const inner: AnswerMeter | null = isSse(type) ? new SseScanner(keys) : isJsonDocument(type) ? new JsonCollector(keys) : null;
  const encodings = encodingsOf(headers['content-encoding']);
  if (!inner || encodings.length === 0) return inner;
  const decoder = streamDecoder(encodings, (c) => inner.tap(c));
  if (!decoder) return null;
  return { tap: (c) => decoder.write(c), finish: async () => ((await decoder.end()) ? inner.finish() : undefined) };
}

/** What usage is read from in a whole answer: its JSON members (decoded first when encoded). */
export function wholeAnswerUsage(spec: Usage | undefined, headers: Headers, bytes: Buffer): unknown | Promise<unknown> {
  const keys = bodyKeysOf(spec);
  if (keys.size === 0 || !isJsonDocument(contentTypeOf(headers))) return undefined;
  const encodings = encodingsOf(headers['content-encoding']);
  if (encodings.length === 0) return pickMembers(bytes, keys);
  const decoded = decodeBody(bytes, encodings);
  if (decoded instanceof Promise) return decoded.then((d) => (d ? pickMembers(d, keys) : undefined));
  return decoded ? pickMembers(decoded, keys) : undefined;
}
