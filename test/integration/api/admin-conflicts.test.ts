// The base/409 protocol, validation (422 with the validator's messages) and request errors of
// the admin API, over real HTTP and a real config repository.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { startAdminApp, type AdminApp } from '../../helpers/admin-app.ts';

const OPENAI = { id: 'openai-main', template: 'openai', environment: 'prod' };
const CHAT = { name: 'chat', environment: 'prod', protocol: 'openai-chat', targets: [{ provider: 'openai-main', model: 'gpt-4o' }] };

const show = (gitdir: string, rev: string) => execFileSync('git', ['--git-dir', gitdir, 'show', rev], { encoding: 'utf8' });

describe('admin API: bases, conflicts and validation', () => {
  let app: AdminApp;
  let b0: string;
  let b1: string;
  beforeAll(async () => {
    app = await startAdminApp();
    b0 = await app.base();
    const res = await app.api('POST', '/api/providers', { base: b0, provider: OPENAI });
    expect(res.status, res.text).toBe(201);
    b1 = res.body.commit;
  });
  afterAll(async () => {
    await app.stop();
  });

  it('answers 409 with the conflicting files when a touched file changed since the base', async () => {
    const edit = await app.api('PATCH', '/api/providers/openai-main', { base: b1, provider: { name: 'OpenAI (main)' } });
    expect(edit.status, edit.text).toBe(200);
    const stale = await app.api('PATCH', '/api/providers/openai-main', { base: b1, provider: { description: 'stale edit' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'SIL_GIT_CONFLICT', details: { base: b1, head: edit.body.commit, files: ['providers/openai-main.yaml'] } });
    expect(stale.body.error.hint).toBeTruthy();
    expect((await app.api('GET', '/api/providers/openai-main')).body.provider.description).toBeUndefined();
    // A stale key change conflicts the same way.
    const k = await app.api('POST', '/api/providers/openai-main/keys', { base: edit.body.commit, secret: `sk-${'a'.repeat(37)}` });
    expect(k.status, k.text).toBe(201);
    const k2 = await app.api('POST', '/api/providers/openai-main/keys', { base: edit.body.commit, secret: `sk-${'b'.repeat(37)}` });
    expect(k2.status).toBe(409);
    expect(k2.body.error.details.files).toEqual(['secrets/openai-main.yaml']);
  });

  it('lets a stale base through when the files it touches did not change', async () => {
    const res = await app.api('POST', '/api/bindings', { base: b1, binding: CHAT });
    expect(res.status, res.text).toBe(201);
    expect(show(app.gitdir, `${res.body.commit}:bindings/chat.yaml`)).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.sil\/schemas\/binding\.schema\.json\nname: chat\n/);
  });

  it('takes the base from If-Match or ?base=, and requires one', async () => {
    const base = await app.base();
    const none = await app.api('POST', '/api/providers/openai-main/disable', {});
    expect(none.status).toBe(428);
    expect(none.body.error.code).toBe('SIL_BASE_REQUIRED');
    const byHeader = await app.api('POST', '/api/providers/openai-main/disable', {}, { 'If-Match': `"${base}"` });
    expect(byHeader.status, byHeader.text).toBe(200);
    const get = await app.api('GET', '/api/providers/openai-main');
    expect(get.headers.get('etag')).toBe(`"${byHeader.body.commit}"`);
    const byQuery = await app.api('POST', `/api/providers/openai-main/enable?base=${byHeader.body.commit}`);
    expect(byQuery.status, byQuery.text).toBe(200);
    const again = await app.api('POST', `/api/providers/openai-main/enable?base=${byQuery.body.commit}`);
    expect(again.body).toMatchObject({ commit: byQuery.body.commit, unchanged: true });
    expect((await app.api('POST', '/api/providers/openai-main/enable', { base: 'HEAD' })).body.error.code).toBe('SIL_BASE_INVALID');
    expect((await app.api('POST', '/api/providers/openai-main/enable', { base: '0'.repeat(40) })).body.error.code).toBe('SIL_BASE_INVALID');
  });

  it('answers 422 with every validator issue for an invalid binding, and writes nothing', async () => {
    const base = await app.base();
    const res = await app.api('POST', '/api/bindings', { base, binding: { ...CHAT, name: 'bad', targets: [{ provider: 'nope' }, { provider: 'openai-main', model: 'gpt-4o' }], strategy: 'fastest' } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('SIL_CONFIG_INVALID');
    const issues = res.body.error.details.issues as { file: string; line: number; column: number; message: string; code: string; hint: string }[];
    expect(issues.length).toBeGreaterThanOrEqual(1);
    for (const i of issues) {
      expect(Object.keys(i).sort()).toEqual(['code', 'column', 'file', 'hint', 'line', 'message']);
      expect(i.file).toBe('bindings/bad.yaml');
      expect(i.line).toBeGreaterThan(1);
    }
    expect(res.body.error.message).toMatch(/^"bindings: add bad" refused, nothing was written: bindings\/bad\.yaml:\d+:\d+: /);
    expect(await app.base()).toBe(base);
  });

  it('refuses to delete a provider a binding uses, with the validator\'s message', async () => {
    const base = await app.base();
    const res = await app.api('DELETE', '/api/providers/openai-main', { base });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('bindings/chat.yaml');
    expect(res.body.error.message).toContain('openai-main');
    expect((await app.api('GET', '/api/providers/openai-main')).status).toBe(200);
  });

  it('refuses ids that are not file names, unknown fields and bad bodies, without echoing them', async () => {
    const base = await app.base();
    expect((await app.api('GET', '/api/providers/..%2F..%2Fsil')).body.error.code).toBe('SIL_API_ID');
    const dots = await app.api('POST', '/api/providers', { base, provider: { ...OPENAI, id: '../../sil' } });
    expect(dots.status).toBe(400);
    expect(dots.body.error.code).toBe('SIL_API_ID');
    const unknown = await app.api('POST', '/api/providers', { base, provider: OPENAI, extra: 1 });
    expect(unknown.body.error).toMatchObject({ code: 'SIL_API_INPUT' });
    const exists = await app.api('POST', '/api/providers', { base, provider: OPENAI });
    expect(exists.status).toBe(409);
    expect(exists.body.error.code).toBe('SIL_API_EXISTS');
    const secretish = `{"base": "${base}", "secret": "sk-SECRETVALUE123456789`;
    const bad = await app.api('POST', '/api/providers/openai-main/keys', secretish);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('SIL_BODY_INVALID');
    expect(bad.text).not.toContain('SECRETVALUE');
    const text = await app.api('POST', '/api/providers/openai-main/enable', 'base=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const big = await app.api('POST', '/api/providers/openai-main/enable', { base, pad: 'x'.repeat(1024 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('SIL_BODY_TOO_LARGE');
    expect((await app.api('GET', '/api/providers/nope')).status).toBe(404);
    const noRoute = await app.api('GET', '/api/providers/openai-main/keys/primary/nope');
    expect(noRoute.status).toBe(404);
    expect(noRoute.body.error.code).toBe('SIL_NOT_FOUND');
    const wrong = await app.api('PUT', '/api/providers');
    expect(wrong.status).toBe(405);
    expect(wrong.body.error.code).toBe('SIL_METHOD_NOT_ALLOWED');
    expect(wrong.headers.get('allow')).toContain('GET');
    const service = await app.api('PUT', '/api/providers/openai-main/services/video', { base, enabled: false });
    expect(service.status).toBe(404);
    expect(service.body.error.hint).toContain('chat');
  });
});
