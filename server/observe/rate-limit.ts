// Reads a provider answer's rate-limit report as its template's `rateLimit` describes it:
// parallel header lists (`limit`, `remaining`, `reset` with `resetFormat`), the structured-field
// headers of the IETF httpapi-ratelimit-headers draft (`structured`: Cloudflare's
// `Ratelimit: "default";r=50;t=30` and `Ratelimit-Policy: "burst";q=100;w=60`, and the older
// dictionary form `limit=100, remaining=50, reset=30`), the retry-after header and a retry-after
// value in the error body. Of several windows (requests, tokens...) the most constrained is
// reported. Used where the hub waits on a provider: a 429 to a health probe, and a 429 before a
// failover repeat (providerRetryAfterMs keeps the answers that are not 429 at one header lookup).
// Pure.
import type { RateLimit } from '../../schemas/types.gen.ts';
import { MAX_RETRY_AFTER_MS, parseHttpDate, parseRetryAfter } from '../core/failover-conditions.ts';
import { pickPath } from './json-path.ts';
import type { AnswerHeaders as UpstreamHeaders } from '../proxy/upstream.ts';

type AnswerHeaders = Readonly<UpstreamHeaders>;

export interface RateLimitReading {
  limit?: number;
  remaining?: number;
  /** When the window resets, epoch ms. */
  resetAt?: number;
  /** The wait the provider asked for (retry-after header or body), ms. */
  retryAfterMs?: number;
}

function headerOf(headers: AnswerHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  let v = headers[lower];
  if (v === undefined) {
    for (const k of Object.keys(headers)) {
      if (k.toLowerCase() === lower) {
        v = headers[k];
        break;
      }
    }
  }
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : String(v);
}

function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/;

/** A Go-style duration (OpenAI: `1s`, `6m0s`, `20ms`, `1h2m3.5s`) in ms. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  const m = DURATION.exec(t);
  if (!m || t === '') return undefined;
  const [h, min, s, ms] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return Math.round(h * 3_600_000 + min * 60_000 + s * 1000 + ms);
}

/** A reset value in `format` as epoch ms; without a format, a number is read as Unix seconds above 10^9, else as seconds from now. */
export function parseReset(text: string, format: RateLimit['resetFormat'], now: number): number | undefined {
  const n = number(text);
  switch (format) {
    case 'seconds':
      return n === undefined ? undefined : now + n * 1000;
    case 'milliseconds':
      return n === undefined ? undefined : now + n;
    case 'unix':
      return n === undefined ? undefined : n * 1000;
    case 'duration': {
      const ms = parseDuration(text);
      return ms === undefined ? undefined : now + ms;
    }
    case 'http-date':
      return parseHttpDate(text.trim(), now);
    case 'rfc3339': {
      const at = Date.parse(text.trim());
      return Number.isNaN(at) ? undefined : at;
    }
    default: {
      if (n !== undefined) return n > 1e9 ? n * 1000 : now + n * 1000;
      const at = parseHttpDate(text.trim(), now) ?? Date.parse(text.trim());
      return Number.isNaN(at) ? undefined : at;
    }
  }
}

interface Item { name: string; params: Map<string, string> }

/** `text` split at each `sep` that is not inside a quoted string. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** A structured-field list (`"default";r=50;t=30, "daily";r=1000;t=3600`), or a dictionary (`limit=100, remaining=50`). */
export function parseStructuredList(text: string): Item[] {
  const items: Item[] = [];
  for (const part of splitOutsideQuotes(text, ',')) {
    const [head, ...rest] = splitOutsideQuotes(part, ';').map((p) => p.trim());
    if (!head) continue;
    const params = new Map<string, string>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, ''));
    }
    const eq = head.indexOf('=');
    if (eq > 0 && !head.startsWith('"')) {
      // Dictionary member (`limit=100`): the member name with its value as param `=`.
      params.set('=', head.slice(eq + 1).trim());
      items.push({ name: head.slice(0, eq).trim().toLowerCase(), params });
    } else items.push({ name: head.replace(/^"|"$/g, ''), params });
  }
  return items;
}

interface Window { limit?: number; remaining?: number; resetAt?: number }

