// Catalog, bindings, policies, clients and tokens, settings, environments, status, requests and
// usage through the admin API, over real HTTP and a real config repository.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { startAdminApp, type AdminApp } from '../../helpers/admin-app.ts';
import { commitPastHook } from '../../helpers/git.ts';
import { hashToken } from '../../../server/vault/client-token.ts';

const show = (gitdir: string, path: string) => execFileSync('git', ['--git-dir', gitdir, 'show', `main:${path}`], { encoding: 'utf8' });
const subject = (gitdir: string) => execFileSync('git', ['--git-dir', gitdir, 'log', '-1', '--format=%s', 'main'], { encoding: 'utf8' }).trim();

describe('admin API resources', () => {
  let app: AdminApp;
  let base: string;
  /** A change with the current base; returns the answer and moves the base on. */
  const change = async (method: string, path: string, body: Record<string, unknown> = {}, status = 200) => {
    const res = await app.api(method, path, { base, ...body });
    expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
    base = res.body.commit;
    return res.body;
  };
  beforeAll(async () => {
    app = await startAdminApp();
    base = await app.base();
    await change('POST', '/api/providers', { provider: { id: 'openai-main', template: 'openai', environment: 'prod' } }, 201);
    await change('POST', '/api/providers', { provider: { id: 'anthropic-main', template: 'anthropic', environment: 'prod' } }, 201);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('lists the catalog and shows one template', async () => {
    const list = await app.api('GET', '/api/catalog');
    expect(list.body.templates.length).toBe(app.deps.catalog.size);
    expect(list.body.templates.find((t: { id: string }) => t.id === 'openai')).toMatchObject({ name: 'OpenAI', category: 'AI', auth: 'bearer', credentials: [{ name: 'apiKey', title: 'API key', optional: false }] });
    const ai = await app.api('GET', '/api/catalog?category=ai');
    expect(ai.body.templates.every((t: { category: string }) => t.category === 'AI')).toBe(true);
    expect((await app.api('GET', '/api/catalog/openai')).body.template.baseUrl).toBe('https://api.openai.com/v1');
    const typo = await app.api('GET', '/api/catalog/opneai');
    expect(typo.status).toBe(404);
    expect(typo.body.error.message).toContain('openai');
  });

  it('adds a custom provider from an inline definition and keys it with named credential fields', async () => {
    const definition = {
      name: 'Acme API', category: 'Custom', baseUrl: 'https://api.acme.example/v2',
      credentials: { accountId: { title: 'Account' }, token: { title: 'Token' } },
      auth: { type: 'bearer', token: '${secret.token}' },
      services: [{ id: 'api', protocol: 'http' }],
    };
    await change('POST', '/api/providers', { provider: { id: 'acme', definition, environment: 'dev' } }, 201);
    expect(subject(app.gitdir)).toBe('providers: add acme (custom)');
    const p = (await app.api('GET', '/api/providers/acme')).body;
    expect(p.provider).toMatchObject({ id: 'acme', name: 'Acme API', environment: 'dev', definition: { baseUrl: 'https://api.acme.example/v2' } });
    expect(p.summary).toMatchObject({ category: 'Custom', template: null, services: [{ id: 'api', protocol: 'http', enabled: true }] });
    const single = await app.api('POST', '/api/providers/acme/keys', { base, secret: 'just-one-value' });
    expect(single.status).toBe(400);
    expect(single.body.error.message).toContain('accountId, token');
    const missing = await app.api('POST', '/api/providers/acme/keys', { base, secret: { token: 'tok-1234567890abcdef' } });
    expect(missing.body.error).toMatchObject({ code: 'SIL_KEY_INPUT' });
    const added = await change('POST', '/api/providers/acme/keys', { secret: { accountId: 'acct-1', token: 'tok-1234567890abcdef' } }, 201);
    expect(added.key).toMatchObject({ id: 'primary', default: true });
    expect(app.deps.live.snapshot?.keyrings.get('acme')?.secretOf('primary')).toEqual({ accountId: 'acct-1', token: 'tok-1234567890abcdef' });
    await change('DELETE', '/api/providers/acme');
    expect(show(app.gitdir, 'providers/openai-main.yaml')).toContain('id: openai-main');
    expect(() => show(app.gitdir, 'secrets/acme.yaml')).toThrow();
  });

  it('creates, reads, replaces, patches and deletes a binding; an edit keeps the file\'s comments', async () => {
    await change('POST', '/api/bindings', { binding: { name: 'chat', environment: 'prod', protocol: 'openai-chat', targets: [{ provider: 'openai-main', model: 'gpt-4o' }] } }, 201);
    expect(subject(app.gitdir)).toBe('bindings: add chat');
    const got = await app.api('GET', '/api/bindings/chat');
    expect(got.body).toMatchObject({ commit: base, path: 'bindings/chat.yaml', binding: { name: 'chat', targets: [{ provider: 'openai-main' }] } });
    // A power user's comments survive API edits of other fields.
    const text = show(app.gitdir, 'bindings/chat.yaml').replace('targets:', '# the failover order matters\ntargets:');
    base = (await app.deps.writer.commit({ base, changes: { 'bindings/chat.yaml': text }, message: 'comment', author: { name: 'p', email: 'p@x' } })).commit;
    await app.deps.reload!();
    await change('PATCH', '/api/bindings/chat', { binding: { strategy: 'priority', failover: { on: ['timeout', '5xx', '429'], maxAttempts: 2 }, targets: [{ provider: 'openai-main', model: 'gpt-4o' }, { provider: 'anthropic-main', model: 'claude-sonnet-4-5' }] } });
    const file = show(app.gitdir, 'bindings/chat.yaml');
    expect(file).toContain('# the failover order matters\ntargets:');
    expect(file).toContain('- "429"');
    expect(subject(app.gitdir)).toBe('bindings: update chat');
    expect(app.deps.live.snapshot?.bindings.get('chat')?.targets.map((t) => t.provider)).toEqual(['openai-main', 'anthropic-main']);
    // Replace: order and strategy.
    await change('PUT', '/api/bindings/chat', { binding: { environment: 'prod', protocol: 'openai-chat', strategy: 'round-robin', targets: [{ provider: 'anthropic-main', model: 'claude-sonnet-4-5' }, { provider: 'openai-main', model: 'gpt-4o' }] } });
    expect((await app.api('GET', '/api/bindings')).body.bindings).toEqual([expect.objectContaining({ name: 'chat', strategy: 'round-robin', targets: [expect.objectContaining({ provider: 'anthropic-main' }), expect.objectContaining({ provider: 'openai-main' })] })]);
    expect(app.deps.live.snapshot?.bindings.get('chat')?.failover).toBeDefined();
    const rename = await app.api('PUT', '/api/bindings/chat', { base, binding: { name: 'talk', environment: 'prod', protocol: 'openai-chat', targets: [{ provider: 'openai-main' }] } });
    expect(rename.body.error.code).toBe('SIL_API_INPUT');
    await change('POST', '/api/bindings', { binding: { name: 'spare', environment: 'prod', protocol: 'openai-chat', targets: [{ provider: 'openai-main' }] } }, 201);
    await change('DELETE', '/api/bindings/spare');
    expect((await app.api('GET', '/api/bindings/spare')).status).toBe(404);
  });

  it('manages policies', async () => {
    await change('POST', '/api/policies', { policy: { name: 'ai-default', rateLimit: { requests: 60, per: 'minute' } } }, 201);
    await change('PATCH', '/api/policies/ai-default', { policy: { budget: { amount: 100, period: 'month' } } });
    expect((await app.api('GET', '/api/policies/ai-default')).body.policy).toEqual({ name: 'ai-default', rateLimit: { requests: 60, per: 'minute' }, budget: { amount: 100, period: 'month' } });
    await change('PATCH', '/api/bindings/chat', { binding: { policy: 'ai-default' } });
    const inUse = await app.api('DELETE', '/api/policies/ai-default', { base });
    expect(inUse.status).toBe(422);
    expect(inUse.body.error.details.issues[0]).toMatchObject({ file: 'bindings/chat.yaml' });
  });

  it('manages clients; a token is shown once and never again, not even its hash', async () => {
    await change('POST', '/api/clients', { client: { name: 'web', environment: 'prod', bindings: ['chat'] } }, 201);
    const issued = await change('POST', '/api/clients/web/tokens', { expiresAt: '2099-01-01T00:00:00Z' }, 201);
    expect(issued.token).toMatch(/^sil_[0-9A-Za-z]{36}$/);
    expect(issued).toMatchObject({ tokenId: 't1', hint: issued.token.slice(-4) });
    expect(subject(app.gitdir)).toBe('clients: create token web/t1');
    const file = show(app.gitdir, 'clients/web.yaml');
    expect(file).not.toContain(issued.token);
    expect(file).toContain(hashToken(issued.token));
    const answersBefore = app.answers.length;
    const got = await app.api('GET', '/api/clients/web');
    expect(got.body.client.tokens).toEqual([{ id: 't1', hint: issued.token.slice(-4), createdAt: expect.any(String), expiresAt: '2099-01-01T00:00:00Z', status: 'active' }]);
    // Edits keep the tokens; a tokens field in the body is ignored.
    await change('PATCH', '/api/clients/web', { client: { description: 'the web app', tokens: [] } });
    await change('PUT', '/api/clients/web', { client: { environment: 'prod', bindings: ['*'] } });
    expect(app.deps.live.snapshot?.clients.get('web')?.tokens?.map((t) => t.id)).toEqual(['t1']);
    const revoked = await change('DELETE', '/api/clients/web/tokens/t1');
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect((await app.api('GET', '/api/clients')).body.clients[0].tokens[0].status).toBe('revoked');
    for (const text of app.answers.slice(answersBefore)) {
      expect(text).not.toContain(issued.token.slice(4, 20));
      expect(text).not.toContain(hashToken(issued.token).slice(7, 30));
    }
    expect((await app.api('DELETE', '/api/clients/web/tokens/t9', { base })).status).toBe(404);
  });

  it('reads and edits the settings; lists environments', async () => {
    const got = await app.api('GET', '/api/settings');
    expect(got.body).toMatchObject({ path: 'sil.yaml', settings: { version: 1, environments: ['dev', 'prod'] } });
    await change('PATCH', '/api/settings', { settings: { environments: ['dev', 'staging', 'prod'], defaults: { keyRotationDays: 60 } } });
    const file = show(app.gitdir, 'sil.yaml');
    expect(file).toContain('# Hub settings. Every change to this repository is validated');
    expect(file).toContain('keyRotationDays: 60');
    expect(app.deps.live.snapshot?.settings.defaults.keyRotationDays).toBe(60);
    const envs = await app.api('GET', '/api/environments');
    expect(envs.body.environments).toEqual([
      { name: 'dev', providers: 0, bindings: 0, clients: 0 },
      { name: 'staging', providers: 0, bindings: 0, clients: 0 },
      { name: 'prod', providers: 2, bindings: 1, clients: 1 },
    ]);
    const dropProd = await app.api('PATCH', '/api/settings', { base, settings: { environments: ['dev'] } });
    expect(dropProd.status).toBe(422);
  });

  it('pages the request log and shows usage', async () => {
    for (let i = 1; i <= 3; i++) app.deps.requestLog!.add({ id: `r${i}`, at: Date.now(), client: 'web', binding: 'chat', door: 'unified', provider: 'openai-main', model: 'gpt-4o', status: 200, latencyMs: 10, attempts: 1, failoverReasons: [] });
    app.deps.usage!.record({ requestId: 'r1', at: Date.now(), client: 'web', binding: 'chat', provider: 'openai-main', model: 'gpt-4o', keyId: 'primary', status: 200, latencyMs: 10, attempts: 1, usage: { inputTokens: 5, outputTokens: 7 }, cost: 0.01 });
    const page = await app.api('GET', '/api/requests?limit=2');
    expect(page.body.requests.map((r: { id: string }) => r.id)).toEqual(['r3', 'r2']);
    const next = await app.api('GET', `/api/requests?limit=2&before=${page.body.next}`);
    expect(next.body).toEqual({ requests: [expect.objectContaining({ id: 'r1' })], next: null });
    expect((await app.api('GET', '/api/requests?limit=0')).status).toBe(400);
    expect((await app.api('GET', '/api/usage')).body.totals).toEqual([{ client: 'web', binding: 'chat', provider: 'openai-main', model: 'gpt-4o', requests: 1, inputTokens: 5, outputTokens: 7, cost: 0.01 }]);
  });

  it('shows the config status, with a rejected commit and its messages', async () => {
    const ok = await app.api('GET', '/api/status');
    expect(ok.body).toMatchObject({ commit: base, head: base, upToDate: true, rejected: null, counts: { providers: 2, bindings: 1, policies: 1, clients: 1 } });
    const bad = commitPastHook(app.gitdir, { 'bindings/broken.yaml': 'name: broken\nenvironment: prod\nprotocol: openai-chat\ntargets: [{ provider: ghost }]\n' });
    await app.deps.reload!();
    const status = await app.api('GET', '/api/status');
    expect(status.body).toMatchObject({ commit: base, head: bad, upToDate: false, rejected: { commit: bad } });
    expect(status.body.rejected.errors[0]).toMatchObject({ file: 'bindings/broken.yaml', code: 'SIL_CONFIG_REFERENCE' });
    expect(status.body.rejected.messages[0]).toMatch(/^bindings\/broken\.yaml:4:\d+: .*ghost/);
    // GETs keep showing the live commit; a change on top of the broken head is refused with its errors.
    expect((await app.api('GET', '/api/providers')).body.commit).toBe(base);
    const refused = await app.api('POST', '/api/providers/openai-main/disable', { base });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.issues.map((i: { file: string }) => i.file)).toContain('bindings/broken.yaml');
  });
});
