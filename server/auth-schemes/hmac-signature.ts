// hmac-signature: per-request signing with a shared secret. Two styles:
//
// `sorted-params-digest` (Cloudinary's signed uploads): the scheme's `params` (api_key) and the
// timestamp (`timestampParam`, Unix seconds from ctx.now()) are added to the request's
// parameters, replacing any of the same name; then every parameter of the request (query and
// body) except those in `exclude`, the signature parameter itself, file parts and empty values
// is taken, a name given more than once (or as `name[]`) with its values joined by commas,
// sorted by name, written `k=v&k=v` with raw (not percent-encoded) values, the secret appended,
// and the digest (`algorithm`, hex or base64) added as `signatureParam`. A plain digest, not an
// HMAC: that is Cloudinary's rule. The parameters go where the request has them: an
// application/x-www-form-urlencoded, multipart/form-data or JSON-object body; the query of a
// request that carries no body (GET, HEAD, DELETE); a new form body for another method without
// a body. Any other body is refused (SIL_AUTH_UNSUPPORTED).
//
// `hmac-header`: the HMAC (`algorithm`, key = `secret`) of `stringToSign` in the header
// `header`, hex or base64. `stringToSign` may use `${request.method}` (upper case),
// `${request.path}` (path and query as sent), `${request.body}` (the body's bytes) and
// `${request.timestamp}` (Unix seconds), besides `${connection.x}` / `${secret.x}`. The scheme's
// `params` are added to the query before signing. The schema has no field for where the
// timestamp travels: when `timestampParam` is set, it is sent in the header of that name.
//
// Caller values (the body, the path) are never rendered as templates: only the scheme's own
// strings are.
import { createHash, createHmac } from 'node:crypto';
import type { AuthHmacSignature } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { PLACEHOLDER } from '../core/template-string.ts';
import { renderValue } from './render-value.ts';
import { copyRequest, getHeader, requestBodyText, setHeader, type AuthContext, type RequestParts } from './types.ts';

const WHAT = 'auth hmac-signature';

function unsupported(why: string): SilError {
  return new SilError('SIL_AUTH_UNSUPPORTED', `${WHAT}: ${why}; signed parameters go in the query (no body), or an application/x-www-form-urlencoded, multipart/form-data or JSON-object body`);
}

function bodyBytes(body: RequestParts['body']): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}


/** Unix seconds of ctx.now(). */
function timestamp(ctx: AuthContext): string {
  return String(Math.floor(ctx.now().getTime() / 1000));
}

/**
 * The string Cloudinary signs: `k=v&k=v` of the parameters sorted by name, values raw, a
 * repeated name (or `name[]`) with its values joined by commas, empty values left out.
 */
