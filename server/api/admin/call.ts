// What a route handler sees of a request, and small checks of its input. Handlers are plain
// async functions from a Call to an Answer; index.ts adapts them to Koa.
import { SilError } from '../../errors.ts';

export interface Call {
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string | undefined>>;
  /** The JSON object body (`{}` for GET and bodiless requests). */
  body: Readonly<Record<string, unknown>>;
  /** The commit the change is based on: body `base`, If-Match or `?base=`; required for writes. */
  base(): Promise<string>;
}

export interface Answer {
  status?: number;
  body: unknown;
}

export type Handler = (call: Call) => Promise<Answer>;

/** Ids and names: the schemas' pattern, which also makes them safe file names. */
export const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export function checkId(value: unknown, what = 'id'): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
    throw new SilError('SIL_API_ID', `${what} ${shown} is not valid`);
  }
  return value;
}

/** The base a client sent, from the body, an If-Match header or the query; format-checked. */
export function baseFrom(body: Readonly<Record<string, unknown>>, ifMatch: string | undefined, query: string | undefined): string {
  let base: unknown = body.base;
  if (base === undefined && ifMatch) base = ifMatch.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (base === undefined && query) base = query;
  if (base === undefined || base === null || base === '') throw new SilError('SIL_BASE_REQUIRED');
  if (typeof base !== 'string' || !COMMIT.test(base)) throw new SilError('SIL_BASE_INVALID', `base ${JSON.stringify(String(base).slice(0, 80))} is not a commit id`);
  return base;
}

/** A JSON object field of the body (required unless `optional`). */
export function objectField(body: Readonly<Record<string, unknown>>, name: string): Record<string, unknown>;
export function objectField(body: Readonly<Record<string, unknown>>, name: string, optional: true): Record<string, unknown> | undefined;
export function objectField(body: Readonly<Record<string, unknown>>, name: string, optional = false): Record<string, unknown> | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new SilError('SIL_API_INPUT', v === undefined ? `the body needs an object "${name}"` : `"${name}" must be a JSON object`);
  }
  return v as Record<string, unknown>;
}

export function stringField(body: Readonly<Record<string, unknown>>, name: string, optional = true): string | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new SilError('SIL_API_INPUT', `"${name}" must be a string`);
  return v;
}

export function booleanField(body: Readonly<Record<string, unknown>>, name: string): boolean {
  const v = body[name];
  if (typeof v !== 'boolean') throw new SilError('SIL_API_INPUT', `"${name}" must be true or false`);
  return v;
}

export function intField(body: Readonly<Record<string, unknown>>, name: string, min = 0): number | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new SilError('SIL_API_INPUT', `"${name}" must be a whole number of at least ${min}`);
  return v;
}

/** Refuses body fields the route does not know (a typo should not be silently ignored). */
export function onlyFields(body: Readonly<Record<string, unknown>>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => k !== 'base' && !allowed.includes(k));
  if (unknown.length) throw new SilError('SIL_API_INPUT', `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`, { hint: `this route takes: base${allowed.length ? `, ${allowed.join(', ')}` : ''}` });
}

/** A whole-number query parameter from `min` to `max`; `fallback` when absent. */
export function intParam(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new SilError('SIL_API_INPUT', `${name}: give a whole number from ${min} to ${max}`);
  return n;
}
