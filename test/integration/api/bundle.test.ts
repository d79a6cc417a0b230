// Export and import over real config repositories: secrets leave only encrypted (or not at
// all), an export imports into a second hub as the same files, an import with errors changes
// nothing and lists every error, preview shows diffs without committing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { parse } from 'yaml';
import { gitRun } from '../../helpers/git.ts';
import { startAdminApi, OWNER, type AdminApi } from '../../helpers/admin-api.ts';
import { CHAT_BINDING, OPENAI_MAIN } from '../../helpers/config-files.ts';
import { changeKeys } from '../../../server/vault/key-ops.ts';
import { addKey } from '../../../server/vault/keyring.ts';
import { parseSecretInput } from '../../../server/vault/secret-input.ts';
import { changeRecipients } from '../../../server/vault/recipients.ts';

const KEY = `sk-proj-${'B'.repeat(40)}bndl`;
const head = (api: AdminApi) => gitRun(api.gitdir, ['rev-parse', 'refs/heads/main']);
const SECRETS = 'secrets/openai-main.yaml';

describe('export and import', () => {
  let a: AdminApi;
  let b: AdminApi;

  beforeAll(async () => {
    [a, b] = await Promise.all([startAdminApi(), startAdminApi()]);
    await a.deps.writer.commit({ base: head(a), changes: { 'providers/openai-main.yaml': OPENAI_MAIN, 'bindings/chat.yaml': CHAT_BINDING }, message: 'add openai-main and chat', author: OWNER });
    await changeKeys(a.deps.vault, 'openai-main', (k, kctx, state) => addKey(k, kctx, { secret: parseSecretInput(KEY, state.definition).secret }));
  });
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  it('exports YAML as an attachment: config files only, secrets as SOPS ciphertext', async () => {
    const r = await a.call('GET', '/api/export');
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="sil-config-${head(a).slice(0, 7)}.yaml"`);
    expect(r.headers.get('content-type')).toMatch(/^application\/yaml/);
    const bundle = parse(r.text);
    expect(bundle).toMatchObject({ sil: 1, commit: head(a), secrets: 'encrypted' });
    expect(Object.keys(bundle.files).sort()).toEqual(['bindings/chat.yaml', 'providers/openai-main.yaml', SECRETS, 'sil.yaml']);
    expect(bundle.files['bindings/chat.yaml']).toBe(CHAT_BINDING);
    expect(bundle.files[SECRETS]).toBe(gitRun(a.gitdir, ['show', `main:${SECRETS}`]) + '\n');
    expect(r.text).toContain('ENC[AES256_GCM');
    expect(r.text).not.toContain(KEY);
    expect(a.logs.join('\n')).toMatch(/export: 4 file\(s\)/);
  });

  it('exports JSON, a selection, or without secrets', async () => {
    const json = await a.call('GET', '/api/export?format=json&secrets=omit');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(json.json.files)).not.toContain(SECRETS);
    expect(json.json.include).not.toContain('secrets');
    expect(json.text).not.toContain('ENC[');
    const some = await a.call('GET', '/api/export?format=json&include=bindings,secrets');
    expect(Object.keys(some.json.files).sort()).toEqual(['bindings/chat.yaml', SECRETS]);
    expect(some.text).not.toContain(KEY);
    for (const q of ['format=xml', 'secrets=plain', 'include=keys', `commit=${'0'.repeat(40)}`, 'commit=HEAD']) {
      const bad = await a.call('GET', `/api/export?${q}`);
      expect(bad.status, q).toBeGreaterThanOrEqual(400);
      expect(['SIL_API_INPUT', 'SIL_GIT_NOT_FOUND', 'SIL_HISTORY_COMMIT_ID'], q).toContain(bad.json.error.code);
    }
  });

  it('refuses secrets another hub cannot open, then round-trips into it once it is a recipient', async () => {
    const before = head(b);
    const first = await a.call('GET', '/api/export');
    const refused = await b.call('POST', `/api/import?base=${before}`, first.text, { 'content-type': 'application/yaml' });
    expect(refused.status).toBe(422);
    expect(refused.json.error.details.issues).toEqual([expect.objectContaining({ file: SECRETS, message: expect.stringMatching(/^this hub cannot open the file/) })]);
    expect(head(b)).toBe(before);

    await changeRecipients(a.deps.vault, { add: [b.deps.vault.hub.recipient] });
    const exported = await a.call('GET', '/api/export');
    const preview = await b.call('POST', `/api/import/preview?base=${before}`, exported.text, { 'content-type': 'application/yaml' });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json).toMatchObject({ base: before, valid: true, errors: [], summary: { added: 3, changed: 1, removed: 0 } });
    expect(preview.json.files.find((f: { path: string }) => f.path === 'bindings/chat.yaml').diff).toContain('+name: chat');
    expect(preview.text).not.toContain(KEY);
    expect(head(b)).toBe(before);

    const r = await b.call('POST', `/api/import?base=${before}`, exported.text, { 'content-type': 'application/yaml' });
    expect(r.status, r.text).toBe(201);
    expect(r.json.files).toHaveLength(4);
    expect(head(b)).toBe(r.json.commit);
    expect(gitRun(b.gitdir, ['log', '-1', '--format=%s'])).toBe('import: 4 files');
    const back = await b.call('GET', '/api/export?format=json');
    expect(back.json.files).toEqual(parse(exported.text).files);
    const noBase = await b.call('POST', '/api/import', back.text, { 'content-type': 'application/json' });
    expect([noBase.status, noBase.json.error.code]).toEqual([428, 'SIL_BASE_REQUIRED']);
    const again = await b.call('POST', '/api/import', back.text, { 'content-type': 'application/json', 'if-match': head(b) });
    expect(again.json).toMatchObject({ changed: false, files: [] });
    expect(b.logs.join('\n')).not.toContain(KEY);
  });

  it('an import with three different errors changes nothing and lists all three', async () => {
    const before = head(a);
    const bundle = {
      sil: 1,
      files: {
        '../../etc/cron.d/x.yaml': 'a: 1\n',
        'secrets/openai-main.yaml': `keys:\n  - id: primary\n    status: active\n    secret:\n      apiKey: ${KEY}\n`,
        'bindings/other.yaml': CHAT_BINDING.replace('name: chat', 'name: other').replace('provider: openai-main', 'provider: nowhere'),
      },
    };
    const r = await a.call('POST', `/api/import?base=${before}`, bundle);
    expect(r.status, r.text).toBe(422);
    expect(r.json.error.code).toBe('SIL_CONFIG_INVALID');
    expect(r.json.error.message).toMatch(/3 error\(s\); nothing was imported/);
    const issues = r.json.error.details.issues as { file: string; code: string; message: string; hint: string; line?: number }[];
    expect(issues.map((i) => i.code).sort()).toEqual(['SIL_BUNDLE_PATH', 'SIL_BUNDLE_PLAINTEXT_SECRET', 'SIL_CONFIG_REFERENCE']);
    expect(issues.find((i) => i.code === 'SIL_CONFIG_REFERENCE')).toMatchObject({ file: 'bindings/other.yaml', line: expect.any(Number) });
    for (const i of issues) expect(i.hint.length).toBeGreaterThan(5);
    expect(r.text).not.toContain(KEY);
    expect(a.logs.join('\n')).not.toContain(KEY);
    expect(head(a)).toBe(before);

    // The preview lists the same errors; a file that holds a key in clear gets no diff.
    const leak = OPENAI_MAIN.replaceAll('openai-main', 'leak').replace('enabled: true', `enabled: true\nlabels:\n  key: ${KEY}`);
    const preview = await a.call('POST', '/api/import/preview', { ...bundle, files: { ...bundle.files, 'providers/leak.yaml': leak } });
    expect(preview.status).toBe(200);
    expect(preview.json.valid).toBe(false);
    expect(preview.json.errors.map((i: { code: string }) => i.code)).toEqual(expect.arrayContaining(['SIL_BUNDLE_PATH', 'SIL_BUNDLE_PLAINTEXT_SECRET', 'SIL_CONFIG_REFERENCE', 'SIL_CONFIG_UNKNOWN_FIELD']));
    const leaked = preview.json.files.find((f: { path: string }) => f.path === 'providers/leak.yaml');
    expect(leaked.change).toBe('added');
    expect(leaked.diff).toContain('+  # [redacted: looks like a key in clear]\n');
    expect(leaked.diff).toContain('+id: leak\n');
    expect(preview.text).not.toContain(KEY);
    expect(head(a)).toBe(before);
  });

  it('replace: the sections the bundle covers become exactly its files', async () => {
    const before = head(a);
    const other = CHAT_BINDING.replace('name: chat', 'name: other');
    const bundle = { sil: 1, include: ['bindings'], files: { 'bindings/other.json': parse(other) } };
    const preview = await a.call('POST', '/api/import/preview?mode=replace', bundle);
    expect(preview.json.files.map((f: { path: string; change: string }) => `${f.change} ${f.path}`)).toEqual(['removed bindings/chat.yaml', 'added bindings/other.json']);
    expect(preview.json.valid).toBe(true);
    expect(head(a)).toBe(before);
    const r = await a.call('POST', `/api/import?mode=replace&base=${before}`, bundle);
    expect(r.status, r.text).toBe(201);
    expect(gitRun(a.gitdir, ['ls-tree', '--name-only', 'main', 'bindings/'])).toBe('bindings/other.json');
    expect(gitRun(a.gitdir, ['ls-tree', '--name-only', 'main', 'providers/'])).toBe('providers/openai-main.yaml');
    expect(gitRun(a.gitdir, ['log', '-1', '--format=%B'])).toBe('import: 2 files\n\nD bindings/chat.yaml\nA bindings/other.json');
    const stale = await a.call('POST', `/api/import?mode=replace&base=${before}`, bundle);
    expect(stale.status).toBe(409);
  });

  it('answers 400 for a body that is not a bundle and 413 past 10 MiB', async () => {
    const notBundle = await a.call('POST', `/api/import?base=${head(a)}`, 'hello: world\n', { 'content-type': 'application/yaml' });
    expect(notBundle.status).toBe(400);
    expect(notBundle.json.error.code).toBe('SIL_BUNDLE_FORMAT');
    const big = await a.call('POST', '/api/import/preview', `sil: 1\nfiles:\n  sil.yaml: "${'x'.repeat(11 * 1024 * 1024)}"\n`, { 'content-type': 'application/yaml' }).catch((err: Error) => ({ status: 0, json: undefined, error: err }));
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('SIL_BUNDLE_TOO_LARGE');
    expect((await a.call('POST', '/api/import?mode=upsert', { sil: 1, files: {} })).json.error.code).toBe('SIL_API_INPUT');
  });
});
