// renderRequest and the appliers on hand-written templates: URL joining, escaping, dropping
// empty values, body merging, immutability, and the errors (never holding a secret).
import { describe, it, expect } from 'vitest';
import { renderRequest, type RequestTemplate } from '../../../server/auth-schemes/render-request.ts';
import { applyAuth, LATER_SCHEMES } from '../../../server/auth-schemes/registry.ts';
import type { AuthContext, RequestParts } from '../../../server/auth-schemes/types.ts';
import type { AuthScheme } from '../../../schemas/types.gen.ts';
import { SilError } from '../../../server/errors.ts';
import { caughtSync as caught } from '../../helpers/caught.ts';

const SECRET = 'S3CR3T-value-0123456789';
const ctx = (over: Partial<AuthContext> = {}): AuthContext => ({ connection: {}, secret: { token: SECRET }, now: () => new Date(0), ...over });
const url = (t: Partial<RequestTemplate>, c = ctx()) => renderRequest({ baseUrl: 'https://api.example.test', ...t }, c).url.href;


/** Everything an error could show or log. */
const shown = (e: SilError) => [e.message, e.hint, e.stack, JSON.stringify(e), JSON.stringify(e.toJSON()), String(e.cause ?? '')].join('\n');

describe('joining base URL and path', () => {
  it.each([
    ['https://api.openai.com/v1', '/models', 'https://api.openai.com/v1/models'],
    ['https://api.openai.com/v1/', '/models', 'https://api.openai.com/v1/models'],
    ['https://api.openai.com/v1', 'models', 'https://api.openai.com/v1/models'],
    ['https://api.openai.com/v1/', 'models', 'https://api.openai.com/v1/models'],
    ['https://api.openai.com/v1//', '//models', 'https://api.openai.com/v1/models'],
    ['https://api.openai.com/v1', '', 'https://api.openai.com/v1'],
    ['https://api.openai.com/v1', undefined, 'https://api.openai.com/v1'],
    ['https://api.openai.com/v1', '/', 'https://api.openai.com/v1/'],
    ['https://api.openai.com', '/models', 'https://api.openai.com/models'],
    ['https://api.openai.com/', '', 'https://api.openai.com/'],
    ['https://api.openai.com', '/', 'https://api.openai.com/'],
    ['https://api.uploadcare.com', '/files/', 'https://api.uploadcare.com/files/'],
    ['http://127.0.0.1:9901/v1', '/chat/completions', 'http://127.0.0.1:9901/v1/chat/completions'],
    ['https://x.test/api?v=2', '/items', 'https://x.test/api/items?v=2'],
    ['https://x.test/api#frag', '/items', 'https://x.test/api/items'],
    ['https://x.test/api', '/items?limit=1&q=a%20b', 'https://x.test/api/items?limit=1&q=a+b'],
  ])('%s + %s = %s', (baseUrl, path, expected) => {
    expect(url({ baseUrl, path })).toBe(expected);
  });

  it('renders connection values in the base URL as they are (host names, whole URLs)', () => {
    const c = ctx({ connection: { resource: 'my-res', instanceUrl: 'https://es.example.test:9243/prefix' } });
    expect(url({ baseUrl: 'https://${connection.resource}.openai.azure.com/openai', path: '/models' }, c)).toBe('https://my-res.openai.azure.com/openai/models');
    expect(url({ baseUrl: '${connection.instanceUrl}', path: '/_search' }, c)).toBe('https://es.example.test:9243/prefix/_search');
  });

  it('keeps "/" and ":" of a model in the path but escapes "?", "#" and "%"', () => {
    expect(url({ path: '/models/${model}/predictions' }, ctx({ model: 'meta/meta-llama-3-70b' }))).toBe('https://api.example.test/models/meta/meta-llama-3-70b/predictions');
    expect(url({ path: '/models/${model}:generateContent' }, ctx({ model: 'gemini-2.0-flash' }))).toBe('https://api.example.test/models/gemini-2.0-flash:generateContent');
    expect(url({ path: '/model/${model}/invoke' }, ctx({ model: 'anthropic.claude-3-5-sonnet-20240620-v1:0' }))).toBe('https://api.example.test/model/anthropic.claude-3-5-sonnet-20240620-v1:0/invoke');
    expect(url({ path: '/m/${model}/x' }, ctx({ model: 'a?b#c%d e' }))).toBe('https://api.example.test/m/a%3Fb%23c%25d%20e/x');
  });

  it('refuses a value that would climb out of the base path', () => {
    const err = caught(() => url({ baseUrl: 'https://api.example.test/v1', path: '/deployments/${model}/chat' }, ctx({ model: '../../admin' })));
    expect(err.code).toBe('SIL_INTERNAL');
    expect(err.message).toContain('${model}');
  });

  it('escapes a secret in a base URL path (within its segment: / too) and never shows the URL in an error', () => {
    expect(url({ baseUrl: 'https://api.example.test/bot${secret.token}', path: '/getMe' }, ctx({ secret: { token: '1:a/b?c' } }))).toBe('https://api.example.test/bot1:a%2Fb%3Fc/getMe');
    const err = caught(() => url({ baseUrl: 'ht!tp://${secret.token}', path: '/x' }));
    expect(err.message).toBe('base URL: not a valid URL once rendered');
    expect(shown(err)).not.toContain(SECRET);
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(caught(() => url({ baseUrl: 'file:///etc' })).message).toContain('file:');
  });
});

