// The bench's sil process: a fresh data directory whose config repository has, per answer
// shape, a provider `openai-<shape>` at the mock's `/<shape>/v1` and a binding `chat-<shape>`,
// one client with a token, and a key; then the hub. Answers the bench's questions over IPC:
// memory figures and the usage it recorded per binding. `--usage-store off` starts the hub without
// the usage store (data/state/usage), to measure what recording costs.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SHAPES } from './shapes.ts';
import { initDataDir } from '../../server/config/repo-init.ts';
import { GitWriter } from '../../server/config/git-writer.ts';
import { projectCatalog } from '../../server/config/catalog.ts';
import { loadHubIdentity } from '../../server/vault/identity.ts';
import { changeKeys } from '../../server/vault/key-ops.ts';
import { addKey } from '../../server/vault/keyring.ts';
import { generateClientToken, hashToken } from '../../server/vault/client-token.ts';
import { startHub } from '../../server/main.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' }, upstream: { type: 'string' }, 'usage-store': { type: 'string', default: 'on' } } });
if (values['usage-store'] !== 'on' && values['usage-store'] !== 'off') throw new Error('--usage-store must be on or off');
const dir = values.dir!;
const upstream = values.upstream!;

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
const hub = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: (l) => process.stderr.write(`${l}\n`), usageStore: values['usage-store'] === 'on' });
if ((hub.live.snapshot?.keyrings.size ?? 0) < SHAPES.length) throw new Error('sil started without the keys of the providers');

/** Requests and tokens recorded per binding, from the hub's usage recorder. */
function usageByBinding(): Record<string, { requests: number; inputTokens: number; outputTokens: number }> {
  const out: Record<string, { requests: number; inputTokens: number; outputTokens: number }> = {};
  for (const [key, t] of hub.usage.totals) {
    const binding = key.split('|')[1];
    const o = (out[binding] ??= { requests: 0, inputTokens: 0, outputTokens: 0 });
    o.requests += t.requests;
    o.inputTokens += t.inputTokens;
    o.outputTokens += t.outputTokens;
  }
  return out;
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 3000).unref();
  hub.close().finally(() => process.exit(0));
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('message', (m: { type?: string }) => {
  if (m?.type === 'mem') process.send?.({ type: 'mem', usage: process.memoryUsage() });
  if (m?.type === 'usage') process.send?.({ type: 'usage', byBinding: usageByBinding() });
});
process.send?.({ type: 'ready', url: hub.url, token });
