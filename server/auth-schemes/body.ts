// body: the secret merged into the request body: a JSON object (fields set, replacing fields of
// the same name), an application/x-www-form-urlencoded body, or a multipart/form-data body (text
// parts set, the caller's other parts and files kept as they are: Uploadcare's uploads). A field
// whose value renders empty is not sent. A request without a body and without a Content-Type
// gets a JSON object of the fields. GET and HEAD requests (no body) and any other body (text, a
// JSON array) are refused with SIL_AUTH_UNSUPPORTED.
import type { AuthBody } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { renderValue } from './render-value.ts';
import { multipartBoundary, setMultipartFields } from './multipart-fields.ts';
import { copyRequest, getHeader, requestBodyText, setHeader, type AuthContext, type RequestParts } from './types.ts';

function unsupported(why: string): SilError {
  return new SilError('SIL_AUTH_UNSUPPORTED', `auth body: ${why}; credential fields can be merged into a JSON object, an application/x-www-form-urlencoded or a multipart/form-data body only`);
}


function jsonObject(text: string, type: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unsupported(type ? `the ${type} body is not valid JSON` : 'the body (no Content-Type) is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw unsupported(`the JSON body is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object`);
  }
  return value as Record<string, unknown>;
}

export function applyBody(scheme: AuthBody, req: RequestParts, ctx: AuthContext): RequestParts {
  const fields = Object.entries(scheme.fields).map(
    ([name, text]) => [name, renderValue(text, ctx, `auth body: field "${name}"`)] as const,
  );
  const method = req.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') throw unsupported(`a ${method} request carries no body`);
  const out = copyRequest(req);
  const contentType = getHeader(out.headers, 'content-type');
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'multipart/form-data') {
    const boundary = multipartBoundary(contentType!);
    if (!boundary) throw unsupported('the multipart/form-data Content-Type has no boundary');
    const bytes = req.body === undefined ? new Uint8Array(0) : typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
    try {
      out.body = setMultipartFields(bytes, boundary, fields);
    } catch (err) {
      // The messages name fields and the structure, never a value.
      throw unsupported((err as Error).message);
    }
    return out;
  }
  const text = requestBodyText(req.body, unsupported);

  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    for (const [name, value] of fields) {
      if (value === '') form.delete(name);
      else form.set(name, value);
    }
    out.body = form.toString();
    return out;
  }
  if (type === 'application/json' || type.endsWith('+json') || contentType === undefined) {
    const obj = jsonObject(text, type);
    for (const [name, value] of fields) {
      // defineProperty: a field named __proto__ becomes a field, not the object's prototype.
      if (value === '') delete obj[name];
      else Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
    }
    out.body = JSON.stringify(obj);
    if (contentType === undefined) setHeader(out.headers, 'Content-Type', 'application/json');
    return out;
  }
  throw unsupported(`the body is ${type || 'of an empty Content-Type'}`);
}
