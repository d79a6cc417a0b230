// Renders one template string of an auth scheme or a template-described request with an
// AuthContext: `${connection.x}`, `${secret.x}`, `${model}`, `${key.id}`. Pure: no I/O.
//
// - A credential the key does not hold throws SIL_AUTH_MISSING_SECRET naming the credential.
// - An unset connection field renders empty (an optional field: the caller then drops the
//   header or parameter).
// - Values are escaped for the place they land in (a path segment, a JSON string, a form
//   value, a header) so that a value cannot change the structure around it.
// - Error messages name placeholders and places, never a value.
import { SilError } from '../errors.ts';
import { placeholders, render } from '../core/template-string.ts';
import type { AuthContext } from './types.ts';

/**
 * How values are written into the text:
 * - `raw`: as they are (query parameter values, later encoded by URLSearchParams; Basic parts);
 * - `header`: as they are, but a line break or NUL is refused (header injection);
 * - `path`: percent-encoded except `/`, `:`, `@` and sub-delims (`/` too in a credential, which
 *   stays within its segment); `.` / `..` segments refused;
 * - `json`: escaped for the inside of a JSON string;
 * - `form`: percent-encoded as an application/x-www-form-urlencoded value.
 */
export type ValueEncoding = 'raw' | 'header' | 'path' | 'json' | 'form';

export interface RenderOptions {
  /** Encoding of every value (default `raw`). */
  encoding?: ValueEncoding;
  /** Encoding of `${connection.x}` values when it differs (base URLs: host names, whole URLs). */
  connection?: ValueEncoding;
}

const HEADER_FORBIDDEN = /[\r\n\0]/;

function own(values: Readonly<Record<string, unknown>> | undefined, name: string): unknown {
  return values && Object.hasOwn(values, name) ? values[name] : undefined;
}

function invalid(where: string, raw: string, why: string): SilError {
  return new SilError('SIL_INTERNAL', `${where}: the value of ${raw} ${why}`);
}

function encode(value: string, encoding: ValueEncoding, where: string, raw: string): string {
  switch (encoding) {
    case 'raw':
      return value;
    case 'header':
      if (HEADER_FORBIDDEN.test(value)) throw invalid(where, raw, 'contains a line break or NUL, which a header cannot carry');
      return value;
    case 'json':
      return JSON.stringify(value).slice(1, -1);
    case 'form':
    case 'path': {
      let out: string;
      try {
        out = encoding === 'form' ? encodeURIComponent(value) : encodeURI(value).replace(/[?#]/g, (c) => (c === '?' ? '%3F' : '%23'));
      } catch {
        throw invalid(where, raw, 'is not well-formed Unicode');
      }
      if (encoding === 'path' && out.split('/').some((s) => s === '.' || s === '..')) {
        throw invalid(where, raw, 'holds a "." or ".." path segment');
      }
      return out;
    }
  }
}

/**
 * Renders `text` for `where` (a label for messages: `auth bearer: token`, `header "x-api-key"`).
 * Throws SIL_AUTH_MISSING_SECRET for a credential the key lacks, SIL_INTERNAL for a value that
 * cannot go where it is used or a placeholder with no value here (`${model}` without a model).
 */
export function renderValue(text: string, ctx: AuthContext, where: string, options: RenderOptions = {}): string {
  const encoding = options.encoding ?? 'raw';
  const connectionEncoding = options.connection ?? encoding;
  // Null-prototype maps: `${secret.toString}` must not find Object.prototype members.
  const connection: Record<string, string> = Object.create(null);
  const secret: Record<string, string> = Object.create(null);
  let model: string | undefined;
  let keyId: string | undefined;
  for (const p of placeholders(text)) {
    if (!p.valid) continue; // render() below reports it
    if (p.namespace === 'secret') {
      const value = own(ctx.secret, p.name);
      if (typeof value !== 'string') {
        throw new SilError('SIL_AUTH_MISSING_SECRET', `${where}: the key has no value for the credential "${p.name}" (${p.raw})`);
      }
      // A credential in a path is one segment's worth (Algolia's /1/keys/<key>, keys may hold '/').
      const encoded = encode(value, encoding, where, p.raw);
      secret[p.name] = encoding === 'path' ? encoded.replaceAll('/', '%2F') : encoded;
    } else if (p.namespace === 'connection') {
      const value = own(ctx.connection, p.name);
      connection[p.name] = value === undefined || value === null ? '' : encode(String(value), connectionEncoding, where, p.raw);
    } else if (p.namespace === 'model' && ctx.model !== undefined) {
      model = encode(ctx.model, encoding, where, p.raw);
    } else if (p.namespace === 'key' && p.name === 'id' && ctx.keyId !== undefined) {
      keyId = encode(ctx.keyId, encoding, where, p.raw);
    }
  }
  const key: Record<string, string> = Object.create(null);
  if (keyId !== undefined) key.id = keyId;
  try {
    return render(text, { connection, secret, model, key }, false);
  } catch (err) {
    // render() names the placeholder ("no value for ${model}"), never a value.
    throw new SilError('SIL_INTERNAL', `${where}: ${(err as Error).message} here`, { cause: err });
  }
}
