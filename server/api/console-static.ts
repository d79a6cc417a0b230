// Serves the owner console: the static Astro build in admin/dist (docs/console.md).
//
//   /            → index.html          /login, /login/ → login/index.html (Astro's directory format)
//   /_astro/...  → hashed assets: cached for a year, immutable
//   HTML and the other files: `Cache-Control: no-cache` (revalidated with the ETag)
//   unknown paths → 404.html with status 404 for browsers (Accept: text/html); other clients get
//                   the hub's JSON 404 (SIL_NOT_FOUND) from the error handler
//
// GET and HEAD only; never answers for /api, /v1, /bind, /healthz or /metrics (they pass on).
// Paths are decoded, refused when they hold `..`, dot-segments, hidden names, backslashes or NUL,
// and must resolve (symlinks included) inside the dist folder. Text files are sent brotli- or
// gzip-compressed as the browser accepts, compressed once and kept in memory (the build is small).
//
// The CSP: the owner middleware sets `default-src 'self'` on every answer, which blocks the few
// inline scripts and styles Astro writes (the island loader, the no-flash language/theme script
// of components/Head.astro). Each HTML page is served with that policy plus `script-src` and
// `style-src` naming the SHA-256 of exactly the inline blocks the page holds — no 'unsafe-inline'.
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Context, Middleware, Next } from 'koa';
import { CONTENT_SECURITY_POLICY } from './security/headers.ts';
import { isApiPath, isHealthPath, isProxyPath } from './security/paths.ts';

export interface ConsoleStaticOptions {
  /** The built console: admin/dist. */
  root: string;
  log?: (line: string) => void;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt', '.webmanifest', '.ico']);
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Paths the console never answers: the API, the proxy doors, monitoring. */
export function isConsolePath(path: string): boolean {
  return !isApiPath(path) && !isProxyPath(path) && !isHealthPath(path) && path !== '/metrics' && !path.startsWith('/metrics/');
}

/** The candidate files (relative to the root) of a request path, or null when it is refused. */
export function candidatesOf(urlPath: string): string[] | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!path.startsWith('/') || path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.'))) return null; // `.`, `..`, hidden files
  const rel = segments.join('/');
  if (rel === '') return ['index.html'];
  if (path.endsWith('/')) return [`${rel}/index.html`];
  const last = segments[segments.length - 1];
  return last.includes('.') ? [rel] : [`${rel}/index.html`, `${rel}.html`];
}

/** SHA-256 sources of the inline <script> and <style> blocks of an HTML page. */
export function inlineHashes(html: string): { scripts: string[]; styles: string[] } {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const scripts = new Set<string>();
  const styles = new Set<string>();
  for (const m of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script\s*>/gi)) {
    if (!/\ssrc\s*=/i.test(m[1] ?? '') && m[2] !== '') scripts.add(hash(m[2]));
  }
  for (const m of html.matchAll(/<style(\s[^>]*)?>([\s\S]*?)<\/style\s*>/gi)) styles.add(hash(m[2]));
  return { scripts: [...scripts], styles: [...styles] };
}

/** The owner CSP plus the page's inline hashes. */
export function consoleCsp(hashes: { scripts: string[]; styles: string[] }): string {
  const parts = [CONTENT_SECURITY_POLICY];
  if (hashes.scripts.length) parts.push(`script-src 'self' ${hashes.scripts.join(' ')}`);
  if (hashes.styles.length) parts.push(`style-src 'self' ${hashes.styles.join(' ')}`);
  return parts.join('; ');
}

interface Entry {
  file: string;
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
  type: string;
  csp?: string;
  encoded: Map<'br' | 'gzip', Buffer>;
}

/** A browser navigating (as opposed to curl, fetch() or a monitor): it asks for HTML by name. */
function wantsHtml(ctx: Context): boolean {
  return /\btext\/html\b/i.test(ctx.get('accept'));
}

export function consoleStatic(opts: ConsoleStaticOptions): Middleware {
  const cache = new Map<string, Entry>();
  let rootReal: string | undefined;

  async function root(): Promise<string | undefined> {
    if (rootReal) return rootReal;
    try {
      rootReal = await realpath(opts.root);
    } catch {
      return undefined;
    }
    return rootReal;
  }

  async function load(base: string, rel: string): Promise<Entry | undefined> {
    const file = join(base, rel);
    let info;
    try {
      info = await stat(file);
      if (!info.isFile()) return undefined;
      const real = await realpath(file);
      if (!real.startsWith(base + sep)) return undefined;
    } catch {
      return undefined;
    }
    const known = cache.get(file);
    if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) return known;
    const body = await readFile(file);
    const ext = extname(file).toLowerCase();
    const entry: Entry = {
      file,
      mtimeMs: info.mtimeMs,
      size: info.size,
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      type: TYPES[ext] ?? 'application/octet-stream',
      encoded: new Map(),
      ...(ext === '.html' ? { csp: consoleCsp(inlineHashes(body.toString('utf8'))) } : {}),
    };
    cache.set(file, entry);
    return entry;
  }

  function encode(entry: Entry, encoding: 'br' | 'gzip'): Buffer {
    let out = entry.encoded.get(encoding);
    if (!out) {
      out = encoding === 'br'
        ? brotliCompressSync(entry.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: entry.body.length } })
        : gzipSync(entry.body, { level: 9 });
      entry.encoded.set(encoding, out);
    }
    return out;
  }

  function send(ctx: Context, entry: Entry, status: number, cacheControl: string): void {
    ctx.status = status;
    ctx.type = entry.type;
    ctx.set('Cache-Control', cacheControl);
    if (entry.csp) ctx.set('Content-Security-Policy', entry.csp);
    const ext = extname(entry.file).toLowerCase();
    let encoding: 'br' | 'gzip' | undefined;
    if (COMPRESSIBLE.has(ext) && entry.body.length >= 256) {
      ctx.vary('Accept-Encoding');
      // Brotli when the browser takes it (smaller), whatever order it lists encodings in.
      if (ctx.acceptsEncodings('br', 'identity') === 'br') encoding = 'br';
      else if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') encoding = 'gzip';
    }
    const etag = encoding ? `${entry.etag.slice(0, -1)}-${encoding}"` : entry.etag;
    ctx.set('ETag', etag);
    if (status === 200 && ctx.get('if-none-match').split(/\s*,\s*/).includes(etag)) {
      ctx.status = 304;
      return;
    }
    if (encoding) ctx.set('Content-Encoding', encoding);
    ctx.body = encoding ? encode(entry, encoding) : entry.body;
  }

  return async function serveConsole(ctx: Context, next: Next): Promise<void> {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !isConsolePath(ctx.path)) return next();
    const base = await root();
    if (!base) {
      if (!wantsHtml(ctx)) return next();
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = 'The console is not built. Run `npm run build:console` (`npm start` builds it when needed), then reload.\n';
      return;
    }
    const candidates = candidatesOf(ctx.path);
    for (const rel of candidates ?? []) {
      const entry = await load(base, rel);
      if (entry) {
        send(ctx, entry, 200, rel.startsWith('_astro/') ? IMMUTABLE : 'no-cache');
        return;
      }
    }
    const notFound = wantsHtml(ctx) ? await load(base, '404.html') : undefined;
    if (!notFound) return next();
    send(ctx, notFound, 404, 'no-cache');
  };
}
