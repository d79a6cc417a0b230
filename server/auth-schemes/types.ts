// The shapes auth schemes work on: an outgoing request in parts, the values a scheme renders
// its template strings with, and the applier signature every scheme implements. Pure: no I/O.
import type { OriginMap } from './origins.ts';
import type { AuthScheme } from '../../schemas/types.gen.ts';

/** An outgoing request before it is sent. Header names keep their case; lookups ignore it. */
export interface RequestParts {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** The credentials of the key in use, by credential name (the template's `credentials:`). */
export type SecretValues = Readonly<Record<string, string>>;

/** What placeholders render with: `${connection.x}`, `${secret.x}`, `${model}`, `${key.id}`. */
export interface AuthContext {
  /** The instance's connection values, template defaults included (CompiledProvider.connection). */
  connection: Readonly<Record<string, string | number | boolean>>;
  secret: SecretValues;
  model?: string;
  keyId?: string;
  now: () => Date;
  /** providers/<id>.yaml `origins:` (normalised): where requests for an origin are sent instead (origins.ts). */
  origins?: OriginMap;
}

/** Applies one scheme to a request. Returns a new request; the input is never changed. */
export interface AuthApplier<S = AuthScheme> {
  (scheme: S, req: RequestParts, ctx: AuthContext): RequestParts;
}

/** A copy of the request whose URL and headers may be changed without touching the original. */
export function copyRequest(req: RequestParts): RequestParts {
  const out: RequestParts = { method: req.method, url: new URL(req.url), headers: { ...req.headers } };
  if (req.body !== undefined) out.body = req.body;
  return out;
}

/** The value of a header, whatever the case of its name. */
export function getHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Sets a header in place, replacing any header of the same name in another case. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  deleteHeader(headers, name);
  headers[name] = value;
}

/** Removes a header in place, whatever the case of its name. */
export function deleteHeader(headers: Record<string, string>, name: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) delete headers[k];
}

/** A request body as text; `invalid` makes the error for a body that is not UTF-8. */
export function requestBodyText(body: RequestParts['body'], invalid: (why: string) => Error): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw invalid('the body is not UTF-8 text');
  }
}
