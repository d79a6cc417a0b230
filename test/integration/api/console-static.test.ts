// The console's static file serving (server/api/console-static.ts) over real HTTP: Astro's
// directory format, caching, compression, the per-page CSP with inline hashes, path confinement,
// the 404 page, and the paths it never answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Koa from 'koa';
import { candidatesOf, consoleStatic, inlineHashes, isConsolePath } from '../../../server/api/console-static.ts';
import { securityHeaders } from '../../../server/api/security/headers.ts';
import { errorHandler } from '../../../server/http/error-handler.ts';
import { tempDir, writeFiles } from '../../helpers/tmp.ts';

const INLINE_SCRIPT = "(function(){document.documentElement.lang='en'})();";
const INLINE_STYLE = 'astro-island{display:contents}';
const SCRIPT = `export const x = ${JSON.stringify('console '.repeat(400))};\n`;
const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

describe('console static files', () => {
  const tmp = tempDir('sil-console-');
  const dist = join(tmp.path, 'dist');
  let server: Server;
  let port = 0;

  function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
  }
  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  beforeAll(async () => {
    writeFiles(dist, {
      'index.html': `<!DOCTYPE html><html><head><script>${INLINE_SCRIPT}</script></head><body><style>${INLINE_STYLE}</style>main<script type="module" src="/_astro/a.js"></script></body></html>`,
      'login/index.html': '<!DOCTYPE html><html><body>login</body></html>',
      '404.html': '<!DOCTYPE html><html><body>not found</body></html>',
      '_astro/a.js': SCRIPT,
      '_astro/tiny.js': 'x',
      'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      '.sil-build': 'stamp',
    });
    writeFileSync(join(tmp.path, 'secret.txt'), 'outside');
    mkdirSync(join(dist, 'linked'));
    symlinkSync(join(tmp.path, 'secret.txt'), join(dist, 'linked', 'secret.txt'));
    const app = new Koa();
    app.silent = true;
    app.use(errorHandler(() => {}));
    app.use(securityHeaders());
    app.use(consoleStatic({ root: dist }));
    server = createServer(app.callback());
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    tmp.cleanup();
  });

  it('maps paths to Astro directory-format files', () => {
    expect(candidatesOf('/')).toEqual(['index.html']);
    expect(candidatesOf('/login')).toEqual(['login/index.html', 'login.html']);
    expect(candidatesOf('/login/')).toEqual(['login/index.html']);
    expect(candidatesOf('/_astro/a.js')).toEqual(['_astro/a.js']);
    for (const bad of ['/../x', '/a/../../x', '/%2e%2e/x', '/.hidden', '/a/.git/config', '/a%5cb', '/a%00b', '/%E0%A4%A']) expect(candidatesOf(bad)).toBeNull();
    for (const p of ['/api', '/api/session', '/v1/models', '/v1', '/bind/chat/x', '/healthz', '/metrics']) expect(isConsolePath(p)).toBe(false);
    expect(isConsolePath('/apis')).toBe(true);
  });

  it('hashes inline scripts and styles, not external scripts', () => {
    const h = inlineHashes(`<script>a()</script><script type="module" src="/x.js"></script><SCRIPT type="module">b()</SCRIPT><style>p{}</style>`);
    expect(h.scripts).toEqual([sha('a()'), sha('b()')]);
    expect(h.styles).toEqual([sha('p{}')]);
  });

  it('serves / and /login as HTML, no-cache, with the CSP naming the page\'s inline blocks', async () => {
    const root = await get('/', html);
    expect(root.status).toBe(200);
    expect(root.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(root.headers['cache-control']).toBe('no-cache');
    expect(root.body.toString()).toContain('main');
    const csp = String(root.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`script-src 'self' ${sha(INLINE_SCRIPT)}`);
    expect(csp).toContain(`style-src 'self' ${sha(INLINE_STYLE)}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(root.headers['x-content-type-options']).toBe('nosniff');
    for (const path of ['/login', '/login/']) {
      const page = await get(path, html);
      expect(page.status).toBe(200);
      expect(page.body.toString()).toContain('login');
      expect(page.headers['content-security-policy']).not.toContain('script-src');
    }
  });

  it('sends hashed assets compressed (brotli, gzip) with a year of immutable caching, and 304 on a matching ETag', async () => {
    const br = await get('/_astro/a.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    expect(br.body.length).toBeLessThan(SCRIPT.length / 4);
    const gz = await get('/_astro/a.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(SCRIPT);
    const plain = await get('/_astro/a.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    expect(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size).toBe(3);
    const again = await get('/_astro/a.js', { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const tiny = await get('/_astro/tiny.js', { 'accept-encoding': 'br' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD without a body and leaves other methods to the rest of the app', async () => {
    const head = await get('/login', html, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const post = await get('/login', {}, 'POST');
    expect(post.status).toBe(404);
    expect(JSON.parse(post.body.toString())).toMatchObject({ error: { code: 'SIL_NOT_FOUND' } });
  });

  it('never answers for the API, the proxy doors or /healthz', async () => {
    for (const path of ['/api/session', '/api', '/v1/models', '/bind/chat/x', '/healthz']) {
      const r = await get(path, html);
      expect(r.status, path).toBe(404);
      expect(JSON.parse(r.body.toString()), path).toMatchObject({ error: { code: 'SIL_NOT_FOUND' } });
    }
  });

  it('confines paths to the dist folder: no .., no hidden files, no symlinks out', async () => {
    for (const path of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/linked/secret.txt', '/.sil-build', '/_astro/..%2f..%2fsecret.txt', '/a%5c..%5csecret.txt']) {
      const r = await get(path, html);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toContain('outside');
      expect(r.body.toString(), path).toContain('not found');
    }
  });

  it('answers unknown paths with the 404 page for browsers and the JSON 404 for other clients', async () => {
    const page = await get('/no/such/page', html);
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body.toString()).toContain('not found');
    const json = await get('/no/such/page', { accept: '*/*' });
    expect(json.status).toBe(404);
    expect(JSON.parse(json.body.toString())).toMatchObject({ error: { code: 'SIL_NOT_FOUND' } });
  });

  it('says how to build the console when admin/dist is missing', async () => {
    const app = new Koa();
    app.silent = true;
    app.use(errorHandler(() => {}));
    app.use(consoleStatic({ root: join(tmp.path, 'nothing-here') }));
    const s = createServer(app.callback());
    await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
    const saved = port;
    port = (s.address() as { port: number }).port;
    try {
      const page = await get('/', html);
      expect(page.status).toBe(503);
      expect(page.body.toString()).toContain('npm run build:console');
      expect((await get('/', { accept: 'application/json' })).status).toBe(404);
    } finally {
      port = saved;
      await new Promise((ok) => s.close(ok));
    }
  });
});
