// Several hubs of one deployment sharing a Redis, for the outgoing-webhook cluster tests: the
// first data directory gets sil.yaml with `redis:` and a webhook subscription (with its signing
// secret in the vault), the others are copies of it (same repository, age identity and signing
// key, as an operator's second instance). Later commits are made in the first repository and
// fetched into the others with the git CLI, so every instance loads the same commit.
import { cpSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { headCommit } from '../../../server/config/git-read.ts';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { writeWebhook } from './webhook-config.ts';

export const AUTHOR = { name: 'Owner', email: 'owner@example.test' };
export const LEASE_MS = 600;

export const redisSilYaml = (url: string, keyPrefix: string) =>
  `version: 1\nname: sil\nenvironments: [dev, prod]\nredis:\n  url: ${url}\n  keyPrefix: "${keyPrefix}"\n  connectTimeoutMs: 300\n`;

export interface WebhookHubs {
  dirs: string[];
  /** The subscription's signing secret (whsec_...). */
  secret: string;
  /** Starts the hub of data directory `i` in this process (short leader lease). */
  start(i: number, logs?: string[]): Promise<Hub>;
  /** Commits files in the first repository, fetches the commit into the others; answers it. */
  commit(files: Record<string, string>, message: string): Promise<string>;
  /** Brings the first repository's main (any commit, also one written past the validator) into the others. */
  sync(): void;
  /** Closes one hub (a graceful stop: a leader gives its lease up). */
  close(hub: Hub): Promise<void>;
  /** Closes the hubs still running and removes the data directories. */
  stop(): Promise<void>;
}

export async function prepareWebhookHubs(opts: { count: number; redisUrl: string; receiverUrl: string; events: string[]; scheduleSeconds: number[]; keyPrefix?: string }): Promise<WebhookHubs> {
  const tmp = tempDir('sil-wh-cluster-');
  const started = new Set<Hub>();
  const first = join(tmp.path, 'data-0');
  const { paths } = await initDataDir(first);
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog: projectCatalog().catalog });
  const keyPrefix = opts.keyPrefix ?? `wh${Math.random().toString(36).slice(2, 8)}:`;
  await writer.commit({ base: await headCommit(paths.gitdir), author: AUTHOR, message: 'redis', changes: { 'sil.yaml': redisSilYaml(opts.redisUrl, keyPrefix) } });
  const secret = await writeWebhook(first, 'ops', `name: ops\nurl: ${opts.receiverUrl}\nevents: ${JSON.stringify(opts.events)}\nretry:\n  scheduleSeconds: ${JSON.stringify(opts.scheduleSeconds)}\n`);
  const dirs = [first];
  for (let i = 1; i < opts.count; i++) {
    dirs.push(join(tmp.path, `data-${i}`));
    cpSync(first, dirs[i]!, { recursive: true });
  }
  const sync = () => {
    for (const dir of dirs.slice(1)) execFileSync('git', ['--git-dir', join(dir, 'config.git'), 'fetch', '-q', paths.gitdir, '+refs/heads/main:refs/heads/main'], { stdio: 'pipe' });
  };
  return {
    dirs,
    secret,
    async start(i, logs) {
      const hub = await startHub({ dataDir: dirs[i]!, host: '127.0.0.1', port: 0, pollMs: 50, consoleDir: null, usageStore: false, keyMaintenanceMs: 3_600_000, log: (l) => logs?.push(l), cluster: { leaseMs: LEASE_MS, instanceId: `hub-${i}` } });
      started.add(hub);
      return hub;
    },
    async commit(files, message) {
      const { commit } = await writer.commit({ base: await headCommit(paths.gitdir), author: AUTHOR, message, changes: files });
      sync();
      return commit;
    },
    sync,
    async close(hub) {
      started.delete(hub);
      await hub.close();
    },
    async stop() {
      await Promise.allSettled([...started].map((h) => h.close()));
      tmp.cleanup();
    },
  };
}

/** Polls `check` every 25 ms until it answers something other than undefined, at most `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
