// The part of an attempt's request that does not depend on the caller, rendered once and reused:
// the service URL (base URL, path, template query) and the template's and auth scheme's headers,
// for one key, model and path. Only for schemes that add nothing but headers (none, bearer,
// header, authorization, basic): the others touch the URL or body, or sign the whole request,
// and are rendered per request (render-request.ts).
//
// Cached per secret object and service (both belong to one config snapshot, so a reload or a new
// key starts afresh), bounded per service: model names come from callers (`binding/model`).
import { renderRequest, type RequestTemplate } from '../auth-schemes/render-request.ts';
import type { AuthContext } from '../auth-schemes/types.ts';
import type { CompiledService } from '../config/snapshot.ts';

/** What the upstream client sends. */
export interface UpstreamRequest {
  method: string;
  /** `https://host:port` */
  origin: string;
  /** Path and query, percent-encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface PreparedRequest {
  origin: string;
  pathname: string;
  /** `?a=b` or empty. */
  search: string;
  headers: Readonly<Record<string, string>>;
  /** Lower-case names of every header the template or the auth scheme sets or removes. */
  overrides: ReadonlySet<string>;
}

const HEADER_ONLY_SCHEMES = new Set(['none', 'bearer', 'header', 'authorization', 'basic']);
const MAX_PER_SERVICE = 256;
const NO_SECRET: Readonly<Record<string, string>> = Object.freeze({});

const cache = new WeakMap<object, WeakMap<CompiledService, Map<string, PreparedRequest>>>();

export function canPrepare(service: CompiledService): boolean {
  return HEADER_ONLY_SCHEMES.has(service.auth.type);
}

function prepare(service: CompiledService, path: string, ctx: AuthContext): PreparedRequest {
  const template: RequestTemplate = { baseUrl: service.baseUrl, path, headers: service.headers, query: service.query, auth: service.auth };
  const req = renderRequest(template, ctx);
  const overrides = new Set<string>();
  for (const name of Object.keys(service.headers)) overrides.add(name.toLowerCase());
  for (const name of Object.keys(req.headers)) overrides.add(name.toLowerCase());
  return { origin: req.url.origin, pathname: req.url.pathname, search: req.url.search, headers: Object.freeze(req.headers), overrides };
}

/**
 * The prepared request of `service` at `path` with `ctx`'s key and model: from the cache, or
 * rendered now. Throws what renderRequest throws (a missing credential, a bad base URL).
 */
export function preparedRequest(service: CompiledService, path: string, ctx: AuthContext): PreparedRequest {
  const secret = ctx.secret === undefined || Object.keys(ctx.secret).length === 0 ? NO_SECRET : ctx.secret;
  let byService = cache.get(secret);
  if (!byService) cache.set(secret, (byService = new WeakMap()));
  let entries = byService.get(service);
  if (!entries) byService.set(service, (entries = new Map()));
  const key = `${ctx.keyId ?? ''}\u0000${ctx.model ?? ''}\u0000${path}`;
  let prepared = entries.get(key);
  if (!prepared) {
    prepared = prepare(service, path, ctx);
    if (entries.size < MAX_PER_SERVICE) entries.set(key, prepared);
  }
  return prepared;
}

/**
 * The request to send: the prepared parts, then what the caller supplied (never rendered) —
 * a path below the service path, query parameters, and headers the template and scheme do not set.
 */
export function completeRequest(
  prepared: PreparedRequest,
  method: string,
  caller: { path?: string; query?: string; headers: Readonly<Record<string, string>> },
  body: string | Uint8Array | undefined,
): UpstreamRequest {
  const headers: Record<string, string> = {};
  for (const name in caller.headers) if (!prepared.overrides.has(name.toLowerCase())) headers[name] = caller.headers[name];
  Object.assign(headers, prepared.headers);
  let path = prepared.pathname + prepared.search;
  if (caller.path || caller.query) {
    const url = new URL(path, prepared.origin);
    if (caller.path) url.pathname = `${url.pathname.replace(/\/+$/, '')}/${caller.path.replace(/^\/+/, '')}`;
    // Parameters the template or auth sets are not taken from the caller (render-request.ts).
    const fixed = prepared.search === '' ? null : new Set(url.searchParams.keys());
    for (const [name, value] of new URLSearchParams(caller.query ?? '')) if (!fixed?.has(name)) url.searchParams.append(name, value);
    path = url.pathname + url.search;
  }
  const out: UpstreamRequest = { method, origin: prepared.origin, path, headers };
  if (body !== undefined) out.body = body;
  return out;
}
