// The prepared (cached) request of header-only auth schemes must send exactly what rendering the
// whole request each time sends: same URL, same headers, caller parts never rendered.
import { describe, it, expect } from 'vitest';
import { canPrepare, completeRequest, preparedRequest } from '../../../server/proxy/prepared-request.ts';
import { renderRequest } from '../../../server/auth-schemes/render-request.ts';
import type { CompiledService } from '../../../server/config/snapshot.ts';
import type { AuthScheme } from '../../../schemas/types.gen.ts';

function service(auth: AuthScheme, over: Partial<CompiledService> = {}): CompiledService {
  return {
    id: 'chat', protocol: 'openai-chat', enabled: true, baseUrl: 'https://api.example.test/v1', path: '/chat/completions', auth,
    headers: { 'x-org': '${connection.org}', 'x-empty': '' }, query: { 'api-version': '2024-10-21' }, retrySafe: false,
    models: new Map(), ...over,
  };
}
const ctx = (secret: Record<string, string>, model = 'gpt-4o') => ({ connection: { org: 'acme' }, secret, model, keyId: 'primary', now: () => new Date(0) });

describe('prepared requests', () => {
  const bearer = service({ type: 'bearer', token: '${secret.apiKey}' } as AuthScheme);

  it('equal what renderRequest makes, caller headers and path included', () => {
    const caller = { path: '/sub%20dir/x', query: 'a=1&b=two', headers: { accept: 'text/plain', 'x-org': 'caller-value', 'x-empty': 'kept?' } };
    const c = ctx({ apiKey: 'sk-one' });
    const fast = completeRequest(preparedRequest(bearer, bearer.path, c), 'POST', caller, 'body');
    const slow = renderRequest({ baseUrl: bearer.baseUrl, path: bearer.path, method: 'POST', headers: bearer.headers, query: bearer.query, auth: bearer.auth, body: new Uint8Array(), caller: { path: caller.path, query: new URLSearchParams(caller.query), headers: caller.headers } }, c);
    expect(fast.origin + fast.path).toBe(slow.url.href);
    expect(fast.headers).toEqual(slow.headers);
    expect(fast.headers.Authorization).toBe('Bearer sk-one');
    expect(fast.headers['x-org']).toBe('acme');
    expect(fast.headers).not.toHaveProperty('x-empty');
  });

  it('are kept apart per key secret and per model', () => {
    const one = preparedRequest(bearer, '/chat/completions', ctx({ apiKey: 'sk-one' }));
    const two = preparedRequest(bearer, '/chat/completions', ctx({ apiKey: 'sk-two' }));
    expect(one.headers.Authorization).toBe('Bearer sk-one');
    expect(two.headers.Authorization).toBe('Bearer sk-two');
    const azure = service({ type: 'header', headers: { 'api-key': '${secret.apiKey}' } } as AuthScheme, { path: '/deployments/${model}/chat/completions' });
    const secret = { apiKey: 'k' };
    expect(preparedRequest(azure, azure.path, ctx(secret, 'gpt-4o')).pathname).toBe('/v1/deployments/gpt-4o/chat/completions');
    expect(preparedRequest(azure, azure.path, ctx(secret, 'o3')).pathname).toBe('/v1/deployments/o3/chat/completions');
  });

  it('reuse the rendered parts for the same key and model', () => {
    const secret = { apiKey: 'sk-same' };
    expect(preparedRequest(bearer, '/chat/completions', ctx(secret))).toBe(preparedRequest(bearer, '/chat/completions', ctx(secret)));
  });

  it('are only used for schemes that add nothing but headers', () => {
    expect(canPrepare(bearer)).toBe(true);
    for (const type of ['query', 'path', 'body', 'aws-sigv4', 'hmac-signature', 'oauth2-client-credentials', 'google-service-account']) {
      expect(canPrepare(service({ type } as AuthScheme))).toBe(false);
    }
  });

  it('never render caller text as a template', () => {
    const c = ctx({ apiKey: 'sk-secret-value' });
    const req = completeRequest(preparedRequest(bearer, bearer.path, c), 'GET', { path: '/${secret.apiKey}', query: 'q=${secret.apiKey}', headers: { 'x-probe': '${secret.apiKey}' } }, undefined);
    expect(req.path).not.toContain('sk-secret-value');
    expect(req.headers['x-probe']).toBe('${secret.apiKey}');
  });
});
