// A data directory for the usage tests: providers `good` (and `flaky`, which fails first) at a
// mock, bindings `chat` and `failover`, client `web` with a token, a key per provider.
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { loadHubIdentity } from '../../../server/vault/identity.ts';
import { changeKeys } from '../../../server/vault/key-ops.ts';
import { addKey } from '../../../server/vault/keyring.ts';
import { generateClientToken, hashToken } from '../../../server/vault/client-token.ts';

const provider = (id: string, baseUrl: string) => `id: ${id}\ntemplate: openai\nname: ${id}\nenvironment: prod\nconnection:\n  baseUrl: ${baseUrl}\n`;
const binding = (name: string, targets: string[]) =>
  `name: ${name}\nenvironment: prod\nprotocol: openai-chat\ntargets:\n${targets.map((t) => `  - { provider: ${t}, model: gpt-4o-mini }`).join('\n')}\nfailover:\n  on: [connect-error, timeout, "5xx"]\n  maxAttempts: 2\n  timeoutMs: 3000\n`;

/** Creates `<dir>/data` with the config (`settings`: more lines of sil.yaml); answers the data dir and the client token. */
export async function usageDataDir(dir: string, goodUrl: string, flakyUrl: string, timeZone = 'UTC', settings = ''): Promise<{ data: string; token: string }> {
  const data = join(dir, 'data');
  const { paths } = await initDataDir(data);
  const catalog = projectCatalog().catalog;
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
  const author = { name: 'Owner', email: 'owner@example.test' };
  const token = generateClientToken();
  await writer.commit({
    base: null,
    author,
    message: 'usage test config',
    changes: {
      'sil.yaml': `version: 1\nenvironments: [dev, prod]\ntimeZone: ${timeZone}\n${settings}`,
      'providers/good.yaml': provider('good', `${goodUrl}/v1`),
      'providers/flaky.yaml': provider('flaky', `${flakyUrl}/v1`),
      'bindings/chat.yaml': binding('chat', ['good']),
      'bindings/failover.yaml': binding('failover', ['flaky', 'good']),
      'clients/web.yaml': `name: web\nenvironment: prod\nbindings: ["*"]\ntokens:\n  - { id: t1, hash: "${hashToken(token)}", createdAt: "2026-01-01T00:00:00Z" }\n`,
    },
  });
  const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author, now: () => new Date() };
  for (const p of ['good', 'flaky']) await changeKeys(vault, p, (k, kc) => addKey(k, kc, { secret: { apiKey: `sk-proj-${p[0].repeat(40)}` } }));
  return { data, token };
}
