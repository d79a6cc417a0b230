// The config of the outage test, committed into a fresh data directory: a provider `up` (OpenAI
// template) whose health check goes to a mock on 127.0.0.1, a SendGrid provider behind the
// binding `alert-mail`, and the email channel `oncall` in sil.yaml; keys in the vault.
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { loadHubIdentity } from '../../../server/vault/identity.ts';
import { changeKeys } from '../../../server/vault/key-ops.ts';
import { addKey } from '../../../server/vault/keyring.ts';

export const OPENAI_KEY = `sk-proj-${'o'.repeat(40)}`;
export const SENDGRID_KEY = `SG.${'s'.repeat(22)}.${'S'.repeat(43)}`;
export const ONCALL = 'oncall@example.test';

export async function writeOutageConfig(dataDir: string, urls: { provider: string; sendgrid: string }): Promise<void> {
  const { paths } = await initDataDir(dataDir);
  const catalog = projectCatalog().catalog;
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
  const author = { name: 'Owner', email: 'owner@example.test' };
  await writer.commit({
    base: null,
    author,
    message: 'outage test config',
    changes: {
      'sil.yaml': [
        'version: 1',
        'environments: [prod]',
        'notifications:',
        '  channels:',
        `    - { name: oncall, type: email, binding: alert-mail, to: "${ONCALL}", from: sil@example.test }`,
        '',
      ].join('\n'),
      'providers/up.yaml': `id: up\ntemplate: openai\nname: up\nenvironment: prod\nconnection:\n  baseUrl: ${urls.provider}/v1\n`,
      // Not probed: only the channel's sends reach it.
      'providers/mail.yaml': `id: mail\ntemplate: sendgrid\nname: mail\nenvironment: prod\nconnection:\n  baseUrl: ${urls.sendgrid}/v3\nhealthCheck:\n  enabled: false\n`,
      'bindings/alert-mail.yaml': 'name: alert-mail\nenvironment: prod\nprotocol: http\ntargets:\n  - { provider: mail, service: mail-send }\n',
    },
  });
  const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author, now: () => new Date() };
  await changeKeys(vault, 'up', (k, kc) => addKey(k, kc, { secret: { apiKey: OPENAI_KEY } }));
  await changeKeys(vault, 'mail', (k, kc) => addKey(k, kc, { secret: { apiKey: SENDGRID_KEY } }));
}
