// The hub's own key maintenance: when a default key is due for rotation it rotates it through
// the recipe, or promotes a staged key, or reports the overdue rotation; retiring keys are
// revoked at the end of their grace period. Time is moved forward through the injected clock.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { ConfigLoader } from '../../../server/config/loader.ts';
import { loadHubIdentity, type HubIdentity } from '../../../server/vault/identity.ts';
import { changeKeys, type VaultContext } from '../../../server/vault/key-ops.ts';
import { addKey } from '../../../server/vault/keyring.ts';
import { maintainKeys } from '../../../server/vault/key-maintenance.ts';
import { openSecrets } from '../../../server/vault/secrets-file.ts';
import type { ConfigSnapshot } from '../../../server/config/snapshot.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { gitRun } from '../../helpers/git.ts';
import { startMockKeyProvider, type MockKeyProvider } from '../../helpers/mock-key-provider.ts';
import { mockProviderFile } from '../../helpers/mock-key-provider-config.ts';

const DAY = 86_400_000;
const author = { name: 'sil', email: 'sil@localhost' };

describe('key maintenance by the hub', () => {
  const tmp = tempDir('sil-maint-');
  let mock: MockKeyProvider;
  let hub: HubIdentity;
  let bare: string;
  let clock = new Date();
  let ctx: VaultContext;
  let loader: ConfigLoader;
  const snapshot = async (): Promise<ConfigSnapshot> => {
    const r = await loader.load((await loader.head())!);
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    return r.snapshot;
  };
  const ring = async (p: string) => (await openSecrets(gitRun(bare, ['show', `main:secrets/${p}.yaml`]), hub.identities)).keyring.keys.map((k) => `${k.id}:${k.status}${k.default ? '*' : ''}`);

  beforeAll(async () => {
    mock = await startMockKeyProvider();
    const data = join(tmp.path, 'data');
    bare = (await initDataDir(data)).paths.gitdir;
    const catalog = projectCatalog().catalog;
    const writer = new GitWriter({ gitdir: bare, catalog });
    await writer.commit({
      base: null,
      changes: {
        'providers/auto.yaml': mockProviderFile('auto', `${mock.url}/v1`, true),
        'providers/staged.yaml': mockProviderFile('staged', `${mock.url}/v1`, false),
        'providers/manual.yaml': mockProviderFile('manual', `${mock.url}/v1`, false),
      },
      message: 'providers',
      author,
    });
    hub = await loadHubIdentity(join(data, 'keys', 'age.key'));
    ctx = { gitdir: bare, writer, catalog, hub, author, now: () => clock };
    loader = new ConfigLoader({ gitdir: bare, catalog, identities: hub.identities });
    await changeKeys(ctx, 'auto', (k, kc) => addKey(k, kc, { secret: { apiKey: mock.seed.secret }, providerKeyId: mock.seed.id }));
    await changeKeys(ctx, 'staged', (k, kc) => addKey(k, kc, { secret: { apiKey: 'old-secret-of-staged-provider' } }));
    await changeKeys(ctx, 'staged', (k, kc) => addKey(k, kc, { id: 'next', staged: true, secret: { apiKey: 'next-secret-of-staged-provider' } }));
    await changeKeys(ctx, 'manual', (k, kc) => addKey(k, kc, { secret: { apiKey: 'secret-of-manual-provider' } }));
  });
  afterAll(async () => {
    await mock.close();
    tmp.cleanup();
  });

  it('does nothing while no key is due', async () => {
    const s = await snapshot();
    const before = gitRun(bare, ['rev-parse', 'main']);
    expect(await maintainKeys({ vault: ctx, snapshot: () => s, log: () => undefined })).toEqual([]);
    expect(gitRun(bare, ['rev-parse', 'main'])).toBe(before);
  });

  it('past the rotation period: rotates by recipe, promotes the staged key, reports the manual one', async () => {
    clock = new Date(Date.now() + 91 * DAY);
    const s = await snapshot();
    const lines = await maintainKeys({ vault: ctx, snapshot: () => s, log: () => undefined });
    expect(lines).toHaveLength(3);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^keys: [0-9a-f]{7} keys: promote staged\/next \(rotation due; primary retires /),
      expect.stringMatching(/^keys: [0-9a-f]{7} keys: rotate auto\/primary -> primary-2 \(automatic, primary retires /),
      expect.stringMatching(/^keys: rotation of manual\/primary is overdue by \d+ day\(s\); rotate it with `sil keys rotate manual` \(new secret on stdin\) or stage one with `sil keys add manual --staged`$/),
    ]));
    expect(await ring('auto')).toEqual(['primary:retiring', 'primary-2:active*']);
    expect(await ring('staged')).toEqual(['primary:retiring', 'next:active*']);
    expect(mock.liveKeys()).toHaveLength(2);
  });

  it('after the grace period: revokes the retired keys, at the provider where there is a recipe', async () => {
    clock = new Date(clock.getTime() + 8 * DAY);
    const s = await snapshot();
    const lines = await maintainKeys({ vault: ctx, snapshot: () => s, log: () => undefined });
    expect(lines.filter((l) => / retire | revoke /.test(l))).toHaveLength(2);
    expect(await ring('auto')).toEqual(['primary:revoked', 'primary-2:active*']);
    expect(await ring('staged')).toEqual(['primary:revoked', 'next:active*']);
    expect(mock.liveKeys()).toHaveLength(1);
    expect(mock.liveKeys().map((k) => k.id)).not.toContain(mock.seed.id);
  });
});
