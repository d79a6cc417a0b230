// The bench's hub: a fresh data directory whose config repository has, per answer shape, a
// provider `openai-<shape>` at the mock's `/<shape>/v1` and a binding `chat-<shape>`, one client
// with a token, and a key; then the hub, started in this process.
import { join } from 'node:path';
import { SHAPES } from './shapes.ts';
import { initDataDir } from '../../server/config/repo-init.ts';
import { GitWriter } from '../../server/config/git-writer.ts';
import { projectCatalog } from '../../server/config/catalog.ts';
import { loadHubIdentity } from '../../server/vault/identity.ts';
import { changeKeys } from '../../server/vault/key-ops.ts';
import { addKey } from '../../server/vault/keyring.ts';
import { generateClientToken, hashToken } from '../../server/vault/client-token.ts';
import { startHub, type Hub, type HubOptions } from '../../server/main.ts';

export async function startBenchHub(dir: string, upstream: string, opts: Partial<HubOptions> = {}): Promise<{ hub: Hub; token: string }> {
  const data = join(dir, 'data');
  const { paths } = await initDataDir(data);
  const catalog = projectCatalog().catalog;
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
  const author = { name: 'bench', email: 'bench@localhost' };
  const token = generateClientToken();
  const changes: Record<string, string> = {
    'sil.yaml': 'version: 1\nenvironments: [dev, prod]\n',
    'clients/bench.yaml': `name: bench\nenvironment: prod\nbindings: ["*"]\ntokens:\n  - { id: t1, hash: "${hashToken(token)}", createdAt: "2026-01-01T00:00:00Z" }\n`,
  };
  for (const s of SHAPES) {
    changes[`providers/openai-${s.name}.yaml`] = `id: openai-${s.name}\ntemplate: openai\nname: OpenAI (mock, ${s.name})\nenvironment: prod\nconnection:\n  baseUrl: ${upstream}/${s.name}/v1\n`;
    changes[`bindings/chat-${s.name}.yaml`] = `name: chat-${s.name}\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: openai-${s.name}, model: gpt-4o-mini }\n`;
  }
  await writer.commit({ base: null, author, message: 'bench: proxy', changes });
  const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author, now: () => new Date() };
  for (const s of SHAPES) await changeKeys(vault, `openai-${s.name}`, (k, kc) => addKey(k, kc, { secret: { apiKey: `sk-proj-${'b'.repeat(40)}` } }));
  const hub = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: (l) => process.stderr.write(`${l}\n`), ...opts });
  if ((hub.live.snapshot?.keyrings.size ?? 0) < SHAPES.length) throw new Error('sil started without the keys of the providers');
  return { hub, token };
}
