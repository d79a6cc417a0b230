// Several hubs of one deployment in this test process for the shared-limits tests: the first
// data directory gets the config (sil.yaml, providers, bindings, policies; clients are made here
// with a token each) and the provider keys, the others are copies of it (same repository, age
// identity and signing key, as an operator's second instance). Every hub listens on 127.0.0.1.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { loadHubIdentity } from '../../../server/vault/identity.ts';
import { changeKeys } from '../../../server/vault/key-ops.ts';
import { addKey } from '../../../server/vault/keyring.ts';
import { generateClientToken } from '../../../server/vault/client-token.ts';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { AUTHOR, KEY, clientFile } from './limits-hub.ts';

export interface RedisHubs {
  hubs: Hub[];
  dirs: string[];
  /** Client name → its token. */
  tokens: Record<string, string>;
  stop(): Promise<void>;
}

export interface RedisHubsOptions {
  count: number;
  /** Config files (sil.yaml included), without clients. */
  files: Record<string, string>;
  /** Client name → its policy (or null for none). */
  clients: Record<string, string | null>;
  providers: string[];
  log?: (line: string) => void;
}

export const silYaml = (redis?: { url: string; failMode?: string; connectTimeoutMs?: number; keyPrefix?: string }) =>
  `version: 1\nenvironments: [dev, prod]\n${redis ? `redis:\n  url: ${redis.url}\n  keyPrefix: "${redis.keyPrefix ?? `t${Math.random().toString(36).slice(2, 8)}:`}"\n${redis.failMode ? `  failMode: ${redis.failMode}\n` : ''}${redis.connectTimeoutMs ? `  connectTimeoutMs: ${redis.connectTimeoutMs}\n` : ''}` : ''}`;

export async function startRedisHubs(opts: RedisHubsOptions): Promise<RedisHubs> {
  const tmp = tempDir('sil-redis-limits-');
  const hubs: Hub[] = [];
  const stop = async () => {
    await Promise.allSettled(hubs.map((h) => h.close()));
    tmp.cleanup();
  };
  try {
    const first = join(tmp.path, 'data-0');
    const { paths } = await initDataDir(first);
    const catalog = projectCatalog().catalog;
    const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
    const tokens: Record<string, string> = {};
    const clients: Record<string, string> = {};
    for (const [name, policy] of Object.entries(opts.clients)) {
      tokens[name] = generateClientToken();
      clients[`clients/${name}.yaml`] = clientFile(name, tokens[name], policy ?? undefined);
    }
    await writer.commit({ base: null, author: AUTHOR, message: 'shared limits test config', changes: { ...opts.files, ...clients } });
    const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author: AUTHOR, now: () => new Date() };
    for (const p of opts.providers) await changeKeys(vault, p, (k, kc) => addKey(k, kc, { secret: { apiKey: KEY } }));
    const dirs = [first];
    for (let i = 1; i < opts.count; i++) {
      dirs.push(join(tmp.path, `data-${i}`));
      cpSync(first, dirs[i], { recursive: true });
    }
    for (let i = 0; i < opts.count; i++) {
      hubs.push(await startHub({ dataDir: dirs[i], host: '127.0.0.1', port: 0, log: opts.log ?? (() => {}), consoleDir: null, keyMaintenanceMs: 3_600_000, usageStore: false, cluster: { instanceId: `hub-${i}` } }));
    }
    return { hubs, dirs, tokens, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** POST /v1/chat/completions on a hub as a client; answers the status, the body and how long it took. */
export async function chatOn(hub: Hub, token: string, model = 'chat'): Promise<{ status: number; body: string; ms: number; headers: Headers }> {
  const started = performance.now();
  const r = await fetch(`${hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }) });
  const body = await r.text();
  return { status: r.status, body, ms: performance.now() - started, headers: r.headers };
}

/** Runs `total` calls, at most `concurrency` at once; answers them in the order they were started. */
export async function pooled<T>(total: number, concurrency: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(total);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      out[i] = await call(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return out;
}

/** Waits (bounded) until the condition holds; throws naming what it waited for. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await cond())) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
