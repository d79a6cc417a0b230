import { describe, it, expect, beforeEach, afterEach, afterAll } from 'vitest';
import { join } from 'node:path';
import { parse } from 'yaml';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { SilError } from '../../../server/errors.ts';
import { createToken, revokeToken, listTokens } from '../../../server/vault/client-tokens-ops.ts';
import { checkTokenFormat, findClientByToken, hashToken } from '../../../server/vault/client-token.ts';
import type { Client } from '../../../schemas/types.gen.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { gitRun, gitTry } from '../../helpers/git.ts';
import { sil } from '../../helpers/cli.ts';
import { MINIMAL } from '../../helpers/config-files.ts';

const author = { name: 'Owner', email: 'owner@example.test' };
const T0 = new Date('2026-03-01T10:00:00.000Z');
const T1 = new Date('2026-03-02T11:30:00.000Z');

describe('client token operations', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bare: string;
  let writer: GitWriter;
  const head = () => gitRun(bare, ['rev-parse', 'refs/heads/main']);
  const show = (path: string, rev = 'main') => gitRun(bare, ['show', `${rev}:${path}`]);
  const clientAt = (name: string, rev = 'main') => parse(show(`clients/${name}.yaml`, rev)) as Client;
  /** Whether a string occurs in any file of any revision, or in any commit message. */
  const inRepo = (s: string) => {
    const revs = gitRun(bare, ['rev-list', '--all']).split('\n');
    const grep = gitTry(bare, ['grep', '-F', '-e', s, ...revs]);
    expect(grep.status, grep.output).not.toBe(128);
    return grep.status === 0 || gitRun(bare, ['log', '--all', '--format=%B']).includes(s);
  };
  const ops = { get writer() { return writer; }, get gitdir() { return bare; }, author };

  beforeEach(async () => {
    tmp = tempDir('sil-tokens-');
    bare = (await initDataDir(join(tmp.path, 'data'))).paths.gitdir;
    writer = new GitWriter({ gitdir: bare, catalog: projectCatalog().catalog });
  });
  afterEach(() => tmp.cleanup());

  const withMinimal = () => writer.commit({ base: null, changes: MINIMAL, message: 'minimal config', author });

  it('creates the client file with a hashed token; the plaintext is nowhere in the repository', async () => {
    const before = head();
    const r = await createToken({ ...ops, client: 'web', now: T0 });
    expect(checkTokenFormat(r.token)).toEqual({ ok: true });
    expect(r).toMatchObject({ tokenId: 't1', createdClient: true, environment: 'prod', bindings: [], addedBindings: [], path: 'clients/web.yaml', hint: r.token.slice(-4) });
    expect(head()).toBe(r.commit);
    expect(gitRun(bare, ['rev-parse', `${r.commit}^`])).toBe(before);
    expect(gitRun(bare, ['log', '-1', '--format=%an <%ae>|%s'])).toBe('Owner <owner@example.test>|clients: create token web/t1');

    const text = show('clients/web.yaml');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../.sil/schemas/client.schema.json');
    expect(text).toContain('createdAt: "2026-03-01T10:00:00.000Z"');
    expect(clientAt('web')).toEqual({
      name: 'web',
      environment: 'prod',
      bindings: [],
      tokens: [{ id: 't1', hash: hashToken(r.token), hint: r.token.slice(-4), createdAt: T0.toISOString() }],
    });
    expect(inRepo(r.token)).toBe(false);
    expect(inRepo(r.token.slice(4, 34))).toBe(false);
    // The check itself works: the stored hash is found.
    expect(inRepo(hashToken(r.token).slice(7))).toBe(true);
    expect(gitRun(bare, ['fsck', '--no-dangling'])).toBe('');
  });

  it('adds a second token, then revokes the first: one commit each, comments and order kept', async () => {
    await withMinimal();
    await writer.commit({
      base: null,
      changes: { 'clients/web.yaml': '# The storefront.\nname: web\nenvironment: prod # live\ndescription: shop front end\nbindings: [chat] # only chat\n' },
      message: 'web client',
      author,
    });
    const first = await createToken({ ...ops, client: 'web', now: T0 });
    const second = await createToken({ ...ops, client: 'web', now: T1 });
    expect([first.tokenId, second.tokenId, second.createdClient]).toEqual(['t1', 't2', false]);
    expect(second.token).not.toBe(first.token);

    const text = show('clients/web.yaml');
    expect(text.startsWith('# The storefront.\nname: web\nenvironment: prod # live\ndescription: shop front end\nbindings: [chat] # only chat\ntokens:\n  - id: t1\n')).toBe(true);

    const revoked = await revokeToken({ ...ops, client: 'web', tokenId: 't1', now: T1 });
    expect(revoked).toMatchObject({ commit: head(), revokedAt: T1.toISOString() });
    expect(gitRun(bare, ['log', '-3', '--format=%s'])).toBe('clients: revoke token web/t1\nclients: create token web/t2\nclients: create token web/t1');

    const web = clientAt('web');
    expect(web.tokens).toEqual([
      { id: 't1', hash: hashToken(first.token), hint: first.hint, createdAt: T0.toISOString(), revokedAt: T1.toISOString() },
      { id: 't2', hash: hashToken(second.token), hint: second.hint, createdAt: T1.toISOString() },
    ]);
    const clients = new Map([['web', web]]);
    expect(findClientByToken(first.token, clients, T1)).toBeNull();
    expect(findClientByToken(second.token, clients, T1)).toMatchObject({ tokenId: 't2', client: { name: 'web' } });
    expect(inRepo(first.token) || inRepo(second.token)).toBe(false);

    // Revoking again writes nothing.
    const tip = head();
    expect(await revokeToken({ ...ops, client: 'web', tokenId: 't1', now: new Date() })).toEqual({ path: 'clients/web.yaml', commit: null, revokedAt: T1.toISOString() });
    expect(head()).toBe(tip);

    const listing = await listTokens({ gitdir: bare, client: 'web', now: T1 });
    expect(listing.tokens.map((t) => [t.id, t.status])).toEqual([['t1', 'revoked'], ['t2', 'active']]);
  });

  it('allows bindings with --binding, refusing one that does not exist and leaving the branch unchanged', async () => {
    await withMinimal();
    const r = await createToken({ ...ops, client: 'web', bindings: ['chat'], now: T0 });
    expect(r).toMatchObject({ bindings: ['chat'], addedBindings: ['chat'] });
    expect(show('clients/web.yaml')).toContain('bindings: [chat]\n');

    const before = head();
    const err = await createToken({ ...ops, client: 'web', bindings: ['chat', 'nope'], now: T1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SilError);
    expect(err).toMatchObject({ code: 'SIL_CONFIG_INVALID', message: 'token web/t2 refused, nothing was written: 1 error' });
    expect(((err as SilError).details as { issues: unknown[] }).issues).toEqual([expect.objectContaining({ file: 'clients/web.yaml', code: 'SIL_CONFIG_REFERENCE', message: 'binding "nope" does not exist' })]);
    expect(head()).toBe(before);

    // A new client does not come into existence either.
    const again = await createToken({ ...ops, client: 'api', bindings: ['nope'], now: T1 }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'SIL_CONFIG_INVALID' });
    expect(gitTry(bare, ['cat-file', '-e', 'main:clients/api.yaml']).status).not.toBe(0);
    expect(head()).toBe(before);
  });

  it('refuses a binding of another environment, and an environment that does not match the client', async () => {
    await withMinimal();
    const before = head();
    const err = await createToken({ ...ops, client: 'dev-app', environment: 'dev', bindings: ['chat'], now: T0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SIL_CONFIG_INVALID', details: { issues: [expect.objectContaining({ message: expect.stringMatching(/binding "chat" is in environment "prod", this client is in "dev"/) })] } });
    expect(head()).toBe(before);

    await createToken({ ...ops, client: 'dev-app', environment: 'dev', now: T0 });
    expect(clientAt('dev-app')).toMatchObject({ environment: 'dev', bindings: [] });
    await expect(createToken({ ...ops, client: 'dev-app', environment: 'prod', now: T0 })).rejects.toMatchObject({ code: 'SIL_CONFIG_ENVIRONMENT' });
  });

  it('reports unknown clients, unknown tokens and invalid names', async () => {
    await expect(revokeToken({ ...ops, client: 'ghost', tokenId: 't1', now: T0 })).rejects.toMatchObject({ code: 'SIL_CLIENT_NOT_FOUND', status: 404 });
    await createToken({ ...ops, client: 'web', now: T0 });
    await expect(revokeToken({ ...ops, client: 'web', tokenId: 't7', now: T0 })).rejects.toMatchObject({ code: 'SIL_CLIENT_TOKEN_NOT_FOUND', message: expect.stringContaining('its tokens: t1') });
    await expect(createToken({ ...ops, client: '../sil', now: T0 })).rejects.toMatchObject({ code: 'SIL_CLIENT_NAME' });
    await expect(listTokens({ gitdir: bare, client: 'ghost', now: T0 })).rejects.toMatchObject({ code: 'SIL_CLIENT_NOT_FOUND' });
  });

  it('edits a client written as JSON in place, as JSON', async () => {
    await writer.commit({ base: null, changes: { 'clients/svc.json': JSON.stringify({ name: 'svc', environment: 'prod', tokens: [] }) }, message: 'svc', author });
    const r = await createToken({ ...ops, client: 'svc', now: T0 });
    expect(r.path).toBe('clients/svc.json');
    expect(JSON.parse(show('clients/svc.json'))).toEqual({ name: 'svc', environment: 'prod', tokens: [{ id: 't1', hash: hashToken(r.token), hint: r.hint, createdAt: T0.toISOString() }], bindings: [] });
    expect(gitTry(bare, ['cat-file', '-e', 'main:clients/svc.yaml']).status).not.toBe(0);
  });

  it('numbers tokens after the highest tN, never reusing an id', async () => {
    await writer.commit({
      base: null,
      changes: { 'clients/web.yaml': `name: web\nenvironment: prod\ntokens:\n  - id: t4\n    hash: ${hashToken('x')}\n    createdAt: "2026-01-01T00:00:00Z"\n  - id: legacy\n    hash: ${hashToken('y')}\n    createdAt: "2026-01-01T00:00:00Z"\n` },
      message: 'web',
      author,
    });
    expect((await createToken({ ...ops, client: 'web', now: T0 })).tokenId).toBe('t5');
  });
});

describe('sil tokens (command line)', () => {
  const tmp = tempDir('sil-tokens-cli-');
  afterAll(() => tmp.cleanup());

  it('creates a token shown once, which `sil tokens check` accepts and a mutation fails', async () => {
    const data = join(tmp.path, 'data');
    const bare = (await initDataDir(data)).paths.gitdir;
    await new GitWriter({ gitdir: bare, catalog: projectCatalog().catalog }).commit({ base: null, changes: MINIMAL, message: 'minimal config', author });

    const created = sil(['tokens', 'create', 'web', '--binding', 'chat', '--data', data], { env: { SIL_AUTHOR_NAME: 'Ops Bot', SIL_AUTHOR_EMAIL: 'ops@example.test' } });
    expect(created.status, created.stderr).toBe(0);
    const tokens: string[] = created.stdout.match(/^sil_\S+$/gm) ?? [];
    expect(tokens).toHaveLength(1);
    const [token] = tokens;
    expect(created.stdout).toMatch(/created client web \(environment prod\)/);
    expect(created.stdout).toMatch(/allowed bindings: chat/);
    expect(created.stdout).toMatch(/will not be shown again/);
    expect(created.stdout.split(token)).toHaveLength(2);
    expect(gitRun(bare, ['log', '-1', '--format=%an <%ae>|%s'])).toBe('Ops Bot <ops@example.test>|clients: create token web/t1');

    const ok = sil(['tokens', 'check', token]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^valid/);
    expect(sil(['tokens', 'check', '-'], { input: `${token}\n` }).status).toBe(0);
    const mutated = token.slice(0, 20) + (token[20] === 'x' ? 'y' : 'x') + token.slice(21);
    const bad = sil(['tokens', 'check', mutated]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/not a sil token: checksum mismatch/);
    expect(bad.stdout).not.toContain(mutated);

    const second = sil(['tokens', 'create', 'web', '--data', data]);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).not.toMatch(/created client/);
    const revoked = sil(['tokens', 'revoke', 'web', 't1', '--data', data]);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/^revoked web\/t1 at /);
    const listed = sil(['tokens', 'list', 'web', '--data', data]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^web \(clients\/web\.yaml\): environment prod, enabled, bindings: chat$/m);
    expect(listed.stdout).toMatch(new RegExp(`^t1 +…${token.slice(-4)} +\\S+ +- +\\S+ +revoked$`, 'm'));
    expect(listed.stdout).toMatch(/^t2 +…\S{4} +\S+ +- +- +active$/m);
    expect(listed.stdout).not.toContain('sha256:');
  });

  it('explains refusals, and exits 2 on usage errors', async () => {
    const data = join(tmp.path, 'data2');
    await initDataDir(data);
    const refused = sil(['tokens', 'create', 'web', '--binding', 'nope', '--data', data]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^sil: token web\/t1 refused, nothing was written: 1 error \[SIL_CONFIG_INVALID\]\nclients\/web\.yaml:\d+:\d+: binding "nope" does not exist \[SIL_CONFIG_REFERENCE\] hint: /);
    expect(refused.stdout).not.toMatch(/sil_/);

    const help = sil(['tokens', 'create', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sil tokens create <client>/);
    for (const args of [['tokens'], ['tokens', 'frob'], ['tokens', 'revoke', 'web'], ['tokens', 'check', 'a', 'b'], ['tokens', 'list', 'web', '--binding', 'x'], ['tokens', 'create', 'web', '--bogus']]) {
      const r = sil(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/\[SIL_USAGE\]/);
    }
    const missing = sil(['tokens', 'list', 'web', '--data', join(tmp.path, 'none')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no config repository .*\[SIL_DATA_DIR\]/);
  });
});
