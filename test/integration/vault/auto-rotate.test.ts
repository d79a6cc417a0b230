// Automatic rotation end to end on a real config repository, against a mock provider on
// 127.0.0.1 that mints and revokes keys: `sil keys rotate --auto` has the provider create the new
// key (with the old one) and stores it as the default; after the grace period the old key is
// revoked at the provider (with the new one), then in the file. No secret ever reaches git.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { loadHubIdentity, type HubIdentity } from '../../../server/vault/identity.ts';
import { openSecrets } from '../../../server/vault/secrets-file.ts';
import { autoRotate, revokeRetiredWithRecipe } from '../../../server/vault/auto-rotate.ts';
import type { VaultContext } from '../../../server/vault/key-ops.ts';
import type { ProviderKey } from '../../../schemas/types.gen.ts';
import { SilError } from '../../../server/errors.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { gitRun } from '../../helpers/git.ts';
import { silAsync } from '../../helpers/cli-async.ts';
import { startMockKeyProvider, type MockKeyProvider } from '../../helpers/mock-key-provider.ts';
import { mockProviderFile as providerFile } from '../../helpers/mock-key-provider-config.ts';

const author = { name: 'Owner', email: 'owner@example.test' };
const DAY = 86_400_000;

describe('automatic key rotation with a recipe', () => {
  const tmp = tempDir('sil-auto-rotate-');
  const data = join(tmp.path, 'data');
  let bare: string;
  let mock: MockKeyProvider;
  let hub: HubIdentity;
  let ctx: VaultContext;
  const keys = (args: string[], input = '') => silAsync(['keys', ...args, '--data', data], { input, env: { SIL_AUTHOR_NAME: 'Owner', SIL_AUTHOR_EMAIL: 'owner@example.test' } });
  const head = () => gitRun(bare, ['rev-parse', 'refs/heads/main']);
  const keyring = async (provider = 'mock-keys'): Promise<ProviderKey[]> => (await openSecrets(gitRun(bare, ['show', `main:secrets/${provider}.yaml`]), hub.identities)).keyring.keys;
  const byId = async (id: string) => (await keyring()).find((k) => k.id === id) as ProviderKey;

  beforeAll(async () => {
    mock = await startMockKeyProvider();
    bare = (await initDataDir(data)).paths.gitdir;
    const catalog = projectCatalog().catalog;
    const writer = new GitWriter({ gitdir: bare, catalog });
    await writer.commit({
      base: null,
      changes: {
        'providers/mock-keys.yaml': providerFile('mock-keys', `${mock.url}/v1`, true),
        'providers/manual-keys.yaml': providerFile('manual-keys', `${mock.url}/v1`, false),
      },
      message: 'mock providers',
      author,
    });
    hub = await loadHubIdentity(join(data, 'keys', 'age.key'));
    ctx = { gitdir: bare, writer, catalog, hub, author, now: () => new Date() };
  });
  afterAll(async () => {
    await mock.close();
    tmp.cleanup();
  });

  it('stores the seeded key with its provider id', async () => {
    const r = await keys(['add', 'mock-keys', '--label', 'seed', '--provider-key-id', mock.seed.id], mock.seed.secret);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{7} keys: add mock-keys\/primary$/m);
    expect(await byId('primary')).toMatchObject({ status: 'active', default: true, providerKeyId: mock.seed.id, secret: { apiKey: mock.seed.secret } });
  });

  it('rotate --auto: the provider mints the new key with the old one; it is the default, the old one retires', async () => {
    const before = head();
    const sent = mock.requests.length;
    const r = await keys(['rotate', 'mock-keys', '--auto', '--grace-days', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^[0-9a-f]{7} keys: rotate mock-keys\/primary -> primary-2 \(automatic, primary retires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/);
    expect(gitRun(bare, ['rev-list', '--count', `${before}..main`])).toBe('1');
    expect(gitRun(bare, ['log', '-1', '--format=%an <%ae>'])).toBe('Owner <owner@example.test>');
    expect(mock.requests.slice(sent)).toEqual([{ method: 'POST', path: '/v1/keys', keyId: mock.seed.id }]);

    const minted = mock.liveKeys().find((k) => k.id !== mock.seed.id);
    expect(minted).toBeDefined();
    const fresh = await byId('primary-2');
    expect(fresh).toMatchObject({ status: 'active', default: true, replaces: 'primary', providerKeyId: minted?.id, label: 'seed', secret: { apiKey: minted?.secret } });
    const old = await byId('primary');
    expect(old).toMatchObject({ status: 'retiring', secret: { apiKey: mock.seed.secret } });
    expect(old.default).toBeUndefined();
    expect(Date.parse(old.retireAt as string) - Date.now()).toBeGreaterThan(DAY - 120_000);

    // Both keys work during the grace period.
    expect(await mock.modelsStatus(fresh.secret?.apiKey as string)).toBe(200);
    expect(await mock.modelsStatus(mock.seed.secret)).toBe(200);
  });

  it('after the grace period the old key is revoked at the provider (with the new key), then in the file', async () => {
    // Not due yet: nothing is sent, nothing committed.
    const tip = head();
    const sent = mock.requests.length;
    expect(await revokeRetiredWithRecipe(ctx, 'mock-keys')).toMatchObject({ commit: null, revoked: [], failed: [] });
    expect(mock.requests.length).toBe(sent);
    expect(head()).toBe(tip);

    const later = new Date(Date.now() + 2 * DAY);
    const r = await revokeRetiredWithRecipe(ctx, 'mock-keys', { now: later });
    expect(r).toMatchObject({ revoked: [{ id: 'primary', alreadyRevoked: false }], failed: [], message: 'keys: retire mock-keys/primary (grace period over, revoked at the provider)' });
    expect(r.commit).toBe(head());
    const fresh = await byId('primary-2');
    expect(mock.requests.slice(sent)).toEqual([{ method: 'DELETE', path: `/v1/keys/${mock.seed.id}`, keyId: fresh.providerKeyId }]);

    expect(await mock.modelsStatus(mock.seed.secret)).toBe(401);
    expect(await mock.modelsStatus(fresh.secret?.apiKey as string)).toBe(200);
    const old = await byId('primary');
    expect(old).toMatchObject({ status: 'revoked', revokedAt: later.toISOString().replace(/\.\d{3}Z$/, 'Z'), providerKeyId: mock.seed.id });
    expect(old.secret).toBeUndefined();
    expect(old.retireAt).toBeUndefined();
    expect(fresh).toMatchObject({ status: 'active', default: true });

    // Running again finds nothing due.
    expect(await revokeRetiredWithRecipe(ctx, 'mock-keys', { now: later })).toMatchObject({ commit: null, revoked: [] });
  });

  it('rotate --auto --grace-days 0: stored first, then revoked at the provider and in the file', async () => {
    const before = head();
    const r = await keys(['rotate', 'mock-keys', '--auto', '--grace-days', '0']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.slice(8))).toEqual([
      'keys: rotate mock-keys/primary-2 -> primary-3 (automatic, primary-2 retires now)',
      'keys: retire mock-keys/primary-2 (grace period over, revoked at the provider)',
    ]);
    expect(gitRun(bare, ['rev-list', '--count', `${before}..main`])).toBe('2');
    const ring = await keyring();
    expect(ring.map((k) => [k.id, k.status, k.default === true])).toEqual([['primary', 'revoked', false], ['primary-2', 'revoked', false], ['primary-3', 'active', true]]);
    const live = mock.liveKeys();
    expect(live).toEqual([{ id: ring[2].providerKeyId, secret: ring[2].secret?.apiKey }]);
  });

  it('revoke --auto revokes a key the file revoked by hand (still live at the provider) at the provider too', async () => {
    // A second key minted at the provider and stored; then revoked in the file only.
    const current = (await keyring()).find((k) => k.default) as ProviderKey;
    const res = await fetch(`${mock.url}/v1/keys`, { method: 'POST', headers: { authorization: `Bearer ${current.secret?.apiKey}` }, signal: AbortSignal.timeout(5_000) });
    const extra = (await res.json()) as { id: string; secret: string };
    expect((await keys(['add', 'mock-keys', '--id', 'extra', '--provider-key-id', extra.id], extra.secret)).status).toBe(0);
    expect((await keys(['revoke', 'mock-keys', 'extra'])).status).toBe(0);
    expect(await mock.modelsStatus(extra.secret)).toBe(200);

    const tip = head();
    const r = await keys(['revoke', 'mock-keys', 'extra', '--auto']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('mock-keys/extra was already revoked in the file; revoked at the provider');
    expect(head()).toBe(tip);
    expect(await mock.modelsStatus(extra.secret)).toBe(401);
  });

  it('a refusal by the provider changes nothing; a provider without a recipe is rotated by hand', async () => {
    const tip = head();
    const live = mock.liveKeys();
    mock.failNext(503, '{"error":"maintenance"}');
    const refused = await keys(['rotate', 'mock-keys', '--auto']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/creating a key for provider "mock-keys": POST http:\/\/127\.0\.0\.1:\d+ answered 503: \{"error":"maintenance"\} \[SIL_KEY_PROVIDER\]/);
    expect(head()).toBe(tip);
    expect(mock.liveKeys()).toEqual(live);

    const manual = await keys(['rotate', 'manual-keys', '--auto']);
    expect(manual.status).toBe(1);
    expect(manual.stderr).toMatch(/rotation for provider "manual-keys" is manual: its template has no rotation recipe \[SIL_KEY_ROTATION_MANUAL\]/);
    expect(manual.stderr).toMatch(/sil keys rotate manual-keys/);

    const usage = await keys(['suspend', 'mock-keys', 'primary-3', '--auto']);
    expect(usage.status).toBe(2);
    expect((await keys(['--help'])).stdout).toMatch(/sil keys rotate <provider> \[<key-id>\] --auto/);
  });

  it('when the commit fails, the key the provider just created is revoked there again', async () => {
    const live = mock.liveKeys();
    const tip = head();
    const failing = { commit: async () => { throw new SilError('SIL_GIT_REF_MOVED'); } } as unknown as GitWriter;
    const err = await autoRotate({ ...ctx, writer: failing }, 'mock-keys', { graceDays: 1 }).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'SIL_GIT_REF_MOVED', message: expect.stringMatching(/the key the provider created \(provider key id key_\d+\) was not stored: it was revoked at the provider again$/) });
    expect(mock.liveKeys()).toEqual(live);
    expect(head()).toBe(tip);
  });

  it('retire-due --auto revokes due keys at the provider first; no secret is anywhere in git history', async () => {
    const r = await keys(['rotate', 'mock-keys', '--auto', '--grace-days', '1']);
    expect(r.status, r.stderr).toBe(0);
    const notDue = await keys(['retire-due', '--auto']);
    expect(notDue.status, notDue.stderr).toBe(0);
    expect(notDue.stdout.trim()).toBe('no retiring key is due');
    expect((await keyring()).filter((k) => k.status === 'retiring').map((k) => k.id)).toEqual(['primary-3']);

    // A provider without a recipe, rotated by hand: its due key is retired in the file only.
    expect((await keys(['add', 'manual-keys'], 'manual-key-one-0123456789')).status).toBe(0);
    expect((await keys(['rotate', 'manual-keys', '--grace-days', '1'], 'manual-key-two-0123456789')).status).toBe(0);

    // Past the grace period, through the module with a later clock.
    const { retireAllDueWithRecipes } = await import('../../../server/vault/auto-rotate.ts');
    const old = await byId('primary-3');
    const sent = mock.requests.length;
    const done = await retireAllDueWithRecipes(ctx, { now: new Date(Date.now() + 2 * DAY) });
    expect(done).toEqual([
      expect.objectContaining({ provider: 'manual-keys', message: 'keys: retire manual-keys/primary (grace period over)', fileOnly: true, failed: [] }),
      expect.objectContaining({ provider: 'mock-keys', message: 'keys: retire mock-keys/primary-3 (grace period over, revoked at the provider)', failed: [] }),
    ]);
    expect(mock.requests.slice(sent).map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /v1/keys/${old.providerKeyId}`]);
    expect((await keyring('manual-keys')).map((k) => [k.id, k.status])).toEqual([['primary', 'revoked'], ['primary-2', 'active']]);
    expect(await mock.modelsStatus(old.secret?.apiKey as string)).toBe(401);
    expect(mock.liveKeys()).toHaveLength(1);

    const history = gitRun(bare, ['log', '-p', '--all']);
    expect(history).toMatch(/apiKey: ENC\[AES256_GCM,/);
    expect(history).toMatch(/providerKeyId: "key_1"/);
    expect(mock.mintedKeys().length).toBeGreaterThanOrEqual(6);
    for (const k of mock.mintedKeys()) {
      expect(history).not.toContain(k.secret);
      expect(history).not.toContain(k.secret.slice(3, 23));
    }
    expect(history).not.toContain('manual-key-one-0123456789');
    expect(history).not.toContain('manual-key-two-0123456789');
  });
});
