import { describe, expect, it } from 'vitest';
import { publicUrl } from '../../../server/inbound/public-url.ts';
import { compileAllowlist } from '../../../server/core/cidr.ts';
import { RecentHooks } from '../../../server/inbound/recent-hooks.ts';
import { hookHandlers } from '../../../server/api/admin/hook-routes.ts';
import type { AdminDeps } from '../../../server/api/admin/context.ts';

const trusted = compileAllowlist(['127.0.0.1/32']);

describe('publicUrl (the URL Twilio signed)', () => {
  it('believes X-Forwarded-Proto/Host only from a trusted proxy', () => {
    const base = { rawUrl: '/hooks/twilio?a=1', host: '10.0.0.5:8080', forwardedProto: 'https', forwardedHost: 'hub.example.test', trusted, encrypted: false };
    expect(publicUrl({ ...base, peer: '127.0.0.1' })).toBe('https://hub.example.test/hooks/twilio?a=1');
    expect(publicUrl({ ...base, peer: '203.0.113.9' })).toBe('http://10.0.0.5:8080/hooks/twilio?a=1');
  });
});

describe('GET /api/hooks/recent handler', () => {
  it('lists newest first, filtered and limited, with the limit checked', async () => {
    const recent = new RecentHooks(3);
    for (let i = 0; i < 5; i++) recent.add({ at: i, provider: i % 2 ? 'a' : 'b', scheme: 'hmac', verdict: 'accepted' });
    const h = hookHandlers({ inboundHooks: recent } as unknown as AdminDeps)['hooks.recent'];
    const call = (query: Record<string, string>) => h({ params: {}, query, body: {}, base: async () => '' } as never);
    expect((await call({})).body).toEqual({ hooks: [expect.objectContaining({ at: 4 }), expect.objectContaining({ at: 3 }), expect.objectContaining({ at: 2 })] });
    expect(((await call({ provider: 'a', limit: '1' })).body as { hooks: unknown[] }).hooks).toEqual([expect.objectContaining({ at: 3 })]);
    await expect(call({ limit: '0' })).rejects.toThrow(/limit/);
  });
});
