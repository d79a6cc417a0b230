// Writes a webhook subscription and its signing secret (SOPS, in the vault) into a data
// directory's config repository, as POST /api/webhooks does; answers the secret.
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { headCommit } from '../../../server/config/git-read.ts';
import { loadHubIdentity } from '../../../server/vault/identity.ts';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { newSecretFile, webhookSecretsPath } from '../../../server/webhooks/secrets.ts';

export async function writeWebhook(dataDir: string, name: string, yaml: string, message = `webhooks: add ${name}`): Promise<string> {
  const { paths } = await initDataDir(dataDir);
  const hub = await loadHubIdentity(paths.ageKey);
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog: projectCatalog().catalog });
  const sealed = await newSecretFile(name, { current: null, identities: hub.identities, recipients: [hub.recipient], now: new Date(), graceHours: 0 });
  await writer.commit({
    base: await headCommit(paths.gitdir),
    author: { name: 'Owner', email: 'owner@example.test' },
    message,
    changes: { [`webhooks/${name}.yaml`]: yaml, [webhookSecretsPath(name)]: sealed.text },
  });
  return sealed.secret;
}

/** Any change to the config (a new commit → config.applied). */
export async function touchConfig(dataDir: string, note: string): Promise<void> {
  const { paths } = await initDataDir(dataDir);
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog: projectCatalog().catalog });
  await writer.commit({ base: await headCommit(paths.gitdir), author: { name: 'Owner', email: 'owner@example.test' }, message: note, changes: { 'policies/touch.yaml': `name: touch\ndescription: ${JSON.stringify(note)}\nrateLimit: { requests: 1000, per: minute }\n` } });
}