function structuredWindows(spec: NonNullable<RateLimit['structured']>, headers: AnswerHeaders, now: number): Window[] {
  const value = headerOf(headers, spec.header);
  if (value === undefined) return [];
  const items = parseStructuredList(value);
  const dictionary = new Map(items.filter((i) => i.params.has('=')).map((i) => [i.name, number(i.params.get('='))]));
  if (dictionary.has('remaining') || dictionary.has('limit')) {
    const reset = dictionary.get('reset');
    return [{ limit: dictionary.get('limit'), remaining: dictionary.get('remaining'), resetAt: reset === undefined ? undefined : now + reset * 1000 }];
  }
  const policyText = spec.policyHeader ? headerOf(headers, spec.policyHeader) : undefined;
  const policies = policyText === undefined ? [] : parseStructuredList(policyText).filter((p) => p.params.has('q'));
  return items
    .filter((i) => i.params.has('r'))
    .map((i) => {
      const policy = policies.find((p) => p.name === i.name) ?? (items.length === 1 && policies.length === 1 ? policies[0] : undefined);
      const t = number(i.params.get('t'));
      return { limit: number(policy?.params.get('q')), remaining: number(i.params.get('r')), resetAt: t === undefined ? undefined : now + t * 1000 };
    });
}

function listWindows(spec: RateLimit, headers: AnswerHeaders, now: number): Window[] {
  const limits = spec.limit ?? [];
  const remainings = spec.remaining ?? [];
  const resets = spec.reset ?? [];
  const out: Window[] = [];
  for (let i = 0; i < Math.max(limits.length, remainings.length, resets.length); i++) {
    const resetName = resets[i] ?? (resets.length === 1 ? resets[0] : undefined);
    const resetText = resetName === undefined ? undefined : headerOf(headers, resetName);
    const w: Window = {
      limit: limits[i] === undefined ? undefined : number(headerOf(headers, limits[i])),
      remaining: remainings[i] === undefined ? undefined : number(headerOf(headers, remainings[i])),
      resetAt: resetText === undefined ? undefined : parseReset(resetText, spec.resetFormat, now),
    };
    if (w.limit !== undefined || w.remaining !== undefined || w.resetAt !== undefined) out.push(w);
  }
  return out;
}

/** How close a window is to its limit: the share left (or the count left without a limit); lower is tighter. */
function slack(w: Window): number {
  if (w.remaining === undefined) return Number.POSITIVE_INFINITY;
  return w.limit !== undefined && w.limit > 0 ? w.remaining / w.limit : w.remaining;
}

/** The rate-limit report of one answer, read as `spec` describes it (an empty reading without one). */
export function readRateLimit(spec: RateLimit | undefined, headers: AnswerHeaders, now: number, body?: unknown): RateLimitReading {
  const out: RateLimitReading = {};
  if (!spec) return out;
  const windows = [...listWindows(spec, headers, now), ...(spec.structured ? structuredWindows(spec.structured, headers, now) : [])];
  let tightest: Window | undefined;
  for (const w of windows) if (!tightest || slack(w) < slack(tightest)) tightest = w;
  if (tightest?.limit !== undefined) out.limit = tightest.limit;
  if (tightest?.remaining !== undefined) out.remaining = tightest.remaining;
  if (tightest?.resetAt !== undefined) out.resetAt = tightest.resetAt;
  const after = parseRetryAfter(headerOf(headers, spec.retryAfter ?? 'retry-after'), now);
  if (after !== undefined) out.retryAfterMs = after;
  else if (spec.retryAfterBody && body !== undefined) {
    const inBody = pickPath(body, spec.retryAfterBody);
    const seconds = typeof inBody === 'number' ? inBody : typeof inBody === 'string' ? number(inBody) : undefined;
    if (seconds !== undefined && seconds >= 0) out.retryAfterMs = Math.min(Math.ceil(seconds * 1000), MAX_RETRY_AFTER_MS);
  }
  return out;
}

/** How long to wait before asking again: the retry-after asked for, else the time to the reset of a window with nothing left. */
export function waitMs(r: RateLimitReading, now: number): number | undefined {
  if (r.retryAfterMs !== undefined) return r.retryAfterMs;
  if (r.remaining !== undefined && r.remaining <= 0 && r.resetAt !== undefined) return Math.min(Math.max(0, r.resetAt - now), MAX_RETRY_AFTER_MS);
  return undefined;
}

/** Whether an answer status means the provider's limit is reached: 429, or the template's `rateLimit.statuses`. */
export function isRateLimited(status: number, spec: RateLimit | undefined): boolean {
  return spec?.statuses === undefined ? status === 429 : spec.statuses.includes(status);
}

/**
 * The wait a provider answer asks for before the same target is tried again: a plain
 * `retry-after` on any answer (one header lookup, as before), and on a 429 (or a status the
 * template's `rateLimit.statuses` names) without one what the
 * template's `rateLimit` describes (another retry-after header, structured headers, a reset).
 */
export function providerRetryAfterMs(status: number, headers: AnswerHeaders, spec: RateLimit | undefined, now: number): number | undefined {
  const plain = headers['retry-after'];
  if (plain !== undefined) {
    const ms = parseRetryAfter(String(plain), now);
    if (ms !== undefined) return ms;
  }
  if (!spec || !isRateLimited(status, spec)) return undefined;
  return waitMs(readRateLimit(spec, headers, now), now);
}
