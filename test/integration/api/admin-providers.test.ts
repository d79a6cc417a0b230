// The whole lifecycle of a provider through the admin API only, over real HTTP and a real
// config repository: every step one commit (checked with native git), and no answer ever
// holds a secret.
import { spawnSync } from 'node:child_process';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startAdminApp, type AdminApp } from '../../helpers/admin-app.ts';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** An OpenAI-looking key: `sk-` and 37 random letters and digits (40 characters). */
const randomKey = () => `sk-${[...randomBytes(37)].map((b) => ALNUM[b % ALNUM.length]).join('')}`;

function gitLog(gitdir: string): { id: string; author: string; subject: string }[] {
  const out = execFileSync('git', ['--git-dir', gitdir, 'log', '--format=%H%x09%an%x09%s', 'main'], { encoding: 'utf8' });
  return out.trim().split('\n').map((l) => {
    const [id, author, subject] = l.split('\t');
    return { id, author, subject };
  });
}

/** No 6-character run of the secret appears in the text (the last 4 may, in masks). */
function leaks(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 6 <= secret.length; i++) if (text.includes(secret.slice(i, i + 6))) found.push(secret.slice(i, i + 6));
  return found;
}

describe('admin API: a provider\'s whole lifecycle', () => {
  let app: AdminApp;
  beforeAll(async () => {
    app = await startAdminApp();
  });
  afterAll(async () => {
    await app.stop();
  });

  it('adds, edits, switches, keys through every lifecycle step and deletes, one commit per step, never showing a secret', async () => {
    const key1 = randomKey();
    const key2 = randomKey();
    const commits: string[] = [];
    let base = (await app.api('GET', '/api/providers')).body.commit as string;
    expect(base).toMatch(/^[0-9a-f]{40}$/);

    /** One change: expects the status, records the commit, and makes it the next base. */
    const step = async (method: string, path: string, body: Record<string, unknown> = {}, status = 200) => {
      const res = await app.api(method, path, { base, ...body });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
      expect(res.body.commit).not.toBe(base);
      expect(res.body.live).toBe(true);
      base = res.body.commit;
      commits.push(base);
      return res.body;
    };
    const provider = async () => (await app.api('GET', '/api/providers/openai-main')).body;
    const keys = async () => (await app.api('GET', '/api/providers/openai-main/keys')).body.keys as { id: string; status: string; default: boolean; mask: string; fingerprint: string }[];

    // Add from the catalog template.
    const added = await step('POST', '/api/providers', { provider: { id: 'openai-main', template: 'openai', environment: 'prod' } }, 201);
    expect(added.path).toBe('providers/openai-main.yaml');
    let p = await provider();
    expect(p.commit).toBe(base);
    expect(p.provider).toMatchObject({ id: 'openai-main', template: 'openai', name: 'OpenAI', environment: 'prod', enabled: true });
    expect(p.summary).toMatchObject({ status: 'error', category: 'AI', keys: { total: 0, active: 0 } });
    expect(p.summary.problems.join(' ')).toContain('no active key');

    // Edit the connection.
    await step('PATCH', '/api/providers/openai-main', { provider: { connection: { baseUrl: 'https://gateway.example.test/v1', organization: 'org-Abc123' } } });
    expect((await provider()).provider.connection).toEqual({ baseUrl: 'https://gateway.example.test/v1', organization: 'org-Abc123' });

    // Disable, enable.
    await step('POST', '/api/providers/openai-main/disable');
    expect((await provider()).summary.status).toBe('disabled');
    expect(app.deps.live.snapshot?.providers.get('openai-main')?.enabled).toBe(false);
    await step('POST', '/api/providers/openai-main/enable');
    expect((await provider()).provider.enabled).toBe(true);

    // One service off, then on again.
    await step('PUT', '/api/providers/openai-main/services/embeddings', { enabled: false });
    p = await provider();
    expect(p.provider.services).toEqual({ embeddings: { enabled: false } });
    expect(p.summary.services.find((s: { id: string }) => s.id === 'embeddings').enabled).toBe(false);
    expect(app.deps.live.snapshot?.providers.get('openai-main')?.services.find((s) => s.id === 'embeddings')?.enabled).toBe(false);
    await step('PUT', '/api/providers/openai-main/services/embeddings', { enabled: true });
    expect((await provider()).provider.services).toBeUndefined();

    // Add a key: metadata only in the answer.
    const add = await step('POST', '/api/providers/openai-main/keys', { secret: key1, label: 'prod key' }, 201);
    expect(add.key).toMatchObject({ id: 'primary', status: 'active', default: true, label: 'prod key', mask: `••••${key1.slice(-4)}` });
    expect(add.key.fingerprint).toMatch(new RegExp(`^sha256:[0-9a-f]{12}\\.\\.\\.${key1.slice(-4)}$`));
    expect(app.deps.live.snapshot?.keyrings.get('openai-main')?.secretOf('primary')).toEqual({ apiKey: key1 });
    expect((await provider()).summary.status).toBe('enabled');

    // Rotate: the new key goes live as the default, the old one retires.
    const rotated = await step('POST', '/api/providers/openai-main/keys/primary/rotate', { secret: key2, graceDays: 3 });
    expect(rotated.key).toMatchObject({ id: 'primary-2', status: 'active', default: true, replaces: 'primary', mask: `••••${key2.slice(-4)}` });
    expect((await keys()).map((k) => [k.id, k.status, k.default])).toEqual([['primary', 'retiring', false], ['primary-2', 'active', true]]);

    // Suspend and activate the old key, make it the default again.
    await step('POST', '/api/providers/openai-main/keys/primary/suspend');
    expect((await keys())[0].status).toBe('suspended');
    await step('POST', '/api/providers/openai-main/keys/primary/activate');
    await step('POST', '/api/providers/openai-main/keys/primary/default');
    expect((await keys()).map((k) => [k.id, k.status, k.default])).toEqual([['primary', 'active', true], ['primary-2', 'active', false]]);

    // Revoke the new key (its secret leaves the vault), delete it.
    await step('POST', '/api/providers/openai-main/keys/primary-2/revoke');
    expect(app.deps.live.snapshot?.keyrings.get('openai-main')?.secretOf('primary-2')).toBeUndefined();
    await step('DELETE', '/api/providers/openai-main/keys/primary-2');
    expect((await keys()).map((k) => k.id)).toEqual(['primary']);

    // Every read answer, while the keys exist.
    for (const path of ['/api/providers', '/api/providers/openai-main', '/api/providers/openai-main/keys', '/api/status', '/api/environments', '/api/settings']) {
      expect((await app.api('GET', path)).status).toBe(200);
    }

    // Delete the provider (and its keys).
    await step('DELETE', '/api/providers/openai-main');
    expect((await app.api('GET', '/api/providers/openai-main')).status).toBe(404);
    expect((await app.api('GET', '/api/providers')).body.providers).toEqual([]);

    // One commit per step, in order, by the owner, with messages that say what was done.
    const log = gitLog(app.gitdir).slice(0, commits.length);
    expect(log.map((c) => c.id)).toEqual([...commits].reverse());
    expect(new Set(log.map((c) => c.author))).toEqual(new Set(['Test Owner']));
    // Each step is signed by the hub's key, and stock git accepts the signature.
    for (const id of commits) {
      const verified = spawnSync('git', ['--git-dir', app.gitdir, '-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${app.signersFile}`, 'verify-commit', id], { encoding: 'utf8' });
      expect(verified.status, `${id}: ${verified.stderr}`).toBe(0);
      expect(verified.stderr).toMatch(/Good "git" signature/);
    }
    expect(log.map((c) => c.subject).reverse()).toEqual([
      'providers: add openai-main (openai)',
      'providers: edit openai-main',
      'providers: disable openai-main',
      'providers: enable openai-main',
      'providers: service openai-main/embeddings off',
      'providers: service openai-main/embeddings on',
      'keys: add openai-main/primary',
      expect.stringMatching(/^keys: rotate openai-main\/primary -> primary-2 \(primary retires \d{4}-/),
      'keys: suspend openai-main/primary',
      'keys: activate openai-main/primary',
      'keys: default openai-main/primary',
      'keys: revoke openai-main/primary-2',
      'keys: delete openai-main/primary-2',
      'providers: delete openai-main (and its 1 key)',
    ]);

    // The secrets never appeared in any answer (only their last 4 characters, in masks).
    expect(app.answers.length).toBeGreaterThan(30);
    for (const text of app.answers) {
      expect(leaks(text, key1)).toEqual([]);
      expect(leaks(text, key2)).toEqual([]);
    }
    // Nor in the server log.
    const logText = app.logs.join('\n');
    expect(app.logs.length).toBeGreaterThan(5);
    expect(leaks(logText, key1)).toEqual([]);
    expect(leaks(logText, key2)).toEqual([]);
  });
});
