// The history API over a real config repository: commits with files and signature status,
// per-file diffs, revert as a new validated commit, 409 on a stale base or a clashing later
// change, 422 when the revert would not validate. The secret added never shows up.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { commitPastHook, gitRun } from '../../helpers/git.ts';
import { startAdminApi, OWNER, type AdminApi } from '../../helpers/admin-api.ts';
import { CHAT_BINDING, OPENAI_MAIN } from '../../helpers/config-files.ts';
import { changeKeys } from '../../../server/vault/key-ops.ts';
import { addKey } from '../../../server/vault/keyring.ts';
import { parseSecretInput } from '../../../server/vault/secret-input.ts';

const KEY = `sk-proj-${'H'.repeat(40)}hist`;

describe('history API', () => {
  let api: AdminApi;
  const ids: Record<string, string> = {};
  const head = () => gitRun(api.gitdir, ['rev-parse', 'refs/heads/main']);
  const show = (rev: string) => gitRun(api.gitdir, ['show', rev]);
  const write = async (changes: Record<string, string | null>, message: string) =>
    (await api.deps.writer.commit({ base: head(), changes, message, author: OWNER })).commit;

  beforeAll(async () => {
    api = await startAdminApi();
    ids.init = head();
    ids.add = await write({ 'providers/openai-main.yaml': OPENAI_MAIN, 'bindings/chat.yaml': CHAT_BINDING }, 'providers: add openai-main, bindings: add chat');
    ids.attempts = await write({ 'bindings/chat.yaml': CHAT_BINDING.replace('maxAttempts: 2', 'maxAttempts: 3') }, 'bindings: chat tries 3 times');
    const r = await changeKeys(api.deps.vault, 'openai-main', (k, kctx, state) => addKey(k, kctx, { secret: parseSecretInput(KEY, state.definition).secret }));
    ids.key = r!.commit;
  });
  afterAll(() => api.stop());

  it('lists first-parent commits newest first, with author, message, signature status and files', async () => {
    const r = await api.call('GET', '/api/history');
    expect(r.status).toBe(200);
    expect(r.json.head).toBe(ids.key);
    expect(r.json.commits.map((c: { id: string }) => c.id)).toEqual([ids.key, ids.attempts, ids.add, ids.init]);
    const add = r.json.commits[2];
    expect(add).toMatchObject({
      parents: [ids.init],
      author: { name: OWNER.name, email: OWNER.email, timezone: '+0000' },
      subject: 'providers: add openai-main, bindings: add chat',
      signature: { status: 'good', signer: 'sil-hub' },
      counts: { added: 2, modified: 0, deleted: 0 },
      files: [{ path: 'bindings/chat.yaml', status: 'A' }, { path: 'providers/openai-main.yaml', status: 'A' }],
    });
    expect(add.author.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(r.json.commits[0].files).toEqual([{ path: 'secrets/openai-main.yaml', status: 'A' }]);
    expect(r.json.commits[3].counts.added).toBeGreaterThan(2);
    expect(r.json.next).toBeNull();
  });

  it('reports a commit pushed without a signature as unsigned', async () => {
    const pushed = commitPastHook(api.gitdir, { 'README.md': '# notes\n' }, 'docs: notes');
    const r = await api.call('GET', '/api/history?limit=2');
    expect(r.json.commits[0]).toMatchObject({ id: pushed, subject: 'docs: notes', signature: { status: 'unsigned' }, files: [{ path: 'README.md', status: 'M' }] });
    expect(r.json.commits[1].signature).toEqual({ status: 'good', signer: 'sil-hub' });
    ids.pushed = pushed;
  });

  it('pages with limit and before', async () => {
    const order = [ids.pushed, ids.key, ids.attempts, ids.add, ids.init];
    const pages: string[][] = [];
    let next: string | null = null;
    do {
      const r = await api.call('GET', `/api/history?limit=2${next ? `&before=${next}` : ''}`);
      pages.push(r.json.commits.map((c: { id: string }) => c.id));
      next = r.json.next;
    } while (next);
    expect(pages).toEqual([order.slice(0, 2), order.slice(2, 4), order.slice(4)]);
    expect((await api.call('GET', '/api/history?limit=0')).json.error.code).toBe('SIL_API_INPUT');
    expect((await api.call('GET', `/api/history?before=${'0'.repeat(40)}`)).status).toBe(404);
  });

  it('shows one commit with per-file unified diffs; secrets only as ciphertext', async () => {
    const r = await api.call('GET', `/api/history/${ids.attempts}`);
    expect(r.status).toBe(200);
    expect(r.json.files).toHaveLength(1);
    expect(r.json.files[0]).toMatchObject({ path: 'bindings/chat.yaml', status: 'M' });
    expect(r.json.files[0].diff).toContain('-  maxAttempts: 2\n+  maxAttempts: 3\n');
    const key = await api.call('GET', `/api/history/${ids.key}`);
    expect(key.json.subject).toBe('keys: add openai-main/primary');
    expect(key.json.files[0].diff).toMatch(/\+ +apiKey: ENC\[AES256_GCM,/);
    expect(key.json.files[0].diff).toMatch(/\+ +status: "active"/);
    expect(key.text).not.toContain(KEY);
  });

  it('refuses ids that are not full commit ids, and commits not in main', async () => {
    for (const bad of ['HEAD', 'main~1', ids.add.slice(0, 7), `${ids.add.slice(0, 39)}G`]) {
      const r = await api.call('GET', `/api/history/${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
      expect(r.json.error.code).toBe('SIL_HISTORY_COMMIT_ID');
    }
    const missing = await api.call('GET', `/api/history/${'0'.repeat(40)}`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('SIL_GIT_NOT_FOUND');
  });

  it('reverts a commit with a new commit "revert: <subject>"', async () => {
    const before = head();
    const r = await api.call('POST', `/api/history/${ids.attempts}/revert`, { base: before });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ parent: before, reverted: ids.attempts, subject: 'revert: bindings: chat tries 3 times', files: [{ path: 'bindings/chat.yaml', status: 'M' }] });
    expect(head()).toBe(r.json.commit);
    expect(gitRun(api.gitdir, ['log', '-1', '--format=%s%n%b%n%an <%ae>'])).toBe(`revert: bindings: chat tries 3 times\nThis reverts commit ${ids.attempts}.\n\n${OWNER.name} <${OWNER.email}>`);
    expect(gitRun(api.gitdir, ['show', 'main:bindings/chat.yaml'])).toBe(CHAT_BINDING.trim());
    ids.revert = r.json.commit;
    const again = await api.call('POST', `/api/history/${ids.attempts}/revert`, { base: head() });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'SIL_HISTORY_REVERT', message: expect.stringMatching(/nothing to revert/) });
  });

  it('answers 409 when a file the revert touches changed since base, and changes nothing', async () => {
    const stale = head();
    await write({ 'bindings/chat.yaml': CHAT_BINDING.replace('model: gpt-4o', 'model: gpt-4o-mini') }, 'bindings: chat uses mini');
    const now = head();
    const r = await api.call('POST', `/api/history/${ids.revert}/revert`, { base: stale });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('SIL_GIT_CONFLICT');
    expect(r.json.error.details.files).toEqual(['bindings/chat.yaml']);
    expect(head()).toBe(now);
  });

  it('merges an undo into a file changed later, and refuses when the later change clashes', async () => {
    // ids.revert set maxAttempts back to 2; the model changed since, on another line: merges.
    const merged = await api.call('POST', `/api/history/${ids.revert}/revert`, { base: head() });
    expect(merged.status, merged.text).toBe(201);
    const text = gitRun(api.gitdir, ['show', 'main:bindings/chat.yaml']);
    expect(text).toContain('maxAttempts: 3');
    expect(text).toContain('model: gpt-4o-mini');
    await write({ 'bindings/chat.yaml': text.replace('maxAttempts: 3', 'maxAttempts: 4') + '\n' }, 'bindings: chat tries 4 times');
    const now = head();
    const clash = await api.call('POST', `/api/history/${merged.json.commit}/revert`, { base: now });
    expect(clash.status).toBe(409);
    expect(clash.json.error).toMatchObject({ code: 'SIL_GIT_CONFLICT', details: { files: ['bindings/chat.yaml'] } });
    expect(head()).toBe(now);
  });

  it('answers 422 with the validator\'s messages when the revert would not validate', async () => {
    const backup = await write({ 'providers/openai-backup.yaml': OPENAI_MAIN.replaceAll('openai-main', 'openai-backup') }, 'providers: add openai-backup');
    await write({ 'bindings/backup.yaml': CHAT_BINDING.replace('name: chat', 'name: backup').replace('provider: openai-main', 'provider: openai-backup') }, 'bindings: add backup');
    const now = head();
    // Undoing the provider's creation would leave the binding that targets it pointing at nothing.
    const r = await api.call('POST', `/api/history/${backup}/revert`, { base: now });
    expect(r.status, r.text).toBe(422);
    expect(r.json.error.code).toBe('SIL_CONFIG_INVALID');
    expect(r.json.error.details.issues.length).toBeGreaterThan(0);
    expect(r.json.error.details.issues).toContainEqual(expect.objectContaining({ file: 'bindings/backup.yaml', line: expect.any(Number), code: 'SIL_CONFIG_REFERENCE', message: expect.stringContaining('openai-backup'), hint: expect.any(String) }));
    expect(head()).toBe(now);
  });

  it('refuses to revert the first commit, and a base that is not a commit of main', async () => {
    const first = await api.call('POST', `/api/history/${ids.init}/revert`, { base: head() });
    expect(first.status).toBe(409);
    expect(first.json.error.message).toMatch(/first commit/);
    const noBase = await api.call('POST', `/api/history/${ids.add}/revert`, {});
    expect([noBase.status, noBase.json.error.code]).toEqual([428, 'SIL_BASE_REQUIRED']);
    const badBase = await api.call('POST', `/api/history/${ids.add}/revert`, { base: 'main' });
    expect([badBase.status, badBase.json.error.code]).toEqual([400, 'SIL_BASE_INVALID']);
    const unknownBase = await api.call('POST', `/api/history/${ids.add}/revert`, { base: '1'.repeat(40) });
    expect([unknownBase.status, unknownBase.json.error.code]).toEqual([404, 'SIL_GIT_NOT_FOUND']);
    const notJson = await api.call('POST', `/api/history/${ids.add}/revert`, 'base=x', { 'content-type': 'text/plain' });
    expect(notJson.json.error.code).toBe('SIL_BODY_MEDIA_TYPE');
    // If-Match carries the base as well.
    const viaHeader = await api.call('POST', `/api/history/${ids.init}/revert`, undefined, { 'if-match': `"${head()}"` });
    expect(viaHeader.json.error.code).toBe('SIL_HISTORY_REVERT');
  });

  it('never puts the secret into an answer or the log', async () => {
    const all = await api.call('GET', '/api/history?limit=200');
    expect(all.text).not.toContain(KEY);
    expect(api.logs.join('\n')).not.toContain(KEY);
    expect(show(ids.key)).not.toContain(KEY);
  });
});

describe('history API with an injected signature check', () => {
  it('reports what signatureOf says for each commit', async () => {
    const api = await startAdminApi({ signatureOf: async (commit) => ({ commit, status: 'good', signer: 'owner@example.test' }) });
    try {
      const r = await api.call('GET', '/api/history');
      expect(r.json.commits[0].signature).toEqual({ status: 'good', signer: 'owner@example.test' });
    } finally {
      await api.stop();
    }
  });
});