describe('headers and query parameters', () => {
  it("keeps the template's query parameters: a caller's of the same name are dropped, an empty template value leaves the caller's", () => {
    const req = renderRequest({ baseUrl: 'https://api.example.com', path: '/v9/projects', query: { teamId: '${connection.team}', slug: '${connection.slug}' }, caller: { query: new URLSearchParams('teamId=other&slug=mine&limit=5') } }, ctx({ connection: { team: 'team_A', slug: '' } }));
    expect([...req.url.searchParams]).toEqual([['teamId', 'team_A'], ['slug', 'mine'], ['limit', '5']]);
  });

  it('drops headers and parameters that render empty, keeps the others', () => {
    const req = renderRequest({
      baseUrl: 'https://api.example.test',
      path: '/x',
      headers: { 'X-Org': '${connection.org}', 'X-Fixed': 'yes', 'X-Gone': '' },
      query: { teamId: '${connection.team}', 'api-version': '2024-10-21', empty: '' },
    }, ctx({ connection: { team: 'team_1' } }));
    expect(req.headers).toEqual({ 'X-Fixed': 'yes' });
    expect(req.url.search).toBe('?teamId=team_1&api-version=2024-10-21');
  });

  it('renders number and boolean connection values', () => {
    const req = renderRequest({ baseUrl: 'https://api.example.test', query: { n: '${connection.n}', b: '${connection.b}' } }, ctx({ connection: { n: 7, b: false } }));
    expect(req.url.search).toBe('?n=7&b=false');
  });

  it('refuses a value with a line break in a header without showing it', () => {
    const err = caught(() => renderRequest({ baseUrl: 'https://api.example.test', auth: { type: 'bearer', token: '${secret.token}' } }, ctx({ secret: { token: `${SECRET}\r\nX-Evil: 1` } })));
    expect(err.message).toContain('${secret.token}');
    expect(shown(err)).not.toContain(SECRET);
  });

  it('finds no credential on Object.prototype', () => {
    const err = caught(() => renderRequest({ baseUrl: 'https://api.example.test', auth: { type: 'bearer', token: '${secret.toString}' } }, ctx()));
    expect(err.code).toBe('SIL_AUTH_MISSING_SECRET');
  });

  it('an auth header replaces one of the same name in another case', () => {
    const req = renderRequest({ baseUrl: 'https://api.example.test', headers: { authorization: 'Bearer old' }, auth: { type: 'bearer', token: '${secret.token}' } }, ctx());
    expect(req.headers).toEqual({ Authorization: `Bearer ${SECRET}` });
  });

  it('${model} without a model is an error naming the placeholder', () => {
    const err = caught(() => url({ path: '/deployments/${model}/chat' }));
    expect(err.code).toBe('SIL_INTERNAL');
    expect(err.message).toBe('path: no value for ${model} here');
  });

  it('renders ${key.id} (rotation recipes)', () => {
    expect(url({ path: '/keys/${key.id}' }, ctx({ keyId: 'kid_42' }))).toBe('https://api.example.test/keys/kid_42');
  });
});

