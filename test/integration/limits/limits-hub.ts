// A hub on 127.0.0.1 for the limits tests: a fresh config repository with the files given (the
// test writes clients/web.yaml itself, with the token this makes), keys for the providers, and a
// restart on the same data directory (the counters file survives it).
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { loadHubIdentity } from '../../../server/vault/identity.ts';
import { changeKeys } from '../../../server/vault/key-ops.ts';
import { addKey } from '../../../server/vault/keyring.ts';
import { generateClientToken, hashToken } from '../../../server/vault/client-token.ts';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';

export const AUTHOR = { name: 'Owner', email: 'owner@example.test' };
export const KEY = `sk-proj-${'k'.repeat(40)}`;

export const providerFile = (id: string, url: string, policy?: string) => `id: ${id}\ntemplate: openai\nname: ${id}\nenvironment: prod\nconnection:\n  baseUrl: ${url}/v1\n${policy ? `policy: ${policy}\n` : ''}`;
export const bindingFile = (name: string, targets: string[], policy?: string) =>
  `name: ${name}\nenvironment: prod\nprotocol: openai-chat\ntargets:\n${targets.map((t) => `  - { provider: ${t}, model: gpt-4o-mini }`).join('\n')}\nfailover:\n  on: [connect-error, timeout, "429", "5xx"]\n  maxAttempts: 3\n  timeoutMs: 5000\n${policy ? `policy: ${policy}\n` : ''}`;
export const clientFile = (name: string, token: string, policy?: string) =>
  `name: ${name}\nenvironment: prod\nbindings: ["*"]\ntokens:\n  - { id: t1, hash: "${hashToken(token)}", createdAt: "2026-01-01T00:00:00Z" }\n${policy ? `policy: ${policy}\n` : ''}`;

export interface LimitsHub {
  hub: Hub;
  token: string;
  dataDir: string;
  writer: GitWriter;
  /** Commits changes and waits (bounded) until they are live. */
  change(files: Record<string, string>): Promise<void>;
  /** Closes the hub and starts a new one on the same data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLimitsHub(files: (token: string) => Record<string, string>, providers: string[]): Promise<LimitsHub> {
  const tmp = tempDir('sil-limits-');
  const dataDir = join(tmp.path, 'data');
  const { paths } = await initDataDir(dataDir);
  const catalog = projectCatalog().catalog;
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
  const token = generateClientToken();
  await writer.commit({ base: null, author: AUTHOR, message: 'limits test config', changes: files(token) });
  const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author: AUTHOR, now: () => new Date() };
  for (const p of providers) await changeKeys(vault, p, (k, kc) => addKey(k, kc, { secret: { apiKey: KEY } }));
  const start = () => startHub({ dataDir, host: '127.0.0.1', port: 0, log: () => {}, consoleDir: null, keyMaintenanceMs: 3_600_000 });
  let hub = await start();
  const self: LimitsHub = {
    hub,
    token,
    dataDir,
    writer,
    async change(changes) {
      const { commit } = await writer.commit({ base: null, author: AUTHOR, message: 'limits test change', changes });
      await self.hub.reloader.check();
      const started = Date.now();
      while (self.hub.live.snapshot?.commit !== commit && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
      if (self.hub.live.snapshot?.commit !== commit) throw new Error(`commit ${commit} did not go live: ${JSON.stringify(self.hub.live.error)}`);
    },
    async restart() {
      await self.hub.close();
      hub = await start();
      self.hub = hub;
    },
    async stop() {
      await self.hub.close();
      tmp.cleanup();
    },
  };
  return self;
}

/** The hub's own POST, with the client token. */
export function chat(h: LimitsHub, body: Record<string, unknown>, path = '/v1/chat/completions'): Promise<Response> {
  return fetch(`${h.hub.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Waits (at most 5 s) until the condition holds. */
export async function until(what: string, cond: () => boolean): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
