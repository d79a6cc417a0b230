// renderRequest: builds the final request of a template-described call (key-rotation recipes,
// health checks, later the proxy) from its template strings and an AuthContext. Pure: no I/O.
//
// SECURITY: every string field below is a template (`${secret.x}` is filled in). Only pass text
// that comes from the config (templates, instances); never text a caller of the hub supplied,
// or the caller could have a credential written into a request it can read back. Caller bodies
// go in as bytes (Uint8Array), which are sent as they are.
import type { AuthScheme } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { applyAuth } from './registry.ts';
import { redirectOrigin } from './origins.ts';
import { renderValue, type ValueEncoding } from './render-value.ts';
import { deleteHeader, getHeader, setHeader, type AuthContext, type RequestParts } from './types.ts';

export interface RequestTemplate {
  /**
   * Base URL: a compiled one (CompiledService.baseUrl, connection values filled in) or a
   * template's. May hold `${secret.x}` (path auth); its own path is kept.
   */
  baseUrl: string;
  /** Path below the base URL (`/models`, `/deployments/${model}/chat/completions`); may end in `?k=v`. */
  path?: string;
  /** Default GET. */
  method?: string;
  /** Header templates, service headers already merged over the template's; empty values are not sent. */
  headers?: Readonly<Record<string, string>>;
  /** Query parameter templates; empty values are not sent. */
  query?: Readonly<Record<string, string>>;
  /** A template string (rendered, escaped for its Content-Type), or bytes sent as they are. */
  body?: string | Uint8Array;
  /** The auth scheme to apply; absent or null sends no credentials (a health check with `auth: false`). */
  auth?: AuthScheme | null;
  /**
   * What a caller of the proxy supplied, used as it is and never rendered: a path below the
   * service path (already percent-encoded, checked by the caller for `..`), query parameters
   * and headers (already filtered of credentials and hop-by-hop headers).
   */
  caller?: { path?: string; query?: URLSearchParams; headers?: Readonly<Record<string, string>> };
}

function parseBaseUrl(text: string): URL {
  // The rendered URL may hold a credential (path auth): no message repeats it.
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SilError('SIL_INTERNAL', 'base URL: not a valid URL once rendered');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SilError('SIL_INTERNAL', `base URL: the scheme ${url.protocol} is not http or https`);
  if (url.username || url.password) throw new SilError('SIL_INTERNAL', 'base URL: credentials in the URL (user:password@) are not sent; use an auth scheme');
  // `https://${connection.dc}.api...` with the field unset (or not derivable from the key) renders `https://.api...`.
  if (/^\.|\.\./.test(url.hostname)) throw new SilError('SIL_INTERNAL', 'base URL: the host has an empty part once rendered (a connection field without a value?)');
  url.hash = '';
  return url;
}

/** Joins the base URL's path and `path` with exactly one slash; an empty path leaves the base as is. */
function joinPath(url: URL, path: string): void {
  if (path === '') return;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function bodyEncoding(headers: Readonly<Record<string, string>>): ValueEncoding {
  const type = (getHeader(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return 'raw';
}

export function renderRequest(template: RequestTemplate, ctx: AuthContext): RequestParts {
  // Connection values in a base URL are host names or whole URLs (`${connection.instanceUrl}`): as they are.
  const url = redirectOrigin(parseBaseUrl(renderValue(template.baseUrl, ctx, 'base URL', { encoding: 'path', connection: 'raw' })), ctx.origins);

  const rawPath = template.path ?? '';
  const q = rawPath.indexOf('?');
  joinPath(url, renderValue(q < 0 ? rawPath : rawPath.slice(0, q), ctx, 'path', { encoding: 'path' }));
  const params: [string, string][] = [];
  if (q >= 0) {
    const inPath = renderValue(rawPath.slice(q + 1), ctx, 'path query', { encoding: 'form' });
    for (const [name, value] of new URLSearchParams(inPath)) params.push([name, value]);
  }
  const query = new Map<string, string>();
  for (const [name, text] of Object.entries(template.query ?? {})) query.set(name, renderValue(text, ctx, `query parameter "${name}"`));
  if (params.length > 0 || query.size > 0) {
    for (const [name, value] of params) url.searchParams.append(name, value);
    for (const [name, value] of query) {
      if (value === '') url.searchParams.delete(name);
      else url.searchParams.set(name, value);
    }
  }

  if (template.caller?.path) joinPath(url, template.caller.path);
  // The caller's query parameters, except those the template sets (as with headers): a caller
  // cannot add a second teamId or project_id next to the one the operator configured.
  if (template.caller?.query) {
    const fixed = new Set(url.searchParams.keys());
    for (const [name, value] of template.caller.query) if (!fixed.has(name)) url.searchParams.append(name, value);
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(template.caller?.headers ?? {})) setHeader(headers, name, value);
  for (const [name, text] of Object.entries(template.headers ?? {})) {
    const value = renderValue(text, ctx, `header "${name}"`, { encoding: 'header' });
    if (value === '') deleteHeader(headers, name);
    else setHeader(headers, name, value);
  }

  const req: RequestParts = { method: (template.method ?? 'GET').toUpperCase(), url, headers };
  if (typeof template.body === 'string') req.body = renderValue(template.body, ctx, 'body', { encoding: bodyEncoding(headers) });
  else if (template.body !== undefined) req.body = template.body;

  return template.auth ? applyAuth(template.auth, req, ctx) : req;
}