describe('template bodies', () => {
  it('escapes values inside a JSON body and a form body', () => {
    const c = ctx({ connection: { name: 'a "quoted" & odd=value' } });
    const json = renderRequest({ baseUrl: 'https://api.example.test', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"${connection.name}"}' }, c);
    expect(JSON.parse(json.body as string)).toEqual({ name: 'a "quoted" & odd=value' });
    const form = renderRequest({ baseUrl: 'https://api.example.test', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=${connection.name}&x=1' }, c);
    expect(Object.fromEntries(new URLSearchParams(form.body as string))).toEqual({ name: 'a "quoted" & odd=value', x: '1' });
  });

  it('sends bytes as they are, placeholders and all', () => {
    const bytes = new TextEncoder().encode('{"text":"${secret.token}"}');
    const req = renderRequest({ baseUrl: 'https://api.example.test', method: 'POST', body: bytes }, ctx());
    expect(req.body).toBe(bytes);
  });
});

const base = (over: Partial<RequestParts> = {}): RequestParts => ({ method: 'POST', url: new URL('https://api.example.test/x?a=1'), headers: { 'X-Keep': '1' }, ...over });

describe('body auth', () => {
  const scheme: AuthScheme = { type: 'body', fields: { api_key: '${secret.token}', org: '${connection.org}' } };

  it('merges into a form body, replacing a field of the same name', () => {
    const req = applyAuth(scheme, base({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'event=signup&api_key=callers&org=x' }), ctx());
    expect(req.body).toBe(`event=signup&api_key=${SECRET}`);
    expect(req.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
  });

  it('merges into an empty form body', () => {
    expect(applyAuth(scheme, base({ headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), ctx({ connection: { org: 'o 1' } })).body).toBe(`api_key=${SECRET}&org=o+1`);
  });

  it('merges into a JSON object, bytes included, and writes a JSON body when there is none', () => {
    const bytes = new TextEncoder().encode('{"events":[{"e":1}]}');
    const req = applyAuth(scheme, base({ headers: { 'Content-Type': 'application/json' }, body: bytes }), ctx());
    expect(JSON.parse(req.body as string)).toEqual({ events: [{ e: 1 }], api_key: SECRET });
    const none = applyAuth(scheme, base(), ctx());
    expect(none.headers).toEqual({ 'X-Keep': '1', 'Content-Type': 'application/json' });
    expect(JSON.parse(none.body as string)).toEqual({ api_key: SECRET });
  });

  it('a field named __proto__ is a field', () => {
    const req = applyAuth({ type: 'body', fields: JSON.parse('{"__proto__":"${secret.token}"}') as Record<string, string> }, base({ headers: { 'Content-Type': 'application/json' }, body: '{}' }), ctx());
    expect(req.body).toBe(`{"__proto__":"${SECRET}"}`);
  });

  it.each([
    ['multipart/form-data; boundary=x', '--x\r\n', /multipart body is not closed/],
    ['multipart/form-data', '--x\r\n', /has no boundary/],
    ['text/plain', 'hello', /text\/plain/],
    ['application/json', '[1,2]', /an array, not an object/],
    ['application/json', '{oops', /not valid JSON/],
    [undefined, 'plain text', /no Content-Type.*not JSON/],
  ])('refuses a %s body with SIL_AUTH_UNSUPPORTED', (type, body, message) => {
    const err = caught(() => applyAuth(scheme, base({ headers: type ? { 'Content-Type': type } : {}, body }), ctx()));
    expect(err.code).toBe('SIL_AUTH_UNSUPPORTED');
    expect(err.message).toMatch(message);
    expect(shown(err)).not.toContain(SECRET);
  });

  it('refuses a GET request', () => {
    expect(caught(() => applyAuth(scheme, base({ method: 'GET' }), ctx())).message).toMatch(/GET request carries no body/);
  });
});

describe('applyAuth', () => {
  it('never changes its input', () => {
    const schemes: AuthScheme[] = [
      { type: 'none' },
      { type: 'bearer', token: '${secret.token}' },
      { type: 'header', headers: { 'X-Keep': '', 'X-Key': '${secret.token}' } },
      { type: 'authorization', scheme: 'ApiKey', credentials: '${secret.token}' },
      { type: 'basic', username: 'u', password: '${secret.token}' },
      { type: 'query', params: { key: '${secret.token}', a: '' } },
      { type: 'body', fields: { key: '${secret.token}' } },
      { type: 'path' },
    ];
    for (const scheme of schemes) {
      const input = base({ headers: { 'X-Keep': '1', 'Content-Type': 'application/json' }, body: '{"a":1}' });
      const snapshot = { method: input.method, url: input.url.href, headers: { ...input.headers }, body: input.body };
      const out = applyAuth(scheme, input, ctx());
      expect(out, scheme.type).not.toBe(input);
      expect(out.url, scheme.type).not.toBe(input.url);
      expect({ method: input.method, url: input.url.href, headers: input.headers, body: input.body }, scheme.type).toEqual(snapshot);
    }
  });

  it('path and none return the request as it was', () => {
    const input = base({ body: 'x' });
    for (const type of ['path', 'none'] as const) {
      const out = applyAuth({ type }, input, ctx());
      expect({ ...out, url: out.url.href }).toEqual({ ...input, url: input.url.href });
    }
  });

  it('header: an empty value removes the header; query: an empty value removes the parameter', () => {
    const h = applyAuth({ type: 'header', headers: { 'x-keep': '${connection.unset}', 'X-Key': '${secret.token}' } }, base(), ctx());
    expect(h.headers).toEqual({ 'X-Key': SECRET });
    const q = applyAuth({ type: 'query', params: { a: '${connection.unset}', key: '${secret.token}' } }, base(), ctx());
    expect(q.url.search).toBe(`?key=${SECRET}`);
  });

  it('basic: base64 of UTF-8, and a colon in the username is refused', () => {
    const req = applyAuth({ type: 'basic', username: 'ü', password: '' }, base(), ctx());
    expect(req.headers.Authorization).toBe(`Basic ${Buffer.from('ü:').toString('base64')}`);
    const err = caught(() => applyAuth({ type: 'basic', username: '${secret.token}', password: '' }, base(), ctx({ secret: { token: `a:${SECRET}` } })));
    expect(shown(err)).not.toContain(SECRET);
  });

  it('bearer and authorization refuse credentials that render empty', () => {
    const empty = ctx({ secret: { token: '' } });
    expect(caught(() => applyAuth({ type: 'bearer', token: '${secret.token}' }, base(), empty)).code).toBe('SIL_AUTH_MISSING_SECRET');
    expect(caught(() => applyAuth({ type: 'authorization', scheme: 'AccessKey', credentials: '${secret.token}' }, base(), empty)).code).toBe('SIL_AUTH_MISSING_SECRET');
  });

  it.each(LATER_SCHEMES)('%s is refused by the synchronous applyAuth, which points at prepareAuth', (type) => {
    const err = caught(() => applyAuth({ type } as AuthScheme, base(), ctx()));
    expect(err.code).toBe('SIL_AUTH_UNSUPPORTED');
    expect(err.status).toBe(501);
    expect(err.message).toContain(`"${type}"`);
    expect(err.message).toContain('prepareAuth');
  });

  it('an unknown scheme gives SIL_AUTH_UNSUPPORTED too', () => {
    expect(caught(() => applyAuth({ type: 'kerberos' } as unknown as AuthScheme, base(), ctx())).message).toMatch(/unknown auth scheme "kerberos"/);
    expect(caught(() => applyAuth({ type: 'constructor' } as unknown as AuthScheme, base(), ctx())).code).toBe('SIL_AUTH_UNSUPPORTED');
  });
});
