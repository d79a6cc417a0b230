// Benchmark of the key vault: time to decrypt 1,000 encrypted provider keys into keyrings, as
// the loader does on start (the files already parsed, as the loader has them) (goal: under 200 ms). Prints figures for 1,000 providers with one
// key each and 250 providers with four keys each. Bounded: fixed counts, in memory only.
// Usage: node scripts/bench-vault.ts [--keys N] [--rounds N]
import { parseArgs } from 'node:util';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { sealSecrets } from '../server/vault/secrets-file.ts';
import { addKey, type Keyring } from '../server/vault/keyring.ts';
import { identitiesFrom } from '../server/vault/sops/data-key.ts';
import { loadKeyrings } from '../server/vault/load-keyrings.ts';
import { emptyModel } from '../server/config/config-model.ts';
import { parseConfigFile } from '../server/config/parse-file.ts';
import type { ConfigFile } from '../server/config/config-model.ts';
import type { SecretsFile } from '../schemas/types.gen.ts';

const { values } = parseArgs({ options: { keys: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '5' } } });
const KEYS = Number(values.keys);
const ROUNDS = Math.min(20, Number(values.rounds));
const ms = (t: number) => `${t.toFixed(1)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scenario(perProvider: number, recipient: string, ids: ReturnType<typeof identitiesFrom>): Promise<void> {
  const providers = Math.ceil(KEYS / perProvider);
  const model = emptyModel();
  const now = new Date();
  let t = performance.now();
  for (let p = 0; p < providers; p++) {
    let ring: Keyring = { keys: [] };
    for (let k = 0; k < perProvider; k++) {
      ring = addKey(ring, { provider: `p${p}`, now, mainField: 'apiKey' }, { id: `k${k}`, secret: { apiKey: `sk-proj-${p}-${k}-${'x'.repeat(40)}` } }).keyring;
    }
    const text = await sealSecrets(ring, [recipient], now);
    const parsed = parseConfigFile(`secrets/p${p}.yaml`, Buffer.from(text));
    if (!parsed.ok) throw new Error('bench file does not parse');
    const file = parsed.file;
    model.secrets.set(`p${p}`, { path: file.path, id: `blob-${p}`, file, value: {} as SecretsFile } as ConfigFile<SecretsFile>);
  }
  const written = performance.now() - t;
  const cold: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    t = performance.now();
    const r = await loadKeyrings(model, ids, new Map());
    cold.push(performance.now() - t);
    if (r.issues.length || r.keyrings.size !== providers) throw new Error('bench files did not load');
  }
  const cache = new Map();
  await loadKeyrings(model, ids, cache);
  t = performance.now();
  await loadKeyrings(model, ids, cache);
  const warm = performance.now() - t;
  console.log(`${providers * perProvider} keys in ${providers} secrets files (${perProvider} per provider): written in ${ms(written)}; decrypt + verify into keyrings, ${ROUNDS} runs: median ${ms(median(cold))}, first ${ms(cold[0])}, max ${ms(Math.max(...cold))} (goal < 200 ms); reload with no file changed ${ms(warm)}`);
}

const identity = await generateX25519Identity();
const recipient = await identityToRecipient(identity);
const ids = identitiesFrom([identity]);
await scenario(1, recipient, ids);
await scenario(4, recipient, ids);
console.log(`rss: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