export function sortedParamsString(params: Iterable<readonly [string, string]>, exclude: ReadonlySet<string>): string {
  const grouped = new Map<string, string[]>();
  for (const [rawName, value] of params) {
    const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
    if (exclude.has(name) || exclude.has(rawName) || value === '') continue;
    const list = grouped.get(name);
    if (list) list.push(value);
    else grouped.set(name, [value]);
  }
  return [...grouped.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}=${grouped.get(name)!.join(',')}`)
    .join('&');
}

function digest(algorithm: Algorithm, data: string | Uint8Array, encoding: 'hex' | 'base64'): string {
  return createHash(algorithm).update(data).digest(encoding);
}

const ALGORITHMS = new Set(['sha1', 'sha256', 'sha512']);
type Algorithm = 'sha1' | 'sha256' | 'sha512';

/**
 * The scheme's algorithm: as written, or the instance's value of `${connection.x}` (Cloudinary
 * accounts switched to SHA-256). Anything but sha1, sha256 or sha512 is refused, never guessed.
 */
export function signingAlgorithm(scheme: AuthHmacSignature, ctx: AuthContext): Algorithm {
  const value = scheme.algorithm.includes('${') ? renderValue(scheme.algorithm, ctx, `${WHAT}: algorithm`).trim() : scheme.algorithm;
  if (!ALGORITHMS.has(value)) {
    // Only ${connection.x} is allowed here (the schema), so the value is no secret.
    const what = scheme.algorithm === value ? JSON.stringify(value) : `${scheme.algorithm} (${JSON.stringify(value)})`;
    throw new SilError('SIL_AUTH_UNSUPPORTED', `${WHAT}: the algorithm ${what} is not sha1, sha256 or sha512`);
  }
  return value as Algorithm;
}

/** A JSON body's top-level values as signable strings; objects cannot be signed. */
function jsonParams(obj: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(obj)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.some((v) => v !== null && typeof v === 'object')) throw unsupported(`the JSON field "${name}" is a list of objects, which cannot be signed`);
      for (const v of value) out.push([name, String(v)]);
    } else if (typeof value === 'object') {
      throw unsupported(`the JSON field "${name}" is an object, which cannot be signed; send it serialized as the provider expects`);
    } else out.push([name, String(value)]);
  }
  return out;
}

function jsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unsupported('the JSON body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw unsupported('the JSON body is not an object');
  return value as Record<string, unknown>;
}

function defineField(obj: Record<string, unknown>, name: string, value: string): void {
  Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
}

async function sortedParamsDigest(scheme: AuthHmacSignature, req: RequestParts, ctx: AuthContext): Promise<RequestParts> {
  const secret = renderValue(scheme.secret, ctx, `${WHAT}: secret`);
  if (secret === '') throw new SilError('SIL_AUTH_MISSING_SECRET', `${WHAT}: the secret (${scheme.secret}) renders empty`);
  const added: [string, string][] = Object.entries(scheme.params ?? {}).map(([name, text]) => [name, renderValue(text, ctx, `${WHAT}: parameter "${name}"`)]);
  added.push([scheme.timestampParam ?? 'timestamp', timestamp(ctx)]);
  const signatureParam = scheme.signatureParam ?? 'signature';
  const exclude = new Set([...(scheme.exclude ?? []), signatureParam]);
  const encoding = scheme.encoding ?? 'hex';
  const algorithm = signingAlgorithm(scheme, ctx);
  const addedNames = new Set(added.map(([n]) => n));

  const out = copyRequest(req);
  const method = out.method.toUpperCase();
  const contentType = getHeader(out.headers, 'content-type');
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const hasBody = out.body !== undefined && bodyBytes(out.body).byteLength > 0;
  // Parameters the scheme adds replace those of the same name, wherever the request has them.
  for (const name of [...addedNames, signatureParam]) out.url.searchParams.delete(name);
  const sign = (carrier: Iterable<readonly [string, string]>) =>
    digest(algorithm, `${sortedParamsString([...out.url.searchParams, ...carrier], exclude)}${secret}`, encoding);

  if (!hasBody && contentType === undefined && (method === 'GET' || method === 'HEAD' || method === 'DELETE')) {
    for (const [name, value] of added) if (value !== '') out.url.searchParams.set(name, value);
    out.url.searchParams.set(signatureParam, sign([]));
    return out;
  }
  if (type === 'application/x-www-form-urlencoded' || (!hasBody && contentType === undefined)) {
    const form = new URLSearchParams(requestBodyText(out.body, unsupported));
    for (const name of [...addedNames, signatureParam]) form.delete(name);
    for (const [name, value] of added) if (value !== '') form.append(name, value);
    form.append(signatureParam, sign(form));
    out.body = form.toString();
    if (contentType === undefined) setHeader(out.headers, 'Content-Type', 'application/x-www-form-urlencoded');
    return out;
  }
  if (type === 'multipart/form-data') {
    let parsed: FormData;
    try {
      parsed = await new Response(bodyBytes(out.body), { headers: { 'content-type': contentType! } }).formData();
    } catch {
      throw unsupported('the multipart/form-data body cannot be parsed');
    }
    const form = new FormData();
    const fields: [string, string][] = [];
    for (const [name, value] of parsed) {
      if (addedNames.has(name) || name === signatureParam) continue;
      form.append(name, value);
      if (typeof value === 'string') fields.push([name, value]); // file parts are never signed
    }
    for (const [name, value] of added) {
      if (value === '') continue;
      form.append(name, value);
      fields.push([name, value]);
    }
    form.append(signatureParam, sign(fields));
    const encoded = new Request('http://multipart.invalid/', { method: 'POST', body: form });
    out.body = new Uint8Array(await encoded.arrayBuffer());
    setHeader(out.headers, 'Content-Type', encoded.headers.get('content-type')!);
    return out;
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    const obj = jsonObject(requestBodyText(out.body, unsupported));
    for (const name of [...addedNames, signatureParam]) delete obj[name];
    for (const [name, value] of added) if (value !== '') defineField(obj, name, value);
    defineField(obj, signatureParam, sign(jsonParams(obj)));
    out.body = JSON.stringify(obj);
    return out;
  }
  throw unsupported(hasBody ? `the body is ${type || 'of an empty Content-Type'}` : `a ${method} request with Content-Type ${type || '""'} and no body`);
}

const REQUEST_PLACEHOLDER = /^\s*request\.(method|path|body|timestamp)\s*$/;

/**
 * The bytes of `stringToSign`: the scheme's own text rendered with `ctx`, the `${request.x}`
 * values put in as they are (never rendered, so a body cannot pull in a secret).
 */
export function stringToSignBytes(text: string, values: { method: string; path: string; body: Uint8Array; timestamp: string }, ctx: AuthContext): Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const r = REQUEST_PLACEHOLDER.exec(m[1]);
    if (!r) continue;
    parts.push(Buffer.from(renderValue(text.slice(last, m.index), ctx, `${WHAT}: stringToSign`), 'utf8'));
    const name = r[1] as keyof typeof values;
    const value = values[name];
    parts.push(typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(Buffer.from(renderValue(text.slice(last), ctx, `${WHAT}: stringToSign`), 'utf8'));
  return Buffer.concat(parts);
}

function hmacHeader(scheme: AuthHmacSignature, req: RequestParts, ctx: AuthContext): RequestParts {
  if (!scheme.header) throw new SilError('SIL_INTERNAL', `${WHAT}: style hmac-header needs \`header\`, the header that carries the signature`);
  if (scheme.stringToSign === undefined) throw new SilError('SIL_INTERNAL', `${WHAT}: style hmac-header needs \`stringToSign\``);
  const secret = renderValue(scheme.secret, ctx, `${WHAT}: secret`);
  if (secret === '') throw new SilError('SIL_AUTH_MISSING_SECRET', `${WHAT}: the secret (${scheme.secret}) renders empty`);
  const params = Object.entries(scheme.params ?? {}).map(([name, text]) => [name, renderValue(text, ctx, `${WHAT}: parameter "${name}"`)] as const);
  const out = copyRequest(req);
  for (const [name, value] of params) {
    if (value === '') out.url.searchParams.delete(name);
    else out.url.searchParams.set(name, value);
  }
  const ts = timestamp(ctx);
  const message = stringToSignBytes(scheme.stringToSign, { method: out.method.toUpperCase(), path: `${out.url.pathname}${out.url.search}`, body: bodyBytes(out.body), timestamp: ts }, ctx);
  const signature = createHmac(signingAlgorithm(scheme, ctx), secret).update(message).digest(scheme.encoding ?? 'hex');
  setHeader(out.headers, scheme.header, signature);
  if (scheme.timestampParam !== undefined) setHeader(out.headers, scheme.timestampParam, ts);
  return out;
}

export async function prepareHmacSignature(scheme: AuthHmacSignature, req: RequestParts, ctx: AuthContext): Promise<RequestParts> {
  if (scheme.style === 'hmac-header') return hmacHeader(scheme, req, ctx);
  if (scheme.style === 'sorted-params-digest') return sortedParamsDigest(scheme, req, ctx);
  throw new SilError('SIL_AUTH_UNSUPPORTED', `${WHAT}: unknown style ${JSON.stringify(scheme.style)}`);
}
