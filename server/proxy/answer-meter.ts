// Reads what an answer used while it passes through: the members of the JSON body that the
// template's `usage` names (server/observe/usage.ts), or the last SSE event that has one of them.
// Content-Encoding is undone for this reading only (content-decoding.ts). Nothing is kept when
// the template reads usage from headers alone or the answer is neither JSON nor SSE.
import type { Usage } from '../../schemas/types.gen.ts';
import { bodyKeysOf } from '../observe/usage.ts';
import { pickMembers } from '../observe/json-pick.ts';
import { decodeBody, encodingsOf, streamDecoder } from './content-decoding.ts';

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

const isJson = (type: string) => type.includes('json') && !type.includes('ndjson') && !type.includes('jsonl') && !type.includes('json-seq');
const typeOf = (headers: Headers) => String(headers['content-type'] ?? '').toLowerCase();

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

const patterns = new WeakMap<ReadonlySet<string>, RegExp>();
/** Matches `"usage": {` for each key: an event whose usage member is an object, not null. */
function patternOf(keys: ReadonlySet<string>): RegExp {
  let p = patterns.get(keys);
  if (!p) {
    p = new RegExp(`"(?:${[...keys].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})"\\s*:\\s*\\{`);
    patterns.set(keys, p);
  }
  return p;
}

class SseScanner implements AnswerMeter {
  #pending = '';
  #last: unknown;
  readonly #keys: ReadonlySet<string>;
  readonly #pattern: RegExp;
  constructor(keys: ReadonlySet<string>) {
    this.#keys = keys;
    this.#pattern = patternOf(keys);
  }
  tap(chunk: Buffer): void {
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
  #scan(events: string): void {
    if (!this.#pattern.test(events)) return;
    for (const event of events.split('\n\n')) {
      if (!this.#pattern.test(event)) continue;
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
}

/** A meter for a streamed answer, or null when nothing needs reading from its body. */
export function answerMeter(spec: Usage | undefined, headers: Headers): AnswerMeter | null {
  const keys = bodyKeysOf(spec);
  if (keys.size === 0) return null;
  const type = typeOf(headers);
  const inner: AnswerMeter | null = type.includes('text/event-stream') ? new SseScanner(keys) : isJson(type) ? new JsonCollector(keys) : null;
  const encodings = encodingsOf(headers['content-encoding']);
  if (!inner || encodings.length === 0) return inner;
  const decoder = streamDecoder(encodings, (c) => inner.tap(c));
  if (!decoder) return null;
  return { tap: (c) => decoder.write(c), finish: async () => ((await decoder.end()) ? inner.finish() : undefined) };
}

/** What usage is read from in a whole answer: its JSON members (decoded first when encoded). */
export function wholeAnswerUsage(spec: Usage | undefined, headers: Headers, bytes: Buffer): unknown | Promise<unknown> {
  const keys = bodyKeysOf(spec);
  if (keys.size === 0 || !isJson(typeOf(headers))) return undefined;
  const encodings = encodingsOf(headers['content-encoding']);
  if (encodings.length === 0) return pickMembers(bytes, keys);
  const decoded = decodeBody(bytes, encodings);
  if (decoded instanceof Promise) return decoded.then((d) => (d ? pickMembers(d, keys) : undefined));
  return decoded ? pickMembers(decoded, keys) : undefined;
}
