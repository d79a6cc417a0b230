// Small pieces shared by the media and maps provider mocks (cloudinary, imgur, uploadcare,
// google-maps, mapbox, here): a request's parameters from its query and body (form, multipart,
// JSON), HTTP Basic credentials, and the on/off switches every mock offers to a test.
import type { ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';

export interface FilePart { field: string; name: string; type: string; bytes: Buffer }

export interface RequestParams {
  /** Query then body parameters, in order, repeated names kept. */
  fields: [string, string][];
  files: FilePart[];
  /** The body's media type (lower case, no parameters), '' without one. */
  type: string;
}

/** The parameters of a request the way a form-taking API reads them. */
export async function requestParams(r: ReceivedRequest): Promise<RequestParams> {
  const fields: [string, string][] = [...r.query];
  const files: FilePart[] = [];
  const contentType = String(r.headers['content-type'] ?? '');
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') fields.push(...new URLSearchParams(r.body.toString('utf8')));
  else if (type === 'application/json' && r.body.length > 0) {
    const obj = JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) fields.push([k, String(v)]);
  } else if (type === 'multipart/form-data') {
    const form = await new Response(r.body, { headers: { 'content-type': contentType } }).formData();
    for (const [k, v] of form) {
      if (typeof v === 'string') fields.push([k, v]);
      else files.push({ field: k, name: v.name, type: v.type, bytes: Buffer.from(await v.arrayBuffer()) });
    }
  }
  return { fields, files, type };
}

/** The last value of `name`, if any. */
export function param(p: RequestParams, name: string): string | undefined {
  let out: string | undefined;
  for (const [k, v] of p.fields) if (k === name) out = v;
  return out;
}

/** `Authorization: Basic base64(user:pass)` → [user, pass]; null when absent or malformed. */
export function basicCredentials(header: string | undefined): [string, string] | null {
  const m = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : [text.slice(0, colon), text.slice(colon + 1)];
}

/** What a test can tell a mock: refuse the key it holds (revoked), or answer 429-style limits. */
export interface MockSwitches {
  /** From now on the mock treats the configured credentials as revoked (true) or valid again (false). */
  revoke(on?: boolean): void;
  /**
   * From now on the mock answers with its documented rate-limit error: every request (true),
   * only requests whose path matches (a RegExp: keeps the hub's health probes out of it), or
   * none (false).
   */
  throttle(on?: boolean | RegExp): void;
}

export function switches(): MockSwitches & { revoked: boolean; throttled(r: ReceivedRequest): boolean } {
  let limit: boolean | RegExp = false;
  const s = {
    revoked: false,
    revoke(on = true) {
      s.revoked = on;
    },
    throttle(on: boolean | RegExp = true) {
      limit = on;
    },
    throttled(r: ReceivedRequest) {
      return limit === true || (limit instanceof RegExp && limit.test(r.path));
    },
  };
  return s;
}

/** A header value as one string. */
export function headerOf(r: ReceivedRequest, name: string): string | undefined {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The last request a mock received on `path` (the hub's health probes keep arriving on theirs). */
export function lastTo(received: readonly ReceivedRequest[], path: string | RegExp): ReceivedRequest {
  const hit = received.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path))).at(-1);
  if (!hit) throw new Error(`the mock received nothing on ${String(path)}`);
  return hit;
}
