// prepareAuth over the whole catalog: every auth scheme of every template (template auth, auth
// options, service auth) is applied to a request with made-up credentials, the token endpoints
// answered by a stub. Plus the dispatch rules: static schemes give what applyAuth gives,
// unknown ones are refused, invalidation and obtainToken only concern token schemes.
import { describe, it, expect, beforeAll } from 'vitest';
import { exportPKCS8, generateKeyPair } from 'jose';
import type { AuthScheme, ProviderTemplate } from '../../../schemas/types.gen.ts';
import { loadCatalog } from '../../../server/config/catalog.ts';
import { ALL_SCHEMES, createAuthDeps, invalidateAuth, obtainToken, prepareAuth, renderRequestWithAuth, type FetchLike, type TokenAuthContext } from '../../../server/auth-schemes/async-registry.ts';
import { applyAuth } from '../../../server/auth-schemes/registry.ts';
import { renderRequest } from '../../../server/auth-schemes/render-request.ts';
import type { RequestParts } from '../../../server/auth-schemes/types.ts';
import { SilError } from '../../../server/errors.ts';

const { catalog } = loadCatalog();
let serviceAccountKey: string;

beforeAll(async () => {
  const pem = await exportPKCS8((await generateKeyPair('RS256', { extractable: true })).privateKey);
  serviceAccountKey = JSON.stringify({ type: 'service_account', client_email: 'x@p.iam.gserviceaccount.com', private_key: pem });
});

/** A token endpoint stub: every token request gets a token; nothing leaves the process. */
const tokenUrls: string[] = [];
const stubFetch: FetchLike = async (url) => {
  tokenUrls.push(url.href);
  return new Response(JSON.stringify({ access_token: `stub-${tokenUrls.length}`, expires_in: 3600 }), { status: 200, headers: { 'content-type': 'application/json' } });
};

function sampleValue(name: string, field: { default?: unknown; example?: unknown; enum?: unknown[] }): string | number | boolean {
  if (field.default !== undefined) return field.default as string | number | boolean;
  if (field.enum?.length) return field.enum[0] as string | number;
  if (field.example !== undefined) return field.example as string | number | boolean;
  return `sample-${name}`;
}

function contextOf(t: ProviderTemplate & { id: string }, credentials: Record<string, unknown>): TokenAuthContext {
  const connection: Record<string, string | number | boolean> = {};
  for (const [name, field] of Object.entries(t.connection ?? {})) connection[name] = sampleValue(name, field);
  const secret: Record<string, string> = {};
  for (const name of Object.keys(credentials)) secret[name] = name === 'serviceAccountKey' ? serviceAccountKey : `secret-${name}-0123456789`;
  return { providerId: t.id, keyId: 'key-1', connection, secret, model: 'some-model', now: () => new Date() };
}

describe('prepareAuth over the catalog', () => {
  it('applies every scheme of every template, option and service', async () => {
    const deps = createAuthDeps({ fetch: stubFetch });
    const seen = new Set<string>();
    const failures: string[] = [];
    for (const t of catalog.values()) {
      const variants: { where: string; auth: AuthScheme; credentials: Record<string, unknown>; baseUrl?: string }[] = [{ where: 'auth', auth: t.auth, credentials: t.credentials ?? {} }];
      for (const [id, option] of Object.entries(t.authOptions ?? {})) variants.push({ where: `authOptions.${id}`, auth: option.auth, credentials: option.credentials ?? t.credentials ?? {} });
      for (const s of t.services) if (s.auth) variants.push({ where: `services.${s.id}.auth`, auth: s.auth, credentials: t.credentials ?? {}, baseUrl: s.baseUrl });
      for (const v of variants) {
        seen.add(v.auth.type);
        const ctx = contextOf(t, v.credentials);
        try {
          const req = await renderRequestWithAuth({ baseUrl: v.baseUrl ?? t.baseUrl, path: '/', method: 'POST', body: new TextEncoder().encode('{}'), caller: { headers: { 'content-type': 'application/json' } }, auth: v.auth }, ctx, deps);
          if (v.auth.type === 'oauth2-client-credentials' || v.auth.type === 'google-service-account') {
            if (!/^Bearer stub-\d+$/.test(req.headers.Authorization ?? '')) failures.push(`${t.id} ${v.where}: no Bearer token`);
          }
          if (v.auth.type === 'aws-sigv4' && !req.headers.Authorization?.startsWith('AWS4-HMAC-SHA256 ')) failures.push(`${t.id} ${v.where}: not signed`);
        } catch (err) {
          failures.push(`${t.id} ${v.where}: ${err instanceof SilError ? `${err.code} ${err.message}` : String(err)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect([...seen].sort()).toEqual(['authorization', 'aws-sigv4', 'basic', 'bearer', 'body', 'google-service-account', 'header', 'hmac-signature', 'oauth2-client-credentials', 'path', 'query'].sort());
    expect(tokenUrls.every((u) => u.startsWith('https://'))).toBe(true);
  });
});

describe('dispatch', () => {
  const ctx: TokenAuthContext = { connection: {}, secret: { token: 'tok', user: 'u', pass: 'p' }, now: () => new Date(0) };
  const req: RequestParts = { method: 'GET', url: new URL('https://api.example.test/v1?x=1'), headers: { Accept: 'application/json' } };
  const deps = createAuthDeps({ fetch: async () => { throw new Error('no I/O expected'); } });

  it('static schemes give exactly what applyAuth gives', async () => {
    const schemes: AuthScheme[] = [
      { type: 'none' },
      { type: 'bearer', token: '${secret.token}' },
      { type: 'basic', username: '${secret.user}', password: '${secret.pass}' },
      { type: 'query', params: { key: '${secret.token}' } },
      { type: 'header', headers: { 'X-Key': '${secret.token}' } },
    ];
    for (const s of schemes) expect(await prepareAuth(s, req, ctx, deps)).toEqual(applyAuth(s, req, ctx));
    const template = { baseUrl: 'https://api.example.test', path: '/v1/things', auth: schemes[1] };
    expect(await renderRequestWithAuth(template, ctx, deps)).toEqual(renderRequest(template, ctx));
    expect(req.headers).toEqual({ Accept: 'application/json' }); // the input is not changed
  });

  it('knows every scheme of the schema; refuses an unknown one', async () => {
    expect([...ALL_SCHEMES].sort()).toEqual(['authorization', 'aws-sigv4', 'basic', 'bearer', 'body', 'google-service-account', 'header', 'hmac-signature', 'none', 'oauth2-client-credentials', 'path', 'query']);
    await expect(prepareAuth({ type: 'kerberos' } as unknown as AuthScheme, req, ctx, deps)).rejects.toMatchObject({ code: 'SIL_AUTH_UNSUPPORTED' });
  });

  it('invalidation and obtainToken concern token schemes only', async () => {
    const bearer: AuthScheme = { type: 'bearer', token: '${secret.token}' };
    expect(invalidateAuth(bearer, await prepareAuth(bearer, req, ctx, deps), ctx, deps)).toBe(false);
    await expect(obtainToken(bearer, ctx, deps)).rejects.toMatchObject({ code: 'SIL_AUTH_UNSUPPORTED' });
  });
});
